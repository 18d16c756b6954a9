"""The segments page: where accounts' segments come from, and the rules sales ops defines.

A preview (GET ?preview=1) runs the decisions over every account and writes
nothing; applying enqueues the analysis refresh that writes them and the
whitespace after them.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Merger, Region, Segment, SizeBand, UnifiedAccount
from accounts.selectors.segments import (
    program_industries,
    segment_overview,
    segment_preview,
    segment_rules,
)
from accounts.services.mergers import merger_update
from accounts.services.segments import (
    account_segment_assign,
    account_segment_release,
    region_delete,
    region_save,
    segment_save,
    segments_apply,
    size_band_delete,
    size_band_save,
)
from accounts.views.segment_forms import (
    AccountSegmentForm,
    ConflictRuleForm,
    RegionForm,
    SegmentForm,
    SizeBandForm,
)
from core.access import Action, allowed
from core.web import check_access, get_program_object_or_404, program_view

RESOURCE = "segment"
MOVES_SHOWN = 15

# kind in the URL -> (model, form, save service, title of a new one, title of an edit)
KINDS: dict[str, tuple[type[Model], type[ModelForm], Any, Any, Any]] = {
    "segment": (
        Segment,
        SegmentForm,
        segment_save,
        gettext_lazy("Add a segment"),
        gettext_lazy("Edit a segment"),
    ),
    "size-band": (
        SizeBand,
        SizeBandForm,
        size_band_save,
        gettext_lazy("Add a size band"),
        gettext_lazy("Edit a size band"),
    ),
    "region": (
        Region,
        RegionForm,
        region_save,
        gettext_lazy("Add a region"),
        gettext_lazy("Edit a region"),
    ),
}


@program_view(RESOURCE, section="accounts")
def segments_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    can_change = allowed(request.user, Action.CHANGE, RESOURCE)
    conflict_form = ConflictRuleForm(
        initial={"segment_conflict_rule": merger.segment_conflict_rule}
    )
    if request.method == "POST":
        check_access(request, RESOURCE, Action.CHANGE)
        if request.POST.get("action") == "apply":
            segments_apply(actor=request.user, merger=merger)
            messages.success(
                request,
                _("The segments are being applied; accounts and whitespace follow in a moment."),
            )
            return redirect("accounts:segments")
        conflict_form = ConflictRuleForm(request.POST)
        if conflict_form.is_valid():
            merger_update(merger=merger, actor=request.user, **conflict_form.cleaned_data)
            messages.success(request, _("Saved; the accounts' segments are being decided again."))
            return redirect("accounts:segments")
    preview = segment_preview(merger=merger) if request.GET.get("preview") else None
    rules = segment_rules(merger_id=merger.pk)
    names = {s.pk: s.name for s in Segment.objects.filter(merger=merger)}
    moves = []
    if preview is not None:
        moves = [
            (names.get(old, ""), names.get(new, ""), n)
            for (old, new), n in preview.moves.most_common(MOVES_SHOWN)
        ]
    rows = segment_overview(merger=merger, preview=preview)
    return render(
        request,
        "accounts/segments.html",
        {
            "merger": merger,
            "rows": rows,
            "totals": _totals(rows),
            "preview": preview,
            "moves": moves,
            "problems": rules.problems,
            "size_bands": SizeBand.objects.filter(merger=merger),
            "regions": Region.objects.filter(merger=merger),
            "conflict_form": conflict_form,
            "can_change": can_change,
        },
    )


def _totals(rows: list) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        for source, n in row.by_source.items():
            totals[source or "none"] = totals.get(source or "none", 0) + n
    return totals


@program_view(RESOURCE, Action.CHANGE, section="accounts")
def segment_setting_edit(
    request: HttpRequest, kind: str, pk: int | None = None, *, merger: Merger
) -> HttpResponse:
    """Add or edit a segment, a size band or a region."""
    if kind not in KINDS:
        raise Http404
    model, form_class, save, new_title, edit_title = KINDS[kind]
    instance = None
    if pk is not None:
        instance = get_program_object_or_404(request, model.objects.filter(merger=merger), pk=pk)
    extra = {"merger": merger} if form_class is SegmentForm else {}
    form = form_class(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save(actor=request.user, merger=merger, **{kind.replace("-", "_"): instance}, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Saved. Apply the segments to put accounts where the rules say.")
            )
            return redirect("accounts:segments")
    return render(
        request,
        "accounts/segment_setting_form.html",
        {
            "merger": merger,
            "form": form,
            "title": edit_title if instance else new_title,
            "industries": program_industries(merger=merger) if kind == "segment" else [],
        },
    )


@require_POST
@program_view(RESOURCE, Action.CHANGE, section="accounts")
def segment_setting_delete(
    request: HttpRequest, kind: str, pk: int, *, merger: Merger
) -> HttpResponse:
    if kind == "size-band":
        band = get_program_object_or_404(request, SizeBand.objects.filter(merger=merger), pk=pk)
        size_band_delete(actor=request.user, size_band=band)
    elif kind == "region":
        region = get_program_object_or_404(request, Region.objects.filter(merger=merger), pk=pk)
        region_delete(actor=request.user, region=region)
    else:
        raise Http404
    messages.success(request, _("Removed. Segments naming it no longer act as rules."))
    return redirect("accounts:segments")


@require_POST
@program_view(RESOURCE, Action.CHANGE, section="accounts")
def account_segment_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    """Assign the account's segment by hand, or hand it back to the CRM records and rules."""
    account = get_program_object_or_404(
        request, UnifiedAccount.objects.filter(merger=merger).select_related("merger"), pk=pk
    )
    if request.POST.get("action") == "release":
        account_segment_release(actor=request.user, account=account)
        messages.success(request, _("The segment now follows the CRM records and the rules."))
    else:
        form = AccountSegmentForm(request.POST, merger=merger)
        if not form.is_valid():
            messages.error(request, _("Choose one of the program's segments."))
        else:
            account_segment_assign(
                actor=request.user, account=account, segment=form.cleaned_data["segment"]
            )
            messages.success(request, _("Segment assigned by hand; refreshes keep it."))
    return redirect("accounts:account_detail", pk=account.pk)
