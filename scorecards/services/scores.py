"""Computes, records and freezes six-C scores; every change of a score is kept.

Scores are written only here: by the recompute task that follows a data change,
by a leader's assessment, and by the month-end freeze (with the pipeline
snapshot); a frozen month is never recomputed again. Pages read scores through
scorecards.selectors.scores, which scores an open month on the fly when nothing
fresh is stored, and never writes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Merger, Segment
from core.dates import month_in_text
from scorecards.models import (
    Assessment,
    CScore,
    IndicatorValue,
    ProgramDataChange,
    ScoreChange,
    ScoringPolicy,
    SegmentScore,
)
from scorecards.scoring import CResult, SegmentResult
from scorecards.selectors.program import program_month_problem
from scorecards.selectors.scores import segment_results_live
from tracker.pipeline_math import ended_months


@dataclass(frozen=True)
class RecomputeResult:
    month: date
    segments: int
    changed_scores: int
    frozen: bool = False


def scoring_policy_for(*, merger: Merger) -> ScoringPolicy:
    policy, _created = ScoringPolicy.objects.get_or_create(merger=merger)
    return policy


def month_is_frozen(*, merger_id: int, month: date) -> bool:
    return SegmentScore.objects.filter(merger_id=merger_id, month=month, frozen=True).exists()


def score_due_months(*, merger_id: int, today: date | None = None) -> list[date]:
    """Ended months since Day 1 whose scores are not frozen yet."""
    merger = Merger.objects.get(pk=merger_id)
    frozen = set(
        SegmentScore.objects.filter(merger=merger, frozen=True).values_list("month", flat=True)
    )
    months = ended_months(since=merger.day_one, today=today or timezone.localdate())
    return [month for month in months if month not in frozen]


def scores_recompute(
    *,
    merger_id: int,
    month: date,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    today: date | None = None,
) -> RecomputeResult:
    month = month.replace(day=1)
    if month_is_frozen(merger_id=merger_id, month=month):
        return RecomputeResult(month=month, segments=0, changed_scores=0, frozen=True)
    merger = Merger.objects.get(pk=merger_id)
    # The program's policy exists once it is scored, for sales ops to adjust.
    scoring_policy_for(merger=merger)
    results = segment_results_live(merger=merger, month=month, today=today)
    with transaction.atomic():
        _write_indicators(merger, month, results)
        changed = _write_scores(merger, month, results, actor, reason or _("Recomputed"))
        _write_composites(merger, month, results)
    return RecomputeResult(month=month, segments=len(results), changed_scores=changed)


def _write_indicators(merger, month, results: dict[int, SegmentResult]) -> None:
    rows = [
        IndicatorValue(
            merger=merger,
            segment_id=segment_id,
            month=month,
            c=c_result.c,
            code=indicator.code,
            label=indicator.label,
            value=indicator.value,
            unit=indicator.unit,
            threshold=indicator.threshold,
            score=indicator.score,
            source=indicator.source,
        )
        for segment_id, result in results.items()
        for c_result in result.cs
        for indicator in c_result.indicators
    ]
    IndicatorValue.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["segment", "month", "code"],
        update_fields=["value", "threshold", "score", "label", "unit", "source", "c"],
    )


SCORE_FIELDS = (
    "score",
    "computed",
    "explanation",
    "assessed",
    "weakest_code",
    "weakest_value",
    "weakest_score",
)


def _score_fields(result: CResult) -> dict:
    weakest = result.weakest
    return {
        "score": result.score,
        "computed": result.computed,
        # The site's language, whoever's request or task scored it: readers get theirs.
        "explanation": _site_language_explanation(result),
        "assessed": result.assessed,
        "weakest_code": weakest.code if weakest else "",
        "weakest_value": weakest.value if weakest else None,
        "weakest_score": weakest.score if weakest else None,
    }


def _site_language_explanation(result: CResult) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return result.explanation[:300]


def _write_scores(merger, month, results: dict[int, SegmentResult], actor, reason: str) -> int:
    existing = {
        (score.segment_id, score.c): score
        for score in CScore.objects.filter(merger=merger, month=month)
    }
    now = timezone.now()
    new, changed, history = [], [], []
    for segment_id, result in results.items():
        for c_result in result.cs:
            fields = _score_fields(c_result)
            current = existing.get((segment_id, c_result.c))
            if current is None:
                new.append(
                    CScore(
                        merger=merger,
                        segment_id=segment_id,
                        month=month,
                        c=c_result.c,
                        computed_at=now,
                        **fields,
                    )
                )
                continue
            if all(getattr(current, name) == value for name, value in fields.items()):
                continue
            if current.score != c_result.score:
                history.append(_change(current, current.score, c_result.score, reason, actor, now))
            for name, value in fields.items():
                setattr(current, name, value)
            current.computed_at = now
            changed.append(current)
    created = CScore.objects.bulk_create(new, batch_size=500)
    history += [_change(score, None, score.score, reason, actor, now) for score in created]
    CScore.objects.bulk_update(changed, [*SCORE_FIELDS, "computed_at"], batch_size=500)
    ScoreChange.objects.bulk_create(history, batch_size=500)
    return len(history)


def _change(score: CScore, old, new, reason: str, actor, now) -> ScoreChange:
    return ScoreChange(
        c_score=score,
        old_score=old,
        new_score=new,
        reason=reason[:300],
        changed_by=actor,
        changed_at=now,
    )


def _write_composites(merger, month, results: dict[int, SegmentResult]) -> None:
    now = timezone.now()
    rows = [
        SegmentScore(
            merger=merger,
            segment_id=segment_id,
            month=month,
            composite=result.composite,
            strong_count=result.strong_count,
            scored_count=result.scored_count,
            computed_at=now,
        )
        for segment_id, result in results.items()
    ]
    SegmentScore.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["segment", "month"],
        update_fields=["composite", "strong_count", "scored_count", "computed_at"],
    )


def scores_freeze(*, merger_id: int, month: date, today: date | None = None) -> RecomputeResult:
    """A last recompute, then the month's scores are frozen for good (idempotent)."""
    month = month.replace(day=1)
    result = scores_recompute(
        merger_id=merger_id, month=month, reason=_("Month-end freeze"), today=today
    )
    if result.frozen:
        return result
    with transaction.atomic():
        for model in (IndicatorValue, CScore, SegmentScore):
            model.objects.filter(merger_id=merger_id, month=month).update(frozen=True)
    return RecomputeResult(
        month=month, segments=result.segments, changed_scores=result.changed_scores, frozen=True
    )


def assessment_create(
    *,
    actor: AbstractBaseUser,
    segment: Segment,
    month: date,
    c: str,
    mode: str,
    score: Decimal,
    evidence: str,
) -> Assessment:
    """A leader's judgement on one C; the segment's scores are recomputed with it."""
    month = month.replace(day=1)
    if problem := program_month_problem(merger=segment.merger, month=month):
        raise ValidationError({"month": problem})
    if month_is_frozen(merger_id=segment.merger_id, month=month):
        raise ValidationError(
            _("Scores of %(month)s are frozen.") % {"month": month_in_text(month)}
        )
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what the assessment is based on.")})
    low, high = (Decimal(1), Decimal(5)) if mode == Assessment.Mode.OVERRIDE else (-2, 2)
    if not low <= score <= high:
        raise ValidationError(
            {"score": _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}}
        )
    with transaction.atomic():
        return _assessment_write(actor, segment, month, c, mode, score, evidence)


def _assessment_write(actor, segment, month, c, mode, score, evidence) -> Assessment:
    assessment = Assessment.objects.create(
        merger_id=segment.merger_id,
        segment=segment,
        month=month,
        c=c,
        mode=mode,
        score=score,
        evidence=evidence.strip(),
        author=actor,
    )
    # The recompute runs in its transaction so the new score and its history
    # appear together with the assessment, or not at all.
    scores_recompute(
        merger_id=segment.merger_id,
        month=month,
        actor=actor,
        reason=_("Assessment by %(author)s") % {"author": actor.get_username()},
    )
    if mode == Assessment.Mode.ADJUST and _not_scored(segment, month, c):
        # Rolls the assessment back: an adjustment of a C without data moves nothing.
        raise ValidationError(
            {
                "mode": _(
                    "This C is not scored: none of its indicators has data yet, so there is "
                    "no computed score to adjust. Override it instead, or add the data."
                )
            }
        )
    return assessment


def _not_scored(segment: Segment, month: date, c: str) -> bool:
    return CScore.objects.filter(segment=segment, month=month, c=c, computed__isnull=True).exists()


def program_data_changed_record(*, merger_id: int) -> None:
    """Note that the program's data changed: stored scores of open months are older now."""
    ProgramDataChange.objects.update_or_create(
        merger_id=merger_id, defaults={"changed_at": timezone.now()}
    )
