"""Reads of compensation: estimated payouts per rep, and plans with their warnings.

The arithmetic is tracker.compensation's; this module gathers its inputs in a
fixed number of grouped queries (plans, credited wins, win counts, quotas), a closed
month's from its snapshot (tracker.selectors.period_figures), and a closed period's
plans as its months froze them (tracker.selectors.frozen_plans).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q

from accounts.models import Kind, Merger, Product
from accounts.percent import percent
from core.access import Role, User, roles_of
from tracker.compensation import Payout, PlanTerms, estimated_payout, plan_warnings
from tracker.models import CompPlan, Opportunity, Rep
from tracker.pipeline_math import ZERO, attainment, month_end, months_between
from tracker.selectors.frozen_plans import KeptPlan, kept_plans, kept_plans_by_rep, paying_plans
from tracker.selectors.frozen_plans import unkept_month as unkept_month_of
from tracker.selectors.frozen_quotas import FrozenMonths
from tracker.selectors.period_figures import period_figures
from tracker.selectors.reach import led_team_ids


@dataclass(frozen=True)
class PayoutRow:
    rep: Rep
    # A closed period's plan as its months froze it (KeptPlan), else today's.
    plan: CompPlan | KeptPlan | None
    credited_won: Decimal
    won_count: int
    cross_sell_quota: Decimal
    attainment: Decimal | None
    payout: Payout | None
    # None when the plan makes no cross-sell condition of President's Club.
    president_club_met: bool | None

    @property
    def attainment_pct(self) -> Decimal | None:
        return percent(self.attainment)


@dataclass(frozen=True)
class PlanReview:
    plan: CompPlan
    warnings: list[str]
    typical_cross_sell_deal: Decimal
    leader_plan: CompPlan | None


def plan_terms(plan: CompPlan | KeptPlan) -> PlanTerms:
    return PlanTerms(
        target_variable_pay=plan.target_variable_pay,
        cross_sell_share_pct=plan.cross_sell_share_pct,
        spif_kind=plan.spif_kind,
        spif_amount=plan.spif_amount,
        spif_percent=plan.spif_percent,
        months=months_between(plan.period_start, plan.period_end),
    )


@dataclass(frozen=True)
class Payouts:
    rows: list[PayoutRow]
    # The closed months of the period, read as frozen (tracker.selectors.period_figures).
    frozen: FrozenMonths
    live_months: tuple[date, ...]
    # The closed month whose snapshot's plans paid the period (all its months closed);
    # None when today's plans did.
    plans_frozen_month: date | None = None
    # A closed period with a month frozen before plans were kept: the latest such.
    # Its payouts are on today's plans, and the pages say so (never a guess as frozen).
    plans_unkept_month: date | None = None


def payouts_for(
    *,
    merger: Merger,
    month_from: date,
    month_to: date,
    rep_ids: Collection[int] | None = None,
) -> list[PayoutRow]:
    """Each rep's credited cross-sell, attainment and estimated payout for the months."""
    return payouts_of_period(
        merger=merger, month_from=month_from, month_to=month_to, rep_ids=rep_ids
    ).rows


def payouts_of_period(
    *,
    merger: Merger,
    month_from: date,
    month_to: date,
    rep_ids: Collection[int] | None = None,
) -> Payouts:
    """payouts_for with the months it read as frozen; closed months pay on their
    snapshot's credit, quota and count, so a later edit of their deals moves no payout
    of theirs. A period all closed pays on the plans its months froze: a plan
    edited or a rep moved off it since moves none of its payouts either."""
    first, last_month = month_from.replace(day=1), month_to.replace(day=1)
    reps = Rep.objects.filter(merger=merger).select_related("user", "team")
    if rep_ids is not None:
        reps = reps.filter(pk__in=list(rep_ids))
    figures = period_figures(merger=merger, first=first, last_month=last_month, counts=True)
    plans: dict[int, CompPlan] | dict[int, KeptPlan] | None = None
    kept_month = unkept_month = None
    if figures.frozen.months and not figures.live_months:
        kept = kept_plans(merger=merger, first=first, last_month=last_month)
        if kept is None:
            unkept_month = unkept_month_of(merger=merger, first=first, last_month=last_month)
        else:
            plans, kept_month = kept_plans_by_rep(kept), last_month
    if plans is None:
        plans = plans_by_rep(merger=merger, first=first, last=month_end(last_month))
    months = months_between(first, last_month)
    rows = []
    for rep in reps.order_by("user__last_name", "user__first_name", "user__username", "pk"):
        of_rep = figures.of(rep.pk)
        won, quota, count = of_rep.credited_won, of_rep.cross_sell_quota, of_rep.credited_count
        if not rep.is_active and not (won or quota):
            continue
        plan = plans.get(rep.pk)
        reached = attainment(won_amount=won, quota=quota)
        payout = None
        if plan is not None:
            payout = estimated_payout(
                plan_terms(plan),
                credited_won=won,
                won_count=count,
                cross_sell_quota=quota,
                period_months=months,
            )
        club = None
        if plan is not None and plan.president_club_requires_cross_sell:
            club = reached is not None and reached >= 1
        rows.append(
            PayoutRow(
                rep=rep,
                plan=plan,
                credited_won=won,
                won_count=count,
                cross_sell_quota=quota,
                attainment=reached,
                payout=payout,
                president_club_met=club,
            )
        )
    return Payouts(
        rows=rows,
        frozen=figures.frozen,
        live_months=figures.live_months,
        plans_frozen_month=kept_month,
        plans_unkept_month=unkept_month,
    )


def payout_rep_ids(*, user: User, merger: Merger) -> set[int] | None:
    """Whose payouts the user sees: everyone's (None), their teams' and their own, or own."""
    roles = roles_of(user)
    if roles & {Role.OPS, Role.EXECUTIVE}:
        return None
    reps = Rep.objects.filter(merger=merger)
    own = (
        set(reps.filter(user=user).values_list("id", flat=True))
        if user.is_authenticated
        else set()
    )
    if Role.LEADER in roles:
        return own | set(reps.filter(team_id__in=led_team_ids(user)).values_list("id", flat=True))
    return own


def plans_by_rep(*, merger: Merger, first: date, last: date) -> dict[int, CompPlan]:
    """The plan each rep is paid by in the period: the latest starting one if several."""
    plans = {
        plan.pk: plan
        for plan in CompPlan.objects.filter(
            merger=merger, period_start__lte=last, period_end__gte=first
        )
    }
    # Rep and plan ids, not a plan object per membership: a program of a thousand reps
    # built two thousand model instances here.
    memberships = CompPlan.reps.through.objects.filter(compplan_id__in=list(plans)).values_list(
        "rep_id", "compplan_id"
    )
    return paying_plans(plans, memberships)


def typical_cross_sell_deal(*, merger: Merger) -> Decimal:
    """Average typical deal size of the products offered in cross-sell opportunities.

    Falls back to all of the program's products before any cross-sell is logged.
    """
    # EXISTS per product (a few dozen index probes), not IN: the IN list was every
    # cross-sell deal of the program, read in full on each request.
    offered = Opportunity.objects.filter(
        merger=merger, kind=Kind.CROSS_SELL, product_id=OuterRef("pk")
    )
    products = Product.objects.filter(company__merger=merger)
    figures = products.aggregate(
        offered=Avg("typical_deal_size", filter=Q(Exists(offered))),
        every=Avg("typical_deal_size"),
    )
    value = figures["offered"] if figures["offered"] is not None else figures["every"]
    return Decimal(value or ZERO).quantize(Decimal("0.01"))


def plan_reviews(*, merger: Merger) -> list[PlanReview]:
    """Every plan of the program with its warnings (SPIF-only, SPIF too small, ...)."""
    plans = list(
        CompPlan.objects.filter(merger=merger)
        .annotate(rep_count=Count("reps"))
        .order_by("-period_start", "for_leaders", "name")
    )
    typical = typical_cross_sell_deal(merger=merger)
    leader_plans = [plan for plan in plans if plan.for_leaders]
    reviews = []
    for plan in plans:
        leader_plan = None if plan.for_leaders else _leader_plan_of(plan, leader_plans)
        terms = plan_terms(plan)
        warnings = plan_warnings(
            terms,
            typical_cross_sell_deal=typical,
            leader_cross_sell_share_pct=(
                leader_plan.cross_sell_share_pct if leader_plan is not None else None
            ),
        )
        reviews.append(PlanReview(plan, warnings, typical, leader_plan))
    return reviews


def _leader_plan_of(plan: CompPlan, leader_plans: list[CompPlan]) -> CompPlan | None:
    """The leaders' plan of the same period: the one overlapping it the most."""
    candidates = [
        leader
        for leader in leader_plans
        if leader.period_start <= plan.period_end and leader.period_end >= plan.period_start
    ]

    def overlap(leader: CompPlan) -> int:
        return (
            min(leader.period_end, plan.period_end) - max(leader.period_start, plan.period_start)
        ).days

    return max(candidates, key=overlap, default=None)
