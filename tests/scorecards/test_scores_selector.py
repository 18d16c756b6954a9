"""A month's six-C scores as pages read them: frozen, stored after the last change, or live."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from scorecards.models import CScore, IndicatorValue, ProgramDataChange, SegmentScore, SixC
from scorecards.selectors.scores import Source, segment_scores_for
from scorecards.services.scores import (
    program_data_changed_record,
    scores_freeze,
    scores_recompute,
)
from tests import factories
from tests.scorecards.export_program import MONTH, scored_program

TODAY = date(2026, 5, 20)


@pytest.fixture
def segments(merger, rep):
    return scored_program(merger, rep, ["Food & beverage", "Mining"])


def _rows() -> tuple[int, int, int]:
    return (IndicatorValue.objects.count(), CScore.objects.count(), SegmentScore.objects.count())


def test_a_month_nobody_scored_is_scored_on_the_fly_and_nothing_is_written(merger, rep):
    segment = factories.SegmentFactory(merger=merger, name="Retail")
    factories.UnifiedAccountFactory(merger=merger, segment=segment, status="both")

    scores = segment_scores_for(merger=merger, month=MONTH, today=TODAY)

    assert scores.source == Source.LIVE
    assert _rows() == (0, 0, 0)
    result = scores.of(segment.pk)
    assert result.c(SixC.COMPLEMENTARITY).scored  # newly reachable is measured
    assert not result.c(SixC.COMPENSATION).scored  # no comp plans
    assert result.scored_count < 6


def test_scores_the_recompute_stored_are_read_as_they_are(merger, segments):
    stored = CScore.objects.get(segment=segments[0], month=MONTH, c=SixC.COMMITMENT)
    # The explanation is written from the stored parts when read (in the reader's
    # language), not copied from the text the recompute kept.
    CScore.objects.filter(pk=stored.pk).update(explanation="As stored")

    scores = segment_scores_for(merger=merger, month=MONTH, today=TODAY)

    assert scores.source == Source.STORED
    commitment = scores.c_of(segments[0].pk, SixC.COMMITMENT)
    assert commitment.explanation == stored.explanation
    assert commitment.score == stored.score
    assert commitment.weakest.code == stored.weakest_code
    assert commitment.weakest.score == stored.weakest_score
    assert [i.code for i in commitment.indicators] == [
        "leader_assigned",
        "targets_cascaded",
        "reviews_held",
        "synergy_progress",
    ]


def test_after_a_data_change_the_month_is_scored_on_the_fly_until_the_recompute(merger, segments):
    program_data_changed_record(merger_id=merger.pk)
    assert segment_scores_for(merger=merger, month=MONTH, today=TODAY).source == Source.LIVE

    scores_recompute(merger_id=merger.pk, month=MONTH, today=TODAY)
    assert segment_scores_for(merger=merger, month=MONTH, today=TODAY).source == Source.STORED


def test_scores_stored_on_an_earlier_day_of_an_open_month_are_not_todays(merger, segments):
    # Stale deals and the twelve-month windows move with the date.
    yesterday = timezone.now() - timedelta(days=1)
    SegmentScore.objects.update(computed_at=yesterday)
    today = timezone.localdate()
    assert segment_scores_for(merger=merger, month=today, today=today).source == Source.LIVE


def test_a_segment_added_since_the_recompute_makes_the_month_live(merger, segments):
    factories.SegmentFactory(merger=merger, name="Utilities")
    assert segment_scores_for(merger=merger, month=MONTH, today=TODAY).source == Source.LIVE


def test_a_frozen_month_answers_with_its_frozen_scores_whatever_changed(merger, segments):
    scores_freeze(merger_id=merger.pk, month=MONTH)
    ProgramDataChange.objects.update_or_create(
        merger=merger, defaults={"changed_at": timezone.now() + timedelta(hours=1)}
    )
    CScore.objects.filter(c=SixC.CAPACITY).update(score=Decimal("1.50"))

    scores = segment_scores_for(merger=merger, month=MONTH, today=TODAY)

    assert scores.source == Source.FROZEN
    assert scores.c_of(segments[0].pk, SixC.CAPACITY).score == Decimal("1.50")


def test_stored_and_live_scores_agree(merger, segments):
    stored = segment_scores_for(merger=merger, month=MONTH)
    program_data_changed_record(merger_id=merger.pk)
    live = segment_scores_for(merger=merger, month=MONTH)

    assert (stored.source, live.source) == (Source.STORED, Source.LIVE)
    for segment in segments:
        before, now = stored.of(segment.pk), live.of(segment.pk)
        assert (before.composite, before.strong_count, before.scored_count) == (
            now.composite,
            now.strong_count,
            now.scored_count,
        )
        for c in SixC.values:
            assert before.c(c).score == now.c(c).score
            assert before.c(c).weakest == now.c(c).weakest
            assert before.c(c).missing_data == now.c(c).missing_data
