"""Measures every default indicator for every segment of a program in one pass.

Each family of indicators is one grouped query over all segments at once, so
scoring 20 segments costs the same number of queries as scoring one. Figures
follow their one definition (tracker.figures): deals are counted as the
pipeline page counts them, as of D = the month's last day or today, whichever
comes first. People indicators (quotas, certifications, pay) are read per
segment through the reps who work it (see scorecards.selectors.indicators_sales).
Only an accountable leader and the monthly reviews are program-wide.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import median

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Merger, SourceAccount, UnifiedAccount, WhitespaceCell
from scorecards.indicator_math import HUNDRED, pct, ratio, weighted_sum
from scorecards.models import ProgramReview
from scorecards.selectors.indicators_sales import (
    Values,
    capability,
    capacity,
    compensation,
    rep_shares,
    segment_pipeline_figures,
)
from tracker.figures import realized_q
from tracker.models import Opportunity, SynergyTarget
from tracker.pipeline_math import ZERO, add_months, month_end
from tracker.selectors.metrics import Dimension, quota_totals

__all__ = ["Values", "indicator_values", "scoring_date", "segment_pipeline_figures"]


def scoring_date(*, month: date, today: date | None = None) -> date:
    """D, the day a month's figures are taken at: its last day, or today while it runs."""
    return min(month_end(month), today or timezone.localdate())


def indicator_values(*, merger: Merger, month: date, today: date | None = None) -> Values:
    """{segment_id: {indicator code: value or None}} for the month (first day)."""
    month = month.replace(day=1)
    at = scoring_date(month=month, today=today)
    segment_ids = list(merger.segments.values_list("id", flat=True))
    values: Values = {segment_id: {} for segment_id in segment_ids}
    accounts = _account_counts(merger)
    _complementarity(merger, values, accounts)
    _connection(merger, values, accounts, month_end(month))
    shares = rep_shares(merger=merger)
    # A quarterly quota counts a third in each of its months, as on the quota board.
    quotas = quota_totals(merger=merger, month_from=month, month_to=month, by=Dimension.REP)
    figures = segment_pipeline_figures(merger=merger, month=month, at=at)
    capacity(merger, values, shares, quotas, figures, month)
    capability(merger, values, figures, month)
    compensation(merger, values, shares, month)
    _commitment(merger, values, shares, quotas, month)
    return values


def _account_counts(merger: Merger) -> dict[int, dict[str, int]]:
    rows = (
        UnifiedAccount.objects.filter(merger=merger, segment__isnull=False)
        .values("segment_id")
        .annotate(
            total=Count("id"),
            one_side=Count(
                "id",
                filter=Q(
                    status__in=[
                        UnifiedAccount.Status.ACQUIRER_ONLY,
                        UnifiedAccount.Status.ACQUIRED_ONLY,
                    ]
                ),
            ),
            strong=Count("id", filter=Q(connection_strength__gte=_strong_from(merger))),
        )
        .order_by()
    )
    return {row.pop("segment_id"): row for row in rows}


def _strong_from(merger: Merger) -> int:
    policy = getattr(merger, "risk_policy", None)
    return policy.strong_connection_min if policy else 60


def _complementarity(merger: Merger, values: Values, accounts: dict) -> None:
    revenue = dict(
        SourceAccount.objects.filter(unified__merger=merger, unified__segment__isnull=False)
        .values("unified__segment_id")
        .annotate(total=Sum("revenue_current"))
        .values_list("unified__segment_id", "total")
        .order_by()
    )
    cells = (
        WhitespaceCell.objects.filter(merger=merger, segment__isnull=False)
        .values("segment_id")
        .annotate(
            a_to_b=Coalesce(Sum("potential_value", filter=Q(direction="a_to_b")), ZERO),
            b_to_a=Coalesce(Sum("potential_value", filter=Q(direction="b_to_a")), ZERO),
            with_candidate=Count("account_id", distinct=True),
            # The segment's own candidates, not the product map as a whole: how much
            # of this segment's whitespace rests on pairs customers confirmed.
            mapped=Count("id", filter=Q(via__isnull=False)),
            validated=Count("id", filter=Q(via__validated_with_customers=True)),
        )
        .order_by()
    )
    for row in cells:
        segment = values.get(row["segment_id"])
        if segment is None:
            continue
        segment_revenue = revenue.get(row["segment_id"])
        segment["whitespace_a_to_b"] = pct(row["a_to_b"], segment_revenue)
        segment["whitespace_b_to_a"] = pct(row["b_to_a"], segment_revenue)
        total = accounts.get(row["segment_id"], {}).get("total")
        segment["accounts_with_candidate"] = pct(row["with_candidate"], total)
        segment["validated_pairs"] = pct(row["validated"], row["mapped"])
    for segment_id, counts in accounts.items():
        if segment_id in values:
            values[segment_id]["newly_reachable"] = pct(counts["one_side"], counts["total"])


def _connection(merger: Merger, values: Values, accounts: dict, last_day: date) -> None:
    sources = SourceAccount.objects.filter(unified__merger=merger, unified__segment__isnull=False)
    rows = (
        sources.values("unified__segment_id")
        .annotate(
            known=Count("unified_id", distinct=True, filter=Q(decision_maker_known=True)),
            current=Sum("revenue_current"),
            prior=Sum("revenue_prior"),
        )
        .order_by()
    )
    tenures: dict[int, list[int]] = defaultdict(list)
    for segment_id, since in sources.filter(relationship_since__isnull=False).values_list(
        "unified__segment_id", "relationship_since"
    ):
        tenures[segment_id].append((last_day - since).days)
    for row in rows:
        segment_id = row["unified__segment_id"]
        if segment_id not in values:
            continue
        counts = accounts.get(segment_id, {})
        segment = values[segment_id]
        segment["strong_relationships"] = pct(counts.get("strong"), counts.get("total"))
        segment["decision_maker_known"] = pct(row["known"], counts.get("total"))
        growth = ratio(row["current"], row["prior"])
        segment["revenue_growth"] = None if growth is None else (growth - 1) * HUNDRED
        days = tenures.get(segment_id)
        segment["relationship_tenure"] = (
            (Decimal(median(days)) / Decimal("365.25")).quantize(Decimal("0.1")) if days else None
        )


def _commitment(merger: Merger, values: Values, shares: dict, quotas: dict, month: date) -> None:
    last_day = month_end(month)
    reviews = ProgramReview.objects.filter(
        merger=merger, held_on__gte=add_months(month, -2), held_on__lte=last_day
    ).count()
    targets = SynergyTarget.objects.filter(merger=merger, segment__isnull=False)
    to_date = _sum_by_segment(targets.filter(month__lte=month), "cross_sell")
    this_month = _sum_by_segment(targets.filter(month=month), "cross_sell")
    realized = _sum_by_segment(
        Opportunity.objects.filter(
            realized_q(closed_from=merger.day_one, closed_to=last_day),
            merger=merger,
            segment__isnull=False,
        ),
        "amount",
    )
    cross_quota = {rep: cross for rep, (_core, cross) in quotas.items()}
    for segment_id, segment in values.items():
        carried = weighted_sum(cross_quota, shares.get(segment_id, {}))
        segment["leader_assigned"] = Decimal(int(merger.accountable_leader_id is not None))
        segment["targets_cascaded"] = pct(carried, this_month.get(segment_id))
        segment["reviews_held"] = Decimal(reviews)
        segment["synergy_progress"] = pct(realized.get(segment_id, ZERO), to_date.get(segment_id))


def _sum_by_segment(queryset, field: str) -> dict[int, Decimal]:
    rows = queryset.values("segment_id").annotate(total=Sum(F(field))).order_by()
    return {row["segment_id"]: row["total"] for row in rows}
