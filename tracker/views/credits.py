"""Revenue credit of one deal: everyone reads it, leaders and sales ops change it."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Merger
from core.access import Action, allowed
from core.web import check_object_access, get_program_object_or_404, program_view
from tracker.models import CreditSplit, Opportunity, Rep
from tracker.services.credits import credit_splits_set

EXTRA_LINES = 2


class CreditLineForm(forms.Form):
    rep = forms.ModelChoiceField(
        label=gettext_lazy("Rep"), queryset=Rep.objects.none(), required=False
    )
    percent = forms.DecimalField(
        label=gettext_lazy("Share %"),
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "100"}),
    )
    role_note = forms.CharField(label=gettext_lazy("Role"), max_length=120, required=False)

    def __init__(self, *args: Any, reps: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reps is not None:
            self.fields["rep"].queryset = reps

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rep") is None and data.get("percent") is not None:
            raise ValidationError(_("Choose the rep who gets this share."))
        if data.get("rep") is not None and data.get("percent") is None:
            raise ValidationError(_("Enter the rep's share."))
        return data


CreditFormSet = formset_factory(CreditLineForm, extra=EXTRA_LINES)


def _opportunity(request: HttpRequest, pk: int) -> Opportunity:
    return get_program_object_or_404(
        request,
        Opportunity.objects.select_related("owner__user", "account", "product", "merger"),
        pk=pk,
    )


def _formsets(data: Any, opportunity: Opportunity, reps: Any) -> dict[str, Any]:
    credits = list(CreditSplit.objects.filter(opportunity=opportunity).order_by("-percent", "pk"))
    kwargs = {"form_kwargs": {"reps": reps}}
    return {
        kind: CreditFormSet(
            data,
            prefix=kind,
            initial=[
                {"rep": c.rep_id, "percent": c.percent, "role_note": c.role_note}
                for c in credits
                if c.kind == kind
            ],
            **kwargs,
        )
        for kind in (CreditSplit.Kind.SPLIT, CreditSplit.Kind.OVERLAY)
    }


def _lines(formset) -> list[tuple[Rep, Decimal, str]]:
    return [
        (form.cleaned_data["rep"], form.cleaned_data["percent"], form.cleaned_data["role_note"])
        for form in formset.forms
        if form.cleaned_data.get("rep") is not None
    ]


@program_view("credit", section="pipeline")
def opportunity_credits_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    can_change = allowed(request.user, Action.CHANGE, "credit", opportunity)
    reps = (
        Rep.objects.filter(merger_id=opportunity.merger_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    if request.method == "POST":
        check_object_access(request, "credit", opportunity, Action.CHANGE)
        formsets = _formsets(request.POST, opportunity, reps)
        if all(formset.is_valid() for formset in formsets.values()) and _save(
            request, opportunity, formsets
        ):
            return redirect("tracker:opportunity_credits", pk=opportunity.pk)
    elif not can_change:
        return _page(request, merger, opportunity, **_read_only(opportunity))
    else:
        formsets = _formsets(None, opportunity, reps)
    return _page(
        request,
        merger,
        opportunity,
        splits=formsets["split"],
        overlays=formsets["overlay"],
        split_total=_percent_total(formsets["split"]),
        can_change=True,
    )


def _page(
    request: HttpRequest, merger: Merger, opportunity: Opportunity, **context: Any
) -> HttpResponse:
    return render(
        request,
        "tracker/credit_splits.html",
        {
            "merger": merger,
            "opportunity": opportunity,
            "opportunity_url": _detail_url(opportunity),
            **context,
        },
    )


def _read_only(opportunity: Opportunity) -> dict[str, Any]:
    """The credit as who cannot change it reads it: its lines, no form."""
    lines = list(
        CreditSplit.objects.filter(opportunity=opportunity)
        .select_related("rep__user")
        .order_by("-percent", "pk")
    )
    return {
        "split_lines": [line for line in lines if line.kind == CreditSplit.Kind.SPLIT],
        "overlay_lines": [line for line in lines if line.kind == CreditSplit.Kind.OVERLAY],
        "can_change": False,
    }


def _percent_total(formset) -> Decimal:
    """The sum the form shows now; the script keeps it current while typing."""
    total = Decimal("0")
    for form in formset.forms:
        try:
            total += Decimal(str(form["percent"].value()))
        except ArithmeticError:
            continue
    return total


def _save(request: HttpRequest, opportunity: Opportunity, formsets: dict[str, Any]) -> bool:
    try:
        credit_splits_set(
            actor=request.user,
            opportunity=opportunity,
            splits=_lines(formsets["split"]),
            overlays=_lines(formsets["overlay"]),
        )
    except ValidationError as error:
        problems = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        targets = {"splits": formsets["split"], "overlays": formsets["overlay"]}
        for field, messages_ in problems.items():
            formset = targets.get(field, formsets["split"])
            formset._non_form_errors = formset.error_class(
                [*formset.non_form_errors(), *messages_], error_class="nonform"
            )
        return False
    messages.success(request, _("Credit saved."))
    return True


def _detail_url(opportunity: Opportunity) -> str:
    # Falls back to the pipeline list where the opportunity page is not installed.
    try:
        return reverse("tracker:opportunity_detail", args=[opportunity.pk])
    except NoReverseMatch:
        return reverse("tracker:pipeline")
