"""The Capacity indicator read at the month's end: open pipeline expected by then against
the cross-sell quota still to win. It is not the dashboard's pipeline coverage (that counts
only the deals due from today, so a closed month has none): its words must never say so.
The quota still to win is the quota page's: the reps' credited won, split and overlay
credit included, weighted as their quota is by their share of deals in the segment."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from scorecards.indicators import BY_CODE
from scorecards.selectors.board_pack import risk_rows
from scorecards.selectors.indicators import indicator_values
from tests import factories
from tracker.models import CreditSplit
from tracker.quota_math import Period
from tracker.selectors.quotas import quota_board

MONTH = date(2026, 5, 1)
TODAY = date(2026, 5, 15)
# How each language says "cover" or "coverage": the dashboard's figure, not this one.
COVERAGE_WORDS = {
    "en": ("cover",),
    "ru": ("покры", "покрыт"),
    "it": ("copr", "copert"),
    "zh-hans": ("覆盖",),
}


@pytest.mark.parametrize("language", COVERAGE_WORDS)
def test_the_indicators_words_never_call_it_pipeline_coverage(language):
    indicator = BY_CODE["pipeline_coverage"]
    with translation.override(language):
        tile = translation.gettext("Pipeline coverage")
        texts = [str(indicator.label), str(indicator.weak_sentence), str(indicator.needs)]
        texts.append(str(indicator.source))
    assert tile not in texts
    for text in texts:
        for word in COVERAGE_WORDS[language]:
            assert word not in text.lower(), text


def test_the_label_says_what_the_dashboards_coverage_leaves_out():
    label = str(BY_CODE["pipeline_coverage"].label)

    # Deals expected by the month's end, the overdue ones too: a month-end reading.
    assert "by the month's end" in label
    assert "overdue included" in label


@pytest.mark.parametrize("language", COVERAGE_WORDS)
def test_the_board_packs_advice_for_a_segment_behind_target_names_no_coverage(language):
    behind = [{"segment": "Mining", "gap_pct": Decimal("0.5")}]
    with translation.override(language):
        rows = risk_rows(segments=behind, scores=[], open_count=0, stale_count=0)
        advice = str(rows[0][-1])
    for word in COVERAGE_WORDS[language]:
        assert word not in advice.lower(), advice


@pytest.fixture
def segment(merger):
    return factories.SegmentFactory(merger=merger, name="Mining")


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "won")


def _open(merger, rep, segment, stages, amount: str) -> None:
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        segment=segment,
        stage=stages["identified"],
        amount=Decimal(amount),
        expected_close=date(2026, 5, 28),
    )


def _won(merger, rep, segment, stages, amount: str):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        segment=segment,
        stage=stages["won"],
        outcome="won",
        amount=Decimal(amount),
        closed_on=date(2026, 5, 4),
    )


def test_a_split_to_a_rep_outside_the_segment_is_not_won_in_the_segment(
    merger, rep, other_rep, segment, stages
):
    _open(merger, rep, segment, stages, "20000")
    won = _won(merger, rep, segment, stages, "10000")
    # Half the deal is credited to a rep who sells nowhere in the segment; the rep gets
    # an overlay of 10% on top of their half, as the quota page credits it.
    CreditSplit.objects.create(opportunity=won, rep=rep, percent=Decimal("50"))
    CreditSplit.objects.create(opportunity=won, rep=other_rep, percent=Decimal("50"))
    CreditSplit.objects.create(
        opportunity=won, rep=rep, percent=Decimal("10"), kind=CreditSplit.Kind.OVERLAY
    )
    factories.QuotaFactory(rep=rep, period_start=MONTH, cross_sell_amount=Decimal("30000"))

    values = indicator_values(merger=merger, month=MONTH, today=TODAY)[segment.pk]

    # 20,000 over the 30,000 quota less the rep's 6,000 credited (not the deal's 10,000).
    assert values["pipeline_coverage"] == Decimal("0.8333")
    board = quota_board(merger=merger, period=Period(MONTH), rep_ids=[rep.pk])
    line = next(line for team in board.teams for line in team.reps if line.rep == rep)
    assert line.figures.credited_won == Decimal("6000.00")
    remaining = line.figures.cross_sell_quota - line.figures.credited_won
    assert values["pipeline_coverage"] == (Decimal("20000") / remaining).quantize(
        Decimal("0.0001")
    )


def test_a_reps_credited_won_counts_in_each_segment_by_their_share_of_deals(
    merger, rep, segment, stages
):
    other = factories.SegmentFactory(merger=merger, name="Utilities")
    _open(merger, rep, segment, stages, "20000")
    _won(merger, rep, segment, stages, "8000")
    _open(merger, rep, other, stages, "20000")
    _open(merger, rep, other, stages, "20000")
    factories.QuotaFactory(rep=rep, period_start=MONTH, cross_sell_amount=Decimal("20000"))

    values = indicator_values(merger=merger, month=MONTH, today=TODAY)

    # Half the rep's deals are in each segment: 10,000 of quota and 4,000 of the 8,000 won
    # in each, as the quota is spread, wherever the deal was won.
    assert values[segment.pk]["pipeline_coverage"] == Decimal("3.3333")  # 20,000 / 6,000
    assert values[other.pk]["pipeline_coverage"] == Decimal("6.6667")  # 40,000 / 6,000
