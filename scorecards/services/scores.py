"""Computes, records and freezes six-C scores; every change of a score is kept.

A month's scores are recomputed while the month is open (the recompute task runs
when data changes) and frozen at month end with the pipeline snapshot; a frozen
month is never recomputed again.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger, Segment
from scorecards.indicators import BY_CODE
from scorecards.models import (
    Assessment,
    CScore,
    IndicatorValue,
    ScoreChange,
    ScoringPolicy,
    SegmentScore,
    SixC,
)
from scorecards.scoring import CResult, composite, score_c, strong_count
from scorecards.selectors.indicators import indicator_values
from scorecards.selectors.program import program_month_problem
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
    *, merger_id: int, month: date, actor: AbstractBaseUser | None = None, reason: str = ""
) -> RecomputeResult:
    month = month.replace(day=1)
    if month_is_frozen(merger_id=merger_id, month=month):
        return RecomputeResult(month=month, segments=0, changed_scores=0, frozen=True)
    merger = Merger.objects.get(pk=merger_id)
    policy = scoring_policy_for(merger=merger)
    values = indicator_values(merger=merger, month=month)
    assessments = _latest_assessments(merger, month)
    results = {
        segment_id: [
            score_c(
                c,
                segment_values,
                overrides=policy.thresholds,
                assessment=assessments.get((segment_id, c)),
            )
            for c in SixC.values
        ]
        for segment_id, segment_values in values.items()
    }
    with transaction.atomic():
        _write_indicators(merger, month, values, results)
        changed = _write_scores(merger, month, results, actor, reason or _("Recomputed"))
        _write_composites(merger, month, results, policy)
    return RecomputeResult(month=month, segments=len(results), changed_scores=changed)


def _latest_assessments(merger: Merger, month: date) -> dict[tuple[int, str], tuple[str, Decimal]]:
    latest: dict[tuple[int, str], tuple[str, Decimal]] = {}
    rows = (
        Assessment.objects.filter(merger=merger, month=month)
        .order_by("-created_at", "-id")
        .values_list("segment_id", "c", "mode", "score")
    )
    for segment_id, c, mode, score in rows:
        latest.setdefault((segment_id, c), (mode, score))
    return latest


def _write_indicators(merger, month, values, results) -> None:
    rows = [
        IndicatorValue(
            merger=merger,
            segment_id=segment_id,
            month=month,
            c=result.c,
            code=indicator.code,
            label=str(BY_CODE[indicator.code].label),
            value=indicator.value,
            unit=BY_CODE[indicator.code].unit,
            threshold=indicator.threshold,
            score=indicator.score,
            source=str(BY_CODE[indicator.code].source),
        )
        for segment_id, c_results in results.items()
        for result in c_results
        for indicator in result.indicators
    ]
    IndicatorValue.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["segment", "month", "code"],
        update_fields=["value", "threshold", "score", "label", "unit", "source", "c"],
    )


def _write_scores(merger, month, results, actor, reason: str) -> int:
    existing = {
        (score.segment_id, score.c): score
        for score in CScore.objects.filter(merger=merger, month=month)
    }
    now = timezone.now()
    new, changed, history = [], [], []
    for segment_id, c_results in results.items():
        for result in c_results:
            current = existing.get((segment_id, result.c))
            if current is None:
                new.append(_c_score(merger, segment_id, month, result, now))
                continue
            if (current.score, current.computed, current.explanation) != (
                result.score,
                result.computed,
                result.explanation,
            ):
                if current.score != result.score:
                    history.append(
                        ScoreChange(
                            c_score=current,
                            old_score=current.score,
                            new_score=result.score,
                            reason=reason[:300],
                            changed_by=actor,
                            changed_at=now,
                        )
                    )
                current.score, current.computed = result.score, result.computed
                current.explanation, current.computed_at = result.explanation[:300], now
                changed.append(current)
    created = CScore.objects.bulk_create(new, batch_size=500)
    history += [
        ScoreChange(
            c_score=score,
            old_score=None,
            new_score=score.score,
            reason=reason[:300],
            changed_by=actor,
            changed_at=now,
        )
        for score in created
    ]
    CScore.objects.bulk_update(
        changed, ["score", "computed", "explanation", "computed_at"], batch_size=500
    )
    ScoreChange.objects.bulk_create(history, batch_size=500)
    return len(history)


def _c_score(merger, segment_id: int, month: date, result: CResult, now) -> CScore:
    return CScore(
        merger=merger,
        segment_id=segment_id,
        month=month,
        c=result.c,
        computed=result.computed,
        score=result.score,
        explanation=result.explanation[:300],
        computed_at=now,
    )


def _write_composites(merger, month, results, policy: ScoringPolicy) -> None:
    now = timezone.now()
    rows = []
    for segment_id, c_results in results.items():
        scores = {result.c: result.score for result in c_results}
        rows.append(
            SegmentScore(
                merger=merger,
                segment_id=segment_id,
                month=month,
                composite=composite(scores, policy.weights),
                strong_count=strong_count(scores, policy.strong_from),
                computed_at=now,
            )
        )
    SegmentScore.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["segment", "month"],
        update_fields=["composite", "strong_count", "computed_at"],
    )


def scores_freeze(*, merger_id: int, month: date) -> RecomputeResult:
    """A last recompute, then the month's scores are frozen for good (idempotent)."""
    month = month.replace(day=1)
    result = scores_recompute(merger_id=merger_id, month=month, reason=_("Month-end freeze"))
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
        raise ValidationError(_("Scores of %(month)s are frozen.") % {"month": f"{month:%B %Y}"})
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
    return assessment


def scores_ensure(*, merger: Merger, month: date) -> RecomputeResult | None:
    """Scores a month nobody has scored yet, so that its first viewer sees scores at once.

    Does nothing for a month that has scores (recomputes follow data changes)
    or for a program without segments; scores_recompute leaves frozen months alone.
    """
    month = month.replace(day=1)
    if SegmentScore.objects.filter(merger=merger, month=month).exists():
        return None
    if not merger.segments.exists():
        return None
    return scores_recompute(merger_id=merger.pk, month=month)
