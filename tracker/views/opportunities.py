"""One opportunity: log it, read it with its timeline, edit it, move its stage, reopen it."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Merger, UnifiedAccount
from accounts.selectors.risk import account_screen
from core.access import Action, Role, allowed, has_role
from core.web import (
    back_to_next,
    check_object_access,
    get_program_object_or_404,
    program_view,
    service_errors_on,
)
from tracker.models import Opportunity
from tracker.selectors.opportunities import (
    opportunities_visible_to,
    opportunity_last_change,
    opportunity_timeline,
    opportunity_warnings_for,
    rep_of,
)
from tracker.selectors.pipeline import path_stages_of, reps_covered_by
from tracker.selectors.prefill import (
    ACCOUNT_CHOICES_SHOWN,
    accounts_to_choose,
    is_whitespace_candidate,
    opportunity_prefill,
)
from tracker.services.opportunities import (
    DuplicateOpen,
    StaleVersion,
    WarningsNotConfirmed,
    opportunity_create,
    opportunity_reopen,
    opportunity_update,
)
from tracker.stage_path import stage_path
from tracker.views.forms import OpportunityCreateForm, OpportunityEditForm, ReopenForm, StageForm

CREATE_TEMPLATE = "tracker/opportunity_form.html"
DETAIL_TEMPLATE = "tracker/opportunity_detail.html"
DONT_SELL = UnifiedAccount.Recommendation.DONT_SELL
UPSELL_ONLY = UnifiedAccount.Recommendation.UPSELL_ONLY
# The screen holds back selling here (don't sell) or cross-selling (upsell only).
RESTRICTED = (DONT_SELL, UPSELL_ONLY)


def _may_override(user: Any, account: UnifiedAccount) -> bool:
    """A leader (or sales ops) gets the override reason field where the screen restricts."""
    return account.recommendation in RESTRICTED and has_role(user, Role.LEADER, Role.OPS)


def _opportunity_or_404(request: HttpRequest, pk: int) -> Opportunity:
    return get_program_object_or_404(
        request,
        opportunities_visible_to(user=request.user).select_related(
            "segment", "owner__team", "risk_override_by", "created_by"
        ),
        pk=pk,
    )


def _confirmed(request: HttpRequest) -> bool:
    """The "Save anyway" button: the seller saw the warnings and saves regardless."""
    return request.POST.get("confirm") == "1"


def _stale_message(opportunity_id: int) -> str:
    last = opportunity_last_change(opportunity_id=opportunity_id)
    if last is None:
        return _(
            "Someone changed this opportunity after you opened it; your changes were not "
            "saved. Here is the current version."
        )
    return _(
        "%(person)s changed this opportunity at %(time)s; your changes were not saved. "
        "Here is the current version."
    ) % {
        "person": last.actor or _("Someone"),
        "time": formats.time_format(timezone.localtime(last.at), "H:i"),
    }


def _account_for_create(request: HttpRequest, merger: Merger) -> UnifiedAccount | None:
    raw = request.POST.get("account") if request.method == "POST" else request.GET.get("account")
    if not raw:
        return None
    if not raw.isdecimal():
        raise Http404
    return get_program_object_or_404(
        request, UnifiedAccount.objects.filter(merger=merger).select_related("segment"), pk=raw
    )


@program_view("opportunity", Action.CREATE, section="pipeline")
def opportunity_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Prefilled from a whitespace cell or the account page: type the need, save."""
    account = _account_for_create(request, merger)
    if account is None:
        search = request.GET.get("q", "").strip()
        return render(
            request,
            "tracker/opportunity_choose_account.html",
            {
                "search": search,
                "page_obj": Paginator(
                    accounts_to_choose(merger=merger, search=search), ACCOUNT_CHOICES_SHOWN
                ).get_page(request.GET.get("page")),
            },
        )
    user = request.user
    owners = reps_covered_by(user=user, merger=merger).filter(is_active=True)
    own_rep = rep_of(user=user, merger_id=merger.pk)
    prefill = opportunity_prefill(
        merger=merger,
        account=account,
        params=request.GET,
        owner=own_rep,
        today=timezone.localdate(),
    )
    override = _may_override(user, account)
    form = OpportunityCreateForm(
        request.POST or None,
        initial=prefill.initial,
        merger=merger,
        account=account,
        owners=owners,
        override=override,
    )
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("account")
        source = Opportunity.Source.MANUAL
        if is_whitespace_candidate(
            merger=merger, account_id=account.pk, product_id=data["product"].pk
        ):
            source = Opportunity.Source.WHITESPACE
        opportunity = _written(
            form,
            context,
            lambda: opportunity_create(
                actor=user,
                merger=merger,
                account=account,
                source=source,
                warnings_confirmed=_confirmed(request),
                **data,
            ),
        )
        if opportunity is not None:
            messages.success(request, _("Opportunity logged."))
            return redirect("tracker:opportunity_detail", pk=opportunity.pk)
    return render(
        request,
        CREATE_TEMPLATE,
        {
            "form": form,
            "account": account,
            "screen": account_screen(account=account),
            "prefill": prefill,
            "override": override,
            "dont_sell": account.recommendation == DONT_SELL,
            "upsell_only": account.recommendation == UPSELL_ONLY,
            "merger": merger,
            **context,
        },
    )


def _written(
    form: Form, context: dict[str, Any], write: Callable[[], Opportunity]
) -> Opportunity | None:
    """Runs a create or an update; a refusal goes to the form or the page, and gives None."""
    try:
        return write()
    except WarningsNotConfirmed as exc:
        context["warnings"] = exc.warnings
    except DuplicateOpen as exc:
        service_errors_on(form, exc)
        context["duplicate_of"] = exc.existing_id
    except ValidationError as exc:
        service_errors_on(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _detail_context(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    stage_form: StageForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> dict[str, Any]:
    can_change = allowed(request.user, Action.CHANGE, "opportunity", opportunity)
    if can_change:
        stage_form = stage_form or StageForm(opportunity=opportunity)
        if not opportunity.is_open:
            reopen_form = reopen_form or ReopenForm(opportunity=opportunity)
    return {
        "opportunity": opportunity,
        "timeline": opportunity_timeline(opportunity=opportunity),
        "warnings": opportunity_warnings_for(opportunity=opportunity),
        "can_change": can_change,
        "can_view_credit": allowed(request.user, Action.VIEW, "credit"),
        "stage_form": stage_form if can_change else None,
        "stage_path": stage_path(
            path_stages_of(merger_id=opportunity.merger_id), current_id=opportunity.stage_id
        ),
        "today": timezone.localdate(),
        "reopen_form": reopen_form if can_change else None,
        "currency": opportunity.merger.reporting_currency,
    }


@program_view("opportunity", section="pipeline")
def opportunity_detail_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    opportunity = _opportunity_or_404(request, pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, opportunity))


def _changeable(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = _opportunity_or_404(request, pk)
    check_object_access(request, "opportunity", opportunity, Action.CHANGE)
    return opportunity


@program_view("opportunity", Action.CHANGE, section="pipeline")
def opportunity_edit_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    """Carries the version it showed; a save after someone else's is refused, not merged."""
    opportunity = _changeable(request, pk)
    # An owner who has left stays choosable so that the form can keep them.
    owners = reps_covered_by(user=request.user, merger=opportunity.merger).filter(
        Q(is_active=True) | Q(pk=opportunity.owner_id)
    )

    def edit_form(data: Any = None, *, of: Opportunity) -> OpportunityEditForm:
        return OpportunityEditForm(
            data,
            initial=OpportunityEditForm.initial_from(of),
            merger=of.merger,
            owners=owners,
            opportunity=of,
            override=_may_override(request.user, of.account),
        )

    form = edit_form(request.POST or None, of=opportunity)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            updated = _written(
                form,
                context,
                lambda: opportunity_update(
                    actor=request.user,
                    opportunity=opportunity,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes_from(opportunity),
                    risk_override_reason=form.cleaned_data.get("risk_override_reason", ""),
                    warnings_confirmed=_confirmed(request),
                ),
            )
        except StaleVersion:
            current = _opportunity_or_404(request, pk)
            context["stale"] = _stale_message(pk)
            context["yours"] = _submitted_values(form, form.own_changes())
            opportunity, form, updated = current, edit_form(of=current), None
        if updated is not None:
            messages.success(request, _("Opportunity saved."))
            return redirect("tracker:opportunity_detail", pk=updated.pk)
    return render(
        request,
        "tracker/opportunity_edit.html",
        {
            "form": form,
            "opportunity": opportunity,
            "upsell_only": opportunity.account.recommendation == UPSELL_ONLY,
            **context,
        },
    )


def _submitted_values(form: Form, changes: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of what the user tried to save, so that nothing typed is lost."""
    shown = []
    for field, value in changes.items():
        choices = dict(getattr(form.fields[field], "choices", None) or ())
        shown.append((str(form.fields[field].label), str(choices.get(value, value))))
    return shown


@program_view("opportunity", Action.CHANGE, section="pipeline")
@require_POST
def opportunity_stage_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    """Moves to a stage; closed won asks the amount and date, closed lost the reason."""
    opportunity = _changeable(request, pk)
    form = StageForm(request.POST, opportunity=opportunity)
    # Back to the page the move was asked from (the board), else to the deal.
    detail = reverse("tracker:opportunity_detail", args=[pk])
    if form.is_valid():
        try:
            updated = opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except StaleVersion:
            messages.error(request, _stale_message(pk))
            return back_to_next(request, request.POST.get("next", ""), default=detail)
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            messages.success(request, _("Moved to %(stage)s.") % {"stage": updated.stage.name})
            return back_to_next(request, request.POST.get("next", ""), default=detail)
    context = _detail_context(request, opportunity, stage_form=form)
    return render(request, DETAIL_TEMPLATE, context)


@program_view("opportunity", Action.CHANGE, section="pipeline")
@require_POST
def opportunity_reopen_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    """Reopening a won or lost deal is its own, recorded action, never a side effect."""
    opportunity = _changeable(request, pk)
    form = ReopenForm(request.POST, opportunity=opportunity)
    if form.is_valid():
        try:
            opportunity_reopen(
                actor=request.user,
                opportunity=opportunity,
                expected_version=form.cleaned_data["version"],
                stage=form.cleaned_data["stage"],
                expected_close=form.cleaned_data.get("expected_close"),
            )
        except StaleVersion:
            messages.error(request, _stale_message(pk))
            return redirect("tracker:opportunity_detail", pk=pk)
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            messages.success(request, _("Opportunity reopened."))
            return redirect("tracker:opportunity_detail", pk=pk)
    context = _detail_context(request, opportunity, reopen_form=form)
    return render(request, DETAIL_TEMPLATE, context)
