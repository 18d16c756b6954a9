"""Compensation pages: plans with their warnings, estimated payouts, and ops' plan forms."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Merger
from core.access import Action, allowed
from core.web import (
    check_object_access,
    form_saved,
    get_program_object_or_404,
    program_view,
)
from tracker.frozen_notes import frozen_notes, plan_terms_notes
from tracker.models import CompPlan, Rep
from tracker.selectors.compensation import payout_rep_ids, payouts_of_period, plan_reviews
from tracker.services.compensation import FIELDS, MONEY, comp_plan_create, comp_plan_update
from tracker.views.quota_forms import chosen_period, currency_code, period_picker


@program_view("payout", section="compensation")
def compensation_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    today = timezone.localdate()
    period = chosen_period(request.GET.get("period"), today=today)
    payouts = payouts_of_period(
        merger=merger,
        month_from=period.start,
        month_to=period.last_month,
        rep_ids=payout_rep_ids(user=request.user, merger=merger),
    )
    can_see_plans = allowed(request.user, Action.VIEW, "comp_plan")
    return render(
        request,
        "tracker/compensation.html",
        {
            "merger": merger,
            **period_picker(period, today=today),
            "rows": payouts.rows,
            "period_in_progress": period.end >= today,
            "frozen_notes": frozen_notes(
                frozen_months=payouts.frozen.months,
                live_months=payouts.live_months,
                frozen_at=payouts.frozen.frozen_at,
                uncounted=payouts.frozen.uncounted,
            )
            + plan_terms_notes(
                frozen_months=payouts.frozen.months,
                frozen_with=payouts.plans_frozen_month,
                unkept=payouts.plans_unkept_month,
            ),
            "reviews": plan_reviews(merger=merger) if can_see_plans else [],
            "can_see_plans": can_see_plans,
            "can_create": allowed(request.user, Action.CREATE, "comp_plan"),
            "can_change": allowed(request.user, Action.CHANGE, "comp_plan"),
        },
    )


class CompPlanForm(forms.ModelForm):
    reps = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Reps on the plan"),
        queryset=Rep.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = CompPlan
        fields = list(FIELDS)
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "cross_sell_share_pct": gettext_lazy(
                "Share of target variable pay earned by cross-sell attainment."
            ),
            "spif_amount": gettext_lazy("For a flat SPIF: paid per won cross-sell deal."),
            "spif_percent": gettext_lazy("For a percentage SPIF: share of the won amount."),
        }

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reps"].queryset = (
            Rep.objects.filter(merger=merger)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        self.fields["currency"].help_text = gettext_lazy(
            "ISO 4217 code or symbol of the plan's money; blank: the reporting currency."
        )
        if self.instance.pk:
            self.initial["reps"] = list(self.instance.reps.values_list("pk", flat=True))
            # The money as entered, in the plan's currency.
            for field in MONEY:
                self.initial[field] = self.instance.entered(field)

    def clean_currency(self) -> str:
        return currency_code(self.cleaned_data.get("currency"))

    def validate_unique(self) -> None:
        # The service checks the name within the program and says which plan clashes.
        pass


def _plan_form_page(
    request: HttpRequest,
    merger: Merger,
    plan: CompPlan | None,
    save: Callable[[dict[str, Any]], CompPlan],
) -> HttpResponse:
    form = CompPlanForm(
        request.POST or None, instance=plan or CompPlan(merger=merger), merger=merger
    )
    if request.method == "POST" and form_saved(request, form, save, done=_("Comp plan saved.")):
        return redirect("tracker:compensation")
    return render(
        request,
        "tracker/comp_plan_form.html",
        {"merger": merger, "form": form, "plan": plan},
    )


@program_view("comp_plan", Action.CREATE, section="compensation")
def comp_plan_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    def save(data: dict[str, Any]) -> CompPlan:
        return comp_plan_create(actor=request.user, merger=merger, **data)

    return _plan_form_page(request, merger, None, save)


@program_view("comp_plan", Action.CHANGE, section="compensation")
def comp_plan_edit_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    plan = get_program_object_or_404(request, CompPlan.objects.all(), pk=pk)
    check_object_access(request, "comp_plan", plan, Action.CHANGE)
    # The form edits a copy: a refused save must not leave the page's plan half-changed.
    original = CompPlan.objects.get(pk=plan.pk)

    def save(data: dict[str, Any]) -> CompPlan:
        return comp_plan_update(actor=request.user, plan=original, **data)

    return _plan_form_page(request, plan.merger, plan, save)
