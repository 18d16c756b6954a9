"""Measures every default indicator for every segment of a program in one pass.

Each family of indicators is one grouped query over all segments at once, so
scoring 20 segments costs the same number of queries as scoring one. People
indicators (quotas, certifications, pay) are read per segment through the reps
who work it: the owners of the segment's opportunities.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, DecimalField, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from accounts.db_functions import DaysBetween
from accounts.models import Merger, SourceAccount, UnifiedAccount, WhitespaceCell
from scorecards.models import ProgramReview, ScoringPolicy
from tracker.figures import stale_q
from tracker.models import Certification, CompPlan, Opportunity, Stage, SynergyTarget
from tracker.pipeline_math import ZERO, add_months, month_end
from tracker.selectors.metrics import Dimension, quota_totals

type Values = dict[int, dict[str, Decimal | None]]
MONEY = DecimalField(max_digits=20, decimal_places=4)
HUNDRED = Decimal("100")
DEFAULT_CORE_WIN_RATE = Decimal("0.30")


def pct(part: Any, whole: Any) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"))


def ratio(part: Any, whole: Any) -> Decimal | None:
    if not whole or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def indicator_values(*, merger: Merger, month: date) -> Values:
    """{segment_id: {indicator code: value or None}} for the month (first day)."""
    last_day = month_end(month)
    segment_ids = list(merger.segments.values_list("id", flat=True))
    values: Values = {segment_id: {} for segment_id in segment_ids}
    accounts = _account_counts(merger)
    _complementarity(merger, values, accounts)
    _connection(merger, values, accounts, last_day)
    reps = _reps_by_segment(merger)
    # A quarterly quota counts a third in each of its months, as on the quota board.
    quotas = quota_totals(merger=merger, month_from=month, month_to=month, by=Dimension.REP)
    _capacity(merger, values, reps, quotas, last_day)
    _capability(merger, values, reps, last_day)
    _compensation(merger, values, reps, month, last_day)
    _commitment(merger, values, reps, quotas, month, last_day)
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
            pairs=Count("via_id", distinct=True),
            validated=Count("via_id", distinct=True, filter=Q(via__validated_with_customers=True)),
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
        segment["validated_pairs"] = pct(row["validated"], row["pairs"])
    for segment_id, counts in accounts.items():
        if segment_id in values:
            values[segment_id]["newly_reachable"] = pct(counts["one_side"], counts["total"])


def _connection(merger: Merger, values: Values, accounts: dict, month_end: date) -> None:
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
        tenures[segment_id].append((month_end - since).days)
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


def _reps_by_segment(merger: Merger) -> dict[int, set[int]]:
    reps: dict[int, set[int]] = defaultdict(set)
    # order_by() drops the model's ordering, which DISTINCT would otherwise include.
    pairs = (
        Opportunity.objects.filter(merger=merger, segment__isnull=False)
        .order_by()
        .values_list("segment_id", "owner_id")
        .distinct()
    )
    for segment_id, owner_id in pairs:
        reps[segment_id].add(owner_id)
    return reps


def _opportunities_by_segment(merger: Merger, **annotations: Any) -> dict[int, dict]:
    rows = (
        Opportunity.objects.filter(merger=merger, segment__isnull=False)
        .values("segment_id")
        .annotate(**annotations)
        .order_by()
    )
    return {row.pop("segment_id"): row for row in rows}


def _capacity(merger: Merger, values: Values, reps: dict, quotas: dict, month_end: date) -> None:
    open_q = Q(outcome=Stage.Outcome.OPEN)
    pipeline = _opportunities_by_segment(
        merger,
        open_count=Count("id", filter=open_q),
        open_amount=Coalesce(Sum("amount", filter=open_q), ZERO, output_field=MONEY),
        stale=Count("id", filter=stale_q(at=month_end, days=merger.stale_after_days)),
    )
    for segment_id, segment in values.items():
        rep_ids = reps.get(segment_id, set())
        core = sum((quotas.get(rep, (ZERO, ZERO))[0] for rep in rep_ids), ZERO)
        cross = sum((quotas.get(rep, (ZERO, ZERO))[1] for rep in rep_ids), ZERO)
        carrying = sum(1 for rep in rep_ids if quotas.get(rep, (ZERO, ZERO))[1] > 0)
        segment["cross_sell_quota_share"] = pct(cross, core + cross)
        segment["reps_with_cross_sell_quota"] = pct(carrying, len(rep_ids))
        row = pipeline.get(segment_id, {})
        segment["pipeline_coverage"] = ratio(row.get("open_amount"), cross)
        segment["stale_share"] = pct(row.get("stale"), row.get("open_count"))


def _capability(merger: Merger, values: Values, reps: dict, month_end: date) -> None:
    certified = _certified_pairs(merger)
    year_ago = add_months(month_end.replace(day=1), -11)
    closed = Q(closed_on__gte=year_ago, closed_on__lte=month_end)
    won = Q(outcome=Stage.Outcome.WON) & closed
    outcomes = _opportunities_by_segment(
        merger,
        won=Count("id", filter=won),
        lost=Count("id", filter=Q(outcome=Stage.Outcome.LOST) & closed),
        expected_days=Avg("product__typical_cycle_days", filter=won),
        cycle_days=Sum(DaysBetween(start="created_at", end="closed_on"), filter=won),
    )
    core_win_rate = _core_win_rate(merger)
    for segment_id, segment in values.items():
        asked, covered = certified.get(segment_id, (0, 0))
        segment["reps_certified"] = pct(covered, asked)
        row = outcomes.get(segment_id, {})
        win_rate = ratio(row.get("won"), (row.get("won") or 0) + (row.get("lost") or 0))
        segment["win_rate_vs_core"] = ratio(win_rate, core_win_rate) if win_rate else None
        cycle = Decimal(round(row["cycle_days"])) / row["won"] if row.get("won") else None
        segment["cycle_vs_expected"] = ratio(cycle, row.get("expected_days"))


def _certified_pairs(merger: Merger) -> dict[int, tuple[int, int]]:
    """{segment: (rep and product pairs asked to sell, pairs whose rep is certified)}.

    A large program has some 175k such pairs: counted in SQL over the distinct
    pairs, rather than compared as sets in Python.
    """
    asked = (
        Opportunity.objects.filter(merger=merger, segment__isnull=False)
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


def _core_win_rate(merger: Merger) -> Decimal:
    policy = ScoringPolicy.objects.filter(merger=merger).first()
    configured = (policy.thresholds or {}).get("core_win_rate") if policy else None
    return Decimal(str(configured)) if configured else DEFAULT_CORE_WIN_RATE


def _active_plans(merger: Merger, month: date, month_end: date):
    return CompPlan.objects.filter(
        merger=merger, period_start__lte=month_end, period_end__gte=month
    )


def _compensation(
    merger: Merger, values: Values, reps: dict, month: date, month_end: date
) -> None:
    plans = _active_plans(merger, month, month_end)
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
    leader_shares = list(
        plans.filter(for_leaders=True).values_list("cross_sell_share_pct", flat=True)
    )
    won = Q(outcome=Stage.Outcome.WON)
    deals = _opportunities_by_segment(merger, deal=Avg("amount", filter=won))
    core_deal = _typical_core_deal_by_segment(merger)
    for segment_id, segment in values.items():
        terms = [rep_plans[rep] for rep in reps.get(segment_id, set()) if rep in rep_plans]
        deal = deals.get(segment_id, {}).get("deal")
        segment["cross_sell_variable_share"] = _mean([t[0] for t in terms])
        segment["spif_materiality"] = _mean(
            [m for t in terms if (m := _spif_share(t, deal)) is not None]
        )
        segment["deal_size_vs_core"] = ratio(deal, core_deal.get(segment_id))
        rep_pays = any(t[0] > 0 for t in terms)
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


def _mean(numbers: list[Decimal]) -> Decimal | None:
    return (sum(numbers, ZERO) / len(numbers)).quantize(Decimal("0.01")) if numbers else None


def _typical_core_deal_by_segment(merger: Merger) -> dict[int, Decimal]:
    rows = (
        Opportunity.objects.filter(merger=merger, segment__isnull=False)
        .values("segment_id")
        .annotate(core=Avg("owner__typical_core_deal"))
        .order_by()
    )
    return {row["segment_id"]: row["core"] for row in rows}


def _commitment(
    merger: Merger, values: Values, reps: dict, quotas: dict, month: date, month_end: date
) -> None:
    reviews = ProgramReview.objects.filter(
        merger=merger, held_on__gte=add_months(month, -2), held_on__lte=month_end
    ).count()
    targets = _cumulative_by_segment(
        SynergyTarget.objects.filter(merger=merger, segment__isnull=False, month__lte=month),
        "cross_sell",
    )
    realized = _cumulative_by_segment(
        Opportunity.objects.filter(
            merger=merger,
            outcome=Stage.Outcome.WON,
            kind="cross_sell",
            closed_on__lte=month_end,
            segment__isnull=False,
        ),
        "amount",
    )
    for segment_id, segment in values.items():
        rep_ids = reps.get(segment_id, set())
        with_target = sum(1 for rep in rep_ids if quotas.get(rep, (ZERO, ZERO))[1] > 0)
        segment["leader_assigned"] = Decimal(int(merger.accountable_leader_id is not None))
        segment["targets_cascaded"] = pct(with_target, len(rep_ids))
        segment["reviews_held"] = Decimal(reviews)
        segment["synergy_progress"] = pct(realized.get(segment_id, ZERO), targets.get(segment_id))


def _cumulative_by_segment(queryset, field: str) -> dict[int, Decimal]:
    rows = queryset.values("segment_id").annotate(total=Sum(F(field))).order_by()
    return {row["segment_id"]: row["total"] for row in rows}
