"""The sales side of the six-C indicators: pipeline, quotas, skills and pay, per segment.

Deals are the pipeline page's population (tracker.selectors.metrics.pipeline_figures
and its PipelineFilter), so the stale share and the win rate of a segment are
the figures that page shows for the same segment and date. The reps who work a
segment are the owners of its deals, each weighted by their share of their own
deals (scorecards.indicator_math.shares_of): quota, credited won, pay and headcount
of a rep who sells in three segments are spread over the three, not counted in full in each.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import Merger
from scorecards.indicator_math import (
    HUNDRED,
    pct,
    ratio,
    shares_of,
    weighted_mean,
    weighted_sum,
    win_rate_against_core,
)
from tracker.figures import MONEY, closed_in_q, cross_company_q
from tracker.models import Certification, CompPlan, Opportunity, Stage
from tracker.pipeline_math import ZERO, PipelineFigures, add_months, coverage, month_end
from tracker.selectors.core_win_rates import core_outcomes_within
from tracker.selectors.metrics import Dimension, PipelineFilter, credited_won, pipeline_figures

type Values = dict[int, dict[str, Decimal | None]]
type Shares = dict[int, dict[int, Decimal]]
WINDOW_MONTHS = 12


def window_start(month: date) -> date:
    """The first month of the twelve that end with `month`: the win-rate window."""
    return add_months(month, -(WINDOW_MONTHS - 1))


def population(*, merger: Merger) -> QuerySet[Opportunity]:
    """The program's deals as the pipeline page counts them (every kind it shows)."""
    return PipelineFilter().apply(Opportunity.objects.filter(merger=merger))


def segment_pipeline_figures(
    *, merger: Merger, month: date, at: date
) -> dict[int | None, PipelineFigures]:
    """Open and stale deals at D, won and lost in the twelve months to the month's end."""
    return pipeline_figures(
        merger=merger,
        by=Dimension.SEGMENT,
        closed_from=window_start(month),
        closed_to=month_end(month),
        today=at,
    )


def rep_shares(*, merger: Merger) -> Shares:
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        population(merger=merger)
        .filter(segment__isnull=False)
        .values("segment_id", "owner_id")
        .annotate(deals=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["segment_id"]][row["owner_id"]] = row["deals"]
    return shares_of(counts)


def _by_segment(queryset: QuerySet[Opportunity], **annotations: Any) -> dict[int, dict]:
    rows = (
        queryset.filter(segment__isnull=False)
        .values("segment_id")
        .annotate(**annotations)
        .order_by()
    )
    return {row.pop("segment_id"): row for row in rows}


def capacity(
    merger: Merger,
    values: Values,
    shares: Shares,
    quotas: dict,
    figures: dict[int | None, PipelineFigures],
    month: date,
) -> None:
    # Open cross-company pipeline expected by the month's end (overdue deals included:
    # still expected, only late) over the quota still to win. A month-end reading, not
    # the dashboard's coverage (tracker.figures.closing_q), which an ended month has none of.
    due = _by_segment(
        population(merger=merger),
        open_due=Coalesce(
            Sum(
                "amount",
                filter=Q(outcome=Stage.Outcome.OPEN)
                & cross_company_q()
                & Q(expected_close__lte=month_end(month)),
            ),
            ZERO,
            output_field=MONEY,
        ),
    )
    # The quota still to win is the quota page's: each rep's credited won of the month
    # (splits and overlay), weighted by the same shares as their quota. A win counts for
    # the reps it is credited to, by their share here, not in full where it was logged.
    credited = credited_won(merger=merger, closed_from=month, closed_to=month_end(month))
    core_quota = {rep: core for rep, (core, _cross) in quotas.items()}
    cross_quota = {rep: cross for rep, (_core, cross) in quotas.items()}
    for segment_id, segment in values.items():
        weights = shares.get(segment_id, {})
        core, cross = weighted_sum(core_quota, weights), weighted_sum(cross_quota, weights)
        carrying = {rep: w for rep, w in weights.items() if cross_quota.get(rep, ZERO) > 0}
        segment["cross_sell_quota_share"] = pct(cross, core + cross)
        segment["reps_with_cross_sell_quota"] = pct(
            sum(carrying.values(), ZERO), sum(weights.values(), ZERO)
        )
        segment["pipeline_coverage"] = coverage(
            open_amount=due.get(segment_id, {}).get("open_due", ZERO),
            quota=cross,
            won_amount=weighted_sum(credited, weights),
        )
        pipeline = figures.get(segment_id)
        segment["stale_share"] = (
            pct(pipeline.stale_count, pipeline.open_count) if pipeline else None
        )


def capability(
    merger: Merger, values: Values, figures: dict[int | None, PipelineFigures], month: date
) -> None:
    first, last_day = window_start(month), month_end(month)
    certified = _certified_pairs(merger)
    decided = _decided_by_seller_company(merger, first, last_day)
    core = core_outcomes_within(merger=merger, month_from=first, month_to=month)
    won_in_window = Q(outcome=Stage.Outcome.WON) & closed_in_q(
        closed_from=first, closed_to=last_day
    )
    expected = _by_segment(
        population(merger=merger), days=Avg("product__typical_cycle_days", filter=won_in_window)
    )
    for segment_id, segment in values.items():
        asked, covered = certified.get(segment_id, (0, 0))
        segment["reps_certified"] = pct(covered, asked)
        segment["win_rate_vs_core"] = win_rate_against_core(decided.get(segment_id, {}), core)
        pipeline = figures.get(segment_id)
        cycle = pipeline.cycle_days if pipeline else None
        segment["cycle_vs_expected"] = ratio(cycle, expected.get(segment_id, {}).get("days"))


def _decided_by_seller_company(
    merger: Merger, first: date, last_day: date
) -> dict[int, dict[int, tuple[int, int]]]:
    """{segment: {the selling rep's company: (won, lost)}} closed in the window."""
    period = closed_in_q(closed_from=first, closed_to=last_day)
    rows = (
        population(merger=merger)
        .filter(period, segment__isnull=False)
        .values("segment_id", "owner__company_id")
        .annotate(
            won=Count("id", filter=Q(outcome=Stage.Outcome.WON)),
            lost=Count("id", filter=Q(outcome=Stage.Outcome.LOST)),
        )
        .order_by()
    )
    decided: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        decided[row["segment_id"]][row["owner__company_id"]] = (row["won"], row["lost"])
    return decided


def _certified_pairs(merger: Merger) -> dict[int, tuple[int, int]]:
    """{segment: (rep and product pairs asked to sell, pairs whose rep is certified)}.

    A large program has some 175k such pairs: counted in SQL over the distinct
    pairs, rather than compared as sets in Python.
    """
    asked = (
        population(merger=merger)
        .filter(segment__isnull=False)
        .order_by()
        .values("segment_id", "owner_id", "product_id")
        .distinct()
        .annotate(
            certified=Exists(
                Certification.objects.filter(
                    rep_id=OuterRef("owner_id"), product_id=OuterRef("product_id")
                )
            )
        )
    )
    sql, params = asked.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT segment_id, COUNT(*), SUM(CASE WHEN certified THEN 1 ELSE 0 END) "
            f"FROM ({sql}) asked GROUP BY segment_id",
            params,
        )
        return {segment: (count, covered or 0) for segment, count, covered in cursor.fetchall()}


def compensation(merger: Merger, values: Values, shares: Shares, month: date) -> None:
    plans = CompPlan.objects.filter(
        merger=merger, period_start__lte=month_end(month), period_end__gte=month
    )
    rep_plans: dict[int, tuple[Decimal, Decimal, str, Decimal, Decimal]] = {}
    for rep_id, share, pay, kind, flat, percent in plans.filter(for_leaders=False).values_list(
        "reps__id",
        "cross_sell_share_pct",
        "target_variable_pay",
        "spif_kind",
        "spif_amount",
        "spif_percent",
    ):
        if rep_id is not None:
            rep_plans[rep_id] = (share, pay, kind, flat, percent)
    # Leaders' plans name no reps: they apply to every leader of the program.
    leader_shares = list(
        plans.filter(for_leaders=True).values_list("cross_sell_share_pct", flat=True)
    )
    deals = _by_segment(
        population(merger=merger),
        deal=Avg("amount", filter=Q(outcome=Stage.Outcome.WON)),
        core=Avg("owner__typical_core_deal"),
    )
    for segment_id, segment in values.items():
        weights = shares.get(segment_id, {})
        terms = {rep: rep_plans[rep] for rep in weights if rep in rep_plans}
        row = deals.get(segment_id, {})
        deal = row.get("deal")
        segment["cross_sell_variable_share"] = weighted_mean(
            {rep: t[0] for rep, t in terms.items()}, weights
        )
        segment["spif_materiality"] = weighted_mean(
            {rep: _spif_share(t, deal) for rep, t in terms.items()}, weights
        )
        segment["deal_size_vs_core"] = ratio(deal, row.get("core"))
        rep_pays = any(t[0] > 0 for t in terms.values())
        segment["leaders_aligned"] = (
            None
            if not terms or not leader_shares
            else Decimal(int(rep_pays == any(share > 0 for share in leader_shares)))
        )


def _spif_share(terms: tuple, deal: Decimal | None) -> Decimal | None:
    _share, pay, kind, flat, percent = terms
    if not pay or kind == CompPlan.Spif.NONE:
        return ZERO if pay else None
    per_deal = flat if kind == CompPlan.Spif.FLAT else (deal or ZERO) * percent / HUNDRED
    return pct(per_deal, pay / 12)
