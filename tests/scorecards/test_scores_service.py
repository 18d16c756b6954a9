from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import UnifiedAccount
from config.celery import app
from core.signals import program_data_changed
from scorecards.models import (
    Assessment,
    CScore,
    ProgramDataChange,
    ScoreChange,
    SegmentScore,
    SixC,
)
from scorecards.selectors.scores import Source, segment_scores_for
from scorecards.services.scores import (
    assessment_create,
    score_due_months,
    scores_freeze,
    scores_recompute,
)
from scorecards.tasks import recompute_current_month_scores
from tests import factories

MONTH = date(2026, 5, 1)


@pytest.fixture
def segment(merger):
    segment = factories.SegmentFactory(merger=merger, name="Food & beverage")
    for status in ("acquirer_only", "acquired_only", "both", "neither"):
        factories.UnifiedAccountFactory(merger=merger, segment=segment, status=status)
    return segment


def test_recompute_scores_every_c_of_every_segment_with_history(merger, segment):
    result = scores_recompute(merger_id=merger.id, month=MONTH)

    assert result.segments == 1
    scores = CScore.objects.filter(segment=segment, month=MONTH)
    assert sorted(scores.values_list("c", flat=True)) == sorted(SixC.values)
    assert ScoreChange.objects.count() == 6
    assert SegmentScore.objects.get(segment=segment, month=MONTH).composite >= 1
    newly_reachable = segment.indicators.get(month=MONTH, code="newly_reachable")
    assert newly_reachable.value == Decimal("50.00")


def test_recompute_without_changes_records_no_history(merger, segment):
    scores_recompute(merger_id=merger.id, month=MONTH)
    scores_recompute(merger_id=merger.id, month=MONTH)
    assert ScoreChange.objects.count() == 6


def test_leader_override_changes_score_and_keeps_both(merger, segment, leader_user):
    scores_recompute(merger_id=merger.id, month=MONTH)
    assessment_create(
        actor=leader_user,
        segment=segment,
        month=MONTH,
        c=SixC.COMMITMENT,
        mode=Assessment.Mode.OVERRIDE,
        score=Decimal("4"),
        evidence="Monthly reviews held since Day 1",
    )
    score = CScore.objects.get(segment=segment, month=MONTH, c=SixC.COMMITMENT)
    assert score.score == Decimal("4.00")
    assert score.computed != score.score
    change = score.changes.first()
    assert change.changed_by == leader_user
    assert change.new_score == Decimal("4.00")


def test_assessment_needs_evidence_and_a_score_in_range(segment, leader_user):
    with pytest.raises(ValidationError):
        assessment_create(
            actor=leader_user,
            segment=segment,
            month=MONTH,
            c=SixC.CAPACITY,
            mode=Assessment.Mode.OVERRIDE,
            score=Decimal("4"),
            evidence="  ",
        )
    with pytest.raises(ValidationError):
        assessment_create(
            actor=leader_user,
            segment=segment,
            month=MONTH,
            c=SixC.CAPACITY,
            mode=Assessment.Mode.ADJUST,
            score=Decimal("3"),
            evidence="Big push",
        )


def test_frozen_month_never_changes(merger, segment, leader_user):
    scores_freeze(merger_id=merger.id, month=MONTH)
    before = list(CScore.objects.values_list("c", "score"))
    UnifiedAccount.objects.update(status="both")

    assert scores_recompute(merger_id=merger.id, month=MONTH).frozen
    assert list(CScore.objects.values_list("c", "score")) == before
    with pytest.raises(ValidationError):
        assessment_create(
            actor=leader_user,
            segment=segment,
            month=MONTH,
            c=SixC.CAPACITY,
            mode=Assessment.Mode.OVERRIDE,
            score=Decimal("4"),
            evidence="Too late",
        )


def test_due_months_skip_frozen_ones(merger, segment):
    merger.day_one = date(2026, 4, 10)
    merger.save()
    scores_freeze(merger_id=merger.id, month=date(2026, 4, 1))
    assert score_due_months(merger_id=merger.id, today=date(2026, 6, 2)) == [MONTH]


def test_a_data_change_signal_recomputes_the_current_month(
    merger, segment, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program_data_changed.send(sender=None, merger_id=merger.id)
        # A second change within the minute is absorbed by the first recompute.
        program_data_changed.send(sender=None, merger_id=merger.id)
    assert len(callbacks) == 1
    assert CScore.objects.filter(segment=segment).count() == 6
    # The change is noted, so pages scored the month on the fly until the recompute.
    assert ProgramDataChange.objects.get(merger=merger).changed_at


def test_recompute_stores_not_scored_cs_and_the_weakest_indicator(merger, segment):
    scores_recompute(merger_id=merger.id, month=MONTH)

    compensation = CScore.objects.get(segment=segment, month=MONTH, c=SixC.COMPENSATION)
    assert compensation.score is None and compensation.computed is None
    assert compensation.weakest_code == ""
    assert compensation.explanation.startswith("Not scored")
    complementarity = CScore.objects.get(segment=segment, month=MONTH, c=SixC.COMPLEMENTARITY)
    assert complementarity.weakest_code == "newly_reachable"
    assert complementarity.weakest_value == Decimal("50.00")
    composite = SegmentScore.objects.get(segment=segment, month=MONTH)
    scored = CScore.objects.filter(segment=segment, month=MONTH, score__isnull=False).count()
    assert composite.scored_count == scored < 6


def test_a_c_that_loses_its_data_becomes_not_scored_with_history(merger, segment):
    scores_recompute(merger_id=merger.id, month=MONTH)
    segment.accounts.all().delete()
    scores_recompute(merger_id=merger.id, month=MONTH)

    score = CScore.objects.get(segment=segment, month=MONTH, c=SixC.COMPLEMENTARITY)
    assert score.score is None
    change = score.changes.first()
    assert change.old_score is not None and change.new_score is None


def test_the_database_refuses_a_score_without_its_weakest_indicator(merger, segment):
    row = {"merger": merger, "segment": segment, "month": MONTH, "computed_at": timezone.now()}
    with pytest.raises(IntegrityError), transaction.atomic():
        CScore.objects.create(c=SixC.CAPACITY, computed=Decimal("3"), score=Decimal("3"), **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        SegmentScore.objects.create(composite=Decimal("3"), strong_count=0, scored_count=0, **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        SegmentScore.objects.create(composite=Decimal("3"), strong_count=2, scored_count=1, **row)


def test_each_new_day_stores_the_running_months_scores_before_anyone_looks(merger, segment):
    month = timezone.localdate().replace(day=1)
    assert segment_scores_for(merger=merger, month=month).source == Source.LIVE
    assert recompute_current_month_scores() == 1
    assert segment_scores_for(merger=merger, month=month).source == Source.STORED
    entry = app.conf.beat_schedule["recompute-current-month-scores"]
    assert entry["task"] == recompute_current_month_scores.name
