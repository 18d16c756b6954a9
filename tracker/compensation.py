"""Comp-plan arithmetic and warnings on plain numbers (Compensation, the fifth C).

The thresholds encode the research in the domain brief: a SPIF that barely moves
attainment reads as "nice to have", a SPIF-only plan signals the same, too big a
cross-sell share drains other sales, and leaders must be paid like their reps.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tracker.pipeline_math import cents

ZERO = Decimal("0")
HUNDRED = Decimal("100")
ATTAINMENT_CAP = Decimal("2")
# A SPIF on a typical deal worth less than this share of a month's target variable pay.
SPIF_MATERIAL_SHARE = Decimal("0.05")
CROSS_SELL_SHARE_MAX = Decimal("50")


# A comp plan's fields that decide what it pays: kept with a closed month's snapshot.
PAYOUT_TERMS = (
    "target_variable_pay",
    "cross_sell_share_pct",
    "spif_kind",
    "spif_amount",
    "spif_percent",
    "president_club_requires_cross_sell",
)


@dataclass(frozen=True)
class PlanTerms:
    target_variable_pay: Decimal
    cross_sell_share_pct: Decimal
    spif_kind: str  # "none", "flat" or "percent"
    spif_amount: Decimal = ZERO
    spif_percent: Decimal = ZERO
    months: int = 12


@dataclass(frozen=True)
class Payout:
    cross_sell_variable: Decimal
    spif: Decimal

    @property
    def total(self) -> Decimal:
        return self.cross_sell_variable + self.spif


def spif_value(plan: PlanTerms, *, won_amount: Decimal, won_count: int) -> Decimal:
    if plan.spif_kind == "flat":
        return plan.spif_amount * won_count
    if plan.spif_kind == "percent":
        return won_amount * plan.spif_percent / HUNDRED
    return ZERO


def estimated_payout(
    plan: PlanTerms,
    *,
    credited_won: Decimal,
    won_count: int,
    cross_sell_quota: Decimal,
    period_months: int = 1,
) -> Payout:
    """Cross-sell variable pay earned by attainment (capped at 200%) plus the SPIF."""
    at_target = plan.target_variable_pay * plan.cross_sell_share_pct / HUNDRED
    at_target = at_target * period_months / plan.months
    attainment = min(credited_won / cross_sell_quota, ATTAINMENT_CAP) if cross_sell_quota else ZERO
    return Payout(
        cross_sell_variable=cents(at_target * attainment),
        spif=cents(spif_value(plan, won_amount=credited_won, won_count=won_count)),
    )


def plan_warnings(
    plan: PlanTerms,
    *,
    typical_cross_sell_deal: Decimal,
    leader_cross_sell_share_pct: Decimal | None = None,
) -> list[str]:
    warnings = []
    if plan.spif_kind != "none" and plan.cross_sell_share_pct == 0:
        warnings.append(_("Cross-sell is paid only by a SPIF: reps read that as a nice-to-have."))
    if plan.cross_sell_share_pct == 0 and plan.spif_kind == "none":
        warnings.append(_("Cross-sell earns nothing under this plan."))
    monthly_variable = plan.target_variable_pay / plan.months if plan.months else ZERO
    per_deal = spif_value(plan, won_amount=typical_cross_sell_deal, won_count=1)
    if (
        plan.spif_kind != "none"
        and monthly_variable
        and per_deal < (monthly_variable * SPIF_MATERIAL_SHARE)
    ):
        warnings.append(
            _(
                "The SPIF on a typical cross-sell deal (%(spif)s) is under 5%% of a month's "
                "variable pay: too small to move attainment."
            )
            % {"spif": cents(per_deal)}
        )
    if plan.cross_sell_share_pct > CROSS_SELL_SHARE_MAX:
        warnings.append(
            _("Over half of variable pay rides on cross-sell: it may drain core sales.")
        )
    if leader_cross_sell_share_pct is not None and (
        (leader_cross_sell_share_pct == 0) != (plan.cross_sell_share_pct == 0)
    ):
        warnings.append(_("Leaders' incentives do not match their reps' on cross-sell."))
    return warnings
