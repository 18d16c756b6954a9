"""Indicators measured from a program's own data, per segment."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from scorecards.selectors.indicators import indicator_values
from tests import factories
from tracker.models import Certification, Opportunity

MONTH = date(2026, 5, 1)


@pytest.fixture
def segment(merger):
    return factories.SegmentFactory(merger=merger, name="Mining")


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "won", "lost")


@pytest.fixture
def products(acquired):
    return [
        factories.ProductFactory(company=acquired, name=name, typical_cycle_days=40)
        for name in ("Analytics", "Gateway")
    ]


def _deal(merger, rep, segment, product, stage, **fields) -> Opportunity:
    return factories.OpportunityFactory(
        merger=merger, owner=rep, segment=segment, product=product, stage=stage, **fields
    )


def _created(opportunity: Opportunity, day: date) -> None:
    created = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=created)


def test_certified_share_counts_each_rep_and_product_pair_once(
    merger, rep, segment, stages, products
):
    analytics, gateway = products
    Certification.objects.create(rep=rep, product=analytics, certified_on=date(2026, 1, 5))
    for product in (analytics, analytics, gateway):
        _deal(merger, rep, segment, product, stages["identified"], kind="cross_sell")

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["reps_certified"] == Decimal("50.00")


def test_cycle_is_compared_with_the_products_typical_cycle(merger, rep, segment, stages, products):
    for created, closed in (
        (date(2026, 4, 1), date(2026, 4, 21)),
        (date(2026, 3, 2), date(2026, 4, 1)),
    ):
        won = _deal(
            merger,
            rep,
            segment,
            products[0],
            stages["won"],
            outcome="won",
            amount=Decimal("1000"),
            closed_on=closed,
        )
        _created(won, created)

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    # 20 and 30 days: 25 on average against a typical 40.
    assert values["cycle_vs_expected"] == Decimal("0.6250")


def test_win_rate_is_compared_with_the_core_win_rate(merger, rep, segment, stages, products):
    _deal(
        merger,
        rep,
        segment,
        products[0],
        stages["won"],
        outcome="won",
        amount=Decimal("1000"),
        closed_on=date(2026, 4, 20),
    )
    _deal(
        merger,
        rep,
        segment,
        products[1],
        stages["lost"],
        outcome="lost",
        lost_reason="Budget",
        closed_on=date(2026, 4, 22),
    )

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    # Half won against the default core win rate of 30%.
    assert values["win_rate_vs_core"] == Decimal("1.6667")


def test_a_segment_without_deals_has_no_capability_values(merger, segment):
    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["reps_certified"] is None
    assert values["cycle_vs_expected"] is None
    assert values["win_rate_vs_core"] is None


def test_reps_with_a_cross_sell_quota_are_counted_among_the_segments_reps(
    merger, rep, other_rep, segment, stages, products
):
    for owner in (rep, other_rep):
        _deal(merger, owner, segment, products[0], stages["identified"])
    factories.QuotaFactory(rep=rep, period_start=MONTH, cross_sell_amount=Decimal("5000"))
    factories.QuotaFactory(rep=other_rep, period_start=MONTH, cross_sell_amount=Decimal("0"))

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["reps_with_cross_sell_quota"] == Decimal("50.00")
    assert values["targets_cascaded"] == Decimal("50.00")


def test_a_quarterly_quota_counts_a_third_in_each_of_its_months(
    merger, rep, segment, stages, products
):
    _deal(merger, rep, segment, products[0], stages["identified"], amount=Decimal("2000"))
    factories.QuotaFactory(
        rep=rep,
        period_kind="quarter",
        period_start=date(2026, 4, 1),
        core_amount=Decimal("9000"),
        cross_sell_amount=Decimal("3000"),
    )

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]  # May, the 2nd month

    assert values["reps_with_cross_sell_quota"] == Decimal("100.00")
    assert values["pipeline_coverage"] == Decimal("2.0000")  # 2,000 open over 1,000
    assert values["cross_sell_quota_share"] == Decimal("25.00")
