"""The risk policy page: thresholds beside the share of customers each one flags.

Sales ops calibrates by previewing: a GET with candidate thresholds in the
query string computes what they would flag and writes nothing; saving is a
POST of the previewed values.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import Merger, RiskPolicy, UnifiedAccount
from accounts.percent import percent_of
from accounts.risk import PROFILE_LABELS, Profile, Recommendation, RiskThresholds, ScreenCounts
from accounts.selectors.risk import (
    risk_policy_for,
    risk_screen_counts_each,
    risk_screen_counts_stored,
    risk_thresholds,
    strong_connection_count,
)
from accounts.services.risk_policy import POLICY_FIELDS, risk_policy_update
from accounts.views.analysis_forms import RiskPolicyForm
from core.access import Action, allowed
from core.web import check_access, program_view

RESOURCE = "risk"
# Which thresholds decide each profile, in the order the page lists them.
PROFILE_FIELDS: tuple[tuple[Profile, tuple[str, ...]], ...] = (
    (Profile.SERVICE_DEMANDER, ("service_demand_growth_pct", "service_demand_min_tickets")),
    (Profile.REVENUE_REVERSER, ("revenue_reversal_pct",)),
    (Profile.PROMOTION_MAXIMIZER, ("promotion_discount_pct",)),
    (Profile.SPENDING_LIMITER, ("spending_limit_growth_pct", "spending_limit_min_products")),
)


@dataclass(frozen=True)
class Flagged:
    count: int
    share: Decimal


@dataclass(frozen=True)
class ShareRow:
    """One line of the page: what is flagged now and with the previewed thresholds."""

    label: Promise | str
    fields: list[BoundField]
    now: Flagged
    preview: Flagged | None
    key: str = ""


@program_view(RESOURCE, section="accounts")
def risk_policy_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    policy = risk_policy_for(merger_id=merger.pk)
    if request.method == "POST":
        check_access(request, RESOURCE, Action.CHANGE)
        form = RiskPolicyForm(request.POST, instance=_copy(policy))
        if _save(request, merger, form):
            return redirect("accounts:risk_policy")
    elif any(name in request.GET for name in POLICY_FIELDS):
        # A threshold left out of the query string keeps its saved value.
        saved = {name: getattr(policy, name) for name in POLICY_FIELDS}
        asked = {name: request.GET[name] for name in POLICY_FIELDS if name in request.GET}
        form = RiskPolicyForm({**saved, **asked}, instance=_copy(policy))
    else:
        form = RiskPolicyForm(instance=_copy(policy))
    candidate = _candidate(form)
    return render(
        request,
        "accounts/risk_policy.html",
        {
            "merger": merger,
            "policy": policy,
            "form": form,
            "candidate": candidate,
            "changed": candidate is not None
            and any(candidate[name] != getattr(policy, name) for name in POLICY_FIELDS),
            "can_change": allowed(request.user, Action.CHANGE, RESOURCE),
            **_shares(merger, policy, form, candidate),
        },
    )


def _save(request: HttpRequest, merger: Merger, form: RiskPolicyForm) -> bool:
    if not form.is_valid():
        return False
    try:
        risk_policy_update(
            actor=request.user,
            merger=merger,
            **{name: form.cleaned_data[name] for name in POLICY_FIELDS},
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request, _("Risk thresholds saved; every account is being screened again with them.")
    )
    return True


def _copy(policy: RiskPolicy) -> RiskPolicy:
    """A form validates into its instance; the saved policy must stay as it is."""
    copy = RiskPolicy(merger_id=policy.merger_id)
    for name in POLICY_FIELDS:
        setattr(copy, name, getattr(policy, name))
    return copy


def _candidate(form: RiskPolicyForm) -> dict[str, Any] | None:
    if not form.is_bound or not form.is_valid():
        return None
    return {name: form.cleaned_data[name] for name in POLICY_FIELDS}


def _thresholds(values: dict[str, Any]) -> RiskThresholds:
    return RiskThresholds(**{k: v for k, v in values.items() if k != "strong_connection_min"})


def _shares(
    merger: Merger, policy: RiskPolicy, form: RiskPolicyForm, candidate: dict[str, Any] | None
) -> dict[str, Any]:
    now = risk_screen_counts_stored(merger_id=merger.pk, policy=policy)
    asked = ([risk_thresholds(policy)] if now is None else []) + (
        [_thresholds(candidate)] if candidate else []
    )
    counted = risk_screen_counts_each(merger_id=merger.pk, thresholds=asked) if asked else []
    if now is None:
        now, *counted = counted
    preview = counted[0] if counted else None

    def profile(counts: ScreenCounts | None, key: Profile) -> Flagged | None:
        return counts and Flagged(counts.profiles[key], counts.profile_share(key))

    def recommended(counts: ScreenCounts | None, key: Recommendation) -> Flagged | None:
        return counts and Flagged(counts.recommendations[key], counts.recommendation_share(key))

    def strong(minimum: int) -> Flagged:
        count = strong_connection_count(merger_id=merger.pk, minimum=minimum)
        return Flagged(count, percent_of(count, now.accounts) or Decimal(0))

    return {
        "customers": now.accounts,
        "profiles": [
            ShareRow(
                label=PROFILE_LABELS[key],
                fields=[form[name] for name in names],
                now=profile(now, key),
                preview=profile(preview, key),
                key=key.value,
            )
            for key, names in PROFILE_FIELDS
        ],
        "recommendations": [
            ShareRow(
                label=label,
                fields=[],
                now=recommended(now, Recommendation(value)),
                preview=recommended(preview, Recommendation(value)),
                key=value,
            )
            for value, label in UnifiedAccount.Recommendation.choices
        ],
        "connection": ShareRow(
            label=_("Strong connection"),
            fields=[form["strong_connection_min"]],
            now=strong(policy.strong_connection_min),
            preview=strong(candidate["strong_connection_min"]) if candidate else None,
        ),
    }
