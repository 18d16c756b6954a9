"""Indicators measured from a program's own data, per segment."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accounts.models import WhitespaceCell
from scorecards.selectors.indicators import indicator_values
from tests import factories
from tracker.models import Certification, CoreWinRate, Opportunity, SynergyTarget

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


def _won_and_lost(merger, rep, segment, stages, products) -> None:
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


def _core(merger, company, start: date, won: int, lost: int, kind: str = "quarter"):
    return CoreWinRate.objects.create(
        merger=merger,
        company=company,
        period_kind=kind,
        period_start=start,
        won_count=won,
        lost_count=lost,
        source="CRM closed-opportunity report",
    )


def test_win_rate_is_compared_with_the_sellers_core_win_rate(
    merger, rep, segment, stages, products
):
    _won_and_lost(merger, rep, segment, stages, products)
    _core(merger, rep.company, date(2026, 1, 1), won=30, lost=70)

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    # Half won against the acquirer's measured core win rate of 30%.
    assert values["win_rate_vs_core"] == Decimal("1.6667")


def test_without_core_win_rates_the_comparison_is_not_measured(
    merger, rep, segment, stages, products
):
    # Behaviour changed: a constant 30% used to stand in for the core win rate.
    _won_and_lost(merger, rep, segment, stages, products)

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["win_rate_vs_core"] is None


def test_core_win_rates_count_over_the_same_twelve_months_as_the_cross_sell_one(
    merger, rep, segment, stages, products
):
    _won_and_lost(merger, rep, segment, stages, products)
    _core(merger, rep.company, date(2025, 4, 1), won=90, lost=10)  # before the window
    _core(merger, rep.company, date(2026, 4, 1), won=90, lost=10)  # April-June: not over yet
    _core(merger, rep.company, date(2025, 9, 1), won=25, lost=75, kind="month")

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["win_rate_vs_core"] == Decimal("2.0000")


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
    SynergyTarget.objects.create(
        merger=merger, month=MONTH, segment=segment, cross_sell=Decimal("10000")
    )

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["reps_with_cross_sell_quota"] == Decimal("50.00")
    # The reps' cross-sell quotas carry half of the segment's target this month.
    assert values["targets_cascaded"] == Decimal("50.00")


def test_a_rep_selling_in_two_segments_counts_in_each_by_their_share_of_deals(
    merger, rep, segment, stages, products
):
    other = factories.SegmentFactory(merger=merger, name="Utilities")
    for chosen in (segment, segment, segment, other):
        _deal(merger, rep, chosen, products[0], stages["identified"], expected_close=MONTH)
    factories.QuotaFactory(rep=rep, period_start=MONTH, cross_sell_amount=Decimal("8000"))
    for chosen in (segment, other):
        SynergyTarget.objects.create(
            merger=merger, month=MONTH, segment=chosen, cross_sell=Decimal("6000")
        )

    values = indicator_values(merger=merger, month=MONTH)

    # 3 of the rep's 4 deals are in the first segment: 6,000 of the quota, 2,000 in the other.
    assert values[segment.pk]["targets_cascaded"] == Decimal("100.00")
    assert values[other.pk]["targets_cascaded"] == Decimal("33.33")
    assert values[segment.pk]["pipeline_coverage"] == Decimal("10.0000")  # 60,000 / 6,000
    assert values[other.pk]["pipeline_coverage"] == Decimal("10.0000")  # 20,000 / 2,000


def test_a_quarterly_quota_counts_a_third_in_each_of_its_months(
    merger, rep, segment, stages, products
):
    _deal(
        merger,
        rep,
        segment,
        products[0],
        stages["identified"],
        amount=Decimal("2000"),
        expected_close=date(2026, 5, 20),
    )
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


def test_coverage_is_open_cross_company_pipeline_due_this_month_over_the_quota_still_to_win(
    merger, rep, segment, stages, products
):
    identified = stages["identified"]
    _deal(merger, rep, segment, products[0], identified, expected_close=date(2026, 5, 28))
    # Overdue but still open: still expected, only late.
    _deal(merger, rep, segment, products[0], identified, expected_close=date(2026, 4, 30))
    # Due after the month, and business as usual within one company: not counted.
    _deal(merger, rep, segment, products[0], identified, expected_close=date(2026, 6, 2))
    _deal(merger, rep, segment, products[1], identified, direction="within")
    _deal(
        merger,
        rep,
        segment,
        products[1],
        stages["won"],
        outcome="won",
        amount=Decimal("10000"),
        closed_on=date(2026, 5, 4),
    )
    factories.QuotaFactory(rep=rep, period_start=MONTH, cross_sell_amount=Decimal("30000"))

    values = indicator_values(merger=merger, month=MONTH, today=date(2026, 5, 15))[segment.pk]

    # 40,000 due this month over the 20,000 of quota not yet won.
    assert values["pipeline_coverage"] == Decimal("2.0000")


def test_synergy_progress_counts_won_cross_company_deals_cross_sell_and_upsell_alike(
    merger, rep, segment, stages, products
):
    won = {"outcome": "won", "closed_on": date(2026, 4, 2), "amount": Decimal("3000")}
    _deal(merger, rep, segment, products[0], stages["won"], kind="cross_sell", **won)
    _deal(merger, rep, segment, products[0], stages["won"], kind="upsell", **won)
    # A company selling its own product to its own customer is not synergy.
    _deal(merger, rep, segment, products[1], stages["won"], direction="within", **won)
    SynergyTarget.objects.create(
        merger=merger, month=date(2026, 4, 1), segment=segment, cross_sell=Decimal("12000")
    )

    values = indicator_values(merger=merger, month=MONTH)[segment.pk]

    assert values["synergy_progress"] == Decimal("50.00")


def test_validated_pairs_are_measured_among_each_segments_own_candidates(
    merger, segment, acquirer
):
    other = factories.SegmentFactory(merger=merger, name="Utilities")
    source = factories.ProductFactory(company=acquirer, name="Gauge")
    validated = factories.ProductMappingFactory(
        merger=merger, source=source, validated_with_customers=True
    )
    assumed = factories.ProductMappingFactory(merger=merger, source=source)
    for chosen, vias in (
        (segment, [validated, validated, validated, assumed]),
        (other, [assumed]),
    ):
        for via in vias:
            WhitespaceCell.objects.create(
                merger=merger,
                account=factories.UnifiedAccountFactory(merger=merger, segment=chosen),
                product=via.target,
                segment=chosen,
                direction="a_to_b",
                via=via,
                potential_value=Decimal("1000"),
            )

    values = indicator_values(merger=merger, month=MONTH)

    assert values[segment.pk]["validated_pairs"] == Decimal("75.00")
    assert values[other.pk]["validated_pairs"] == Decimal("0.00")
