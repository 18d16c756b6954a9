"""Six-C scoring on plain numbers: indicator values in, scores and explanations out."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from scorecards.indicators import BY_CODE, Indicator

ONE = Decimal("1")
FIVE = Decimal("5")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    value: Decimal | None
    score: Decimal | None
    threshold: str


@dataclass(frozen=True)
class CResult:
    c: str
    computed: Decimal
    score: Decimal
    explanation: str
    indicators: tuple[IndicatorResult, ...]


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ONE), FIVE).quantize(TWO_PLACES, ROUND_HALF_UP)


def score_value(
    value: Decimal | None, thresholds: Iterable[float], *, higher_is_better: bool = True
) -> Decimal | None:
    """1 plus the number of thresholds the value reaches; None when there is no value."""
    if value is None:
        return None
    if higher_is_better:
        reached = sum(1 for threshold in thresholds if value >= Decimal(str(threshold)))
    else:
        reached = sum(1 for threshold in thresholds if value <= Decimal(str(threshold)))
    return Decimal(1 + reached)


def describe_thresholds(indicator: Indicator, thresholds: Iterable[float]) -> str:
    sign = "≥" if indicator.higher_is_better else "≤"
    steps = ", ".join(
        f"{score}: {sign}{threshold:g}{indicator.unit if indicator.unit == '%' else ''}"
        for score, threshold in zip(range(2, 6), thresholds, strict=True)
    )
    return steps


def score_indicator(
    code: str, value: Decimal | None, overrides: Mapping[str, Iterable[float]] | None = None
) -> IndicatorResult:
    indicator = BY_CODE[code]
    thresholds = tuple((overrides or {}).get(code, indicator.thresholds))
    return IndicatorResult(
        code=code,
        value=value,
        score=score_value(value, thresholds, higher_is_better=indicator.higher_is_better),
        threshold=describe_thresholds(indicator, thresholds),
    )


def score_c(
    c: str,
    values: Mapping[str, Decimal | None],
    *,
    overrides: Mapping[str, Iterable[float]] | None = None,
    assessment: tuple[str, Decimal] | None = None,
) -> CResult:
    """The mean of the C's indicator scores, then any leader's adjustment or override."""
    results = tuple(score_indicator(code, values.get(code), overrides) for code in _codes_of(c))
    scored = [result.score for result in results if result.score is not None]
    computed = _clamp(sum(scored) / len(scored)) if scored else ONE
    final = apply_assessment(computed, assessment)
    return CResult(
        c=c,
        computed=computed,
        score=final,
        explanation=explain(final, results, assessed=assessment is not None),
        indicators=results,
    )


def _codes_of(c: str) -> list[str]:
    return [code for code, indicator in BY_CODE.items() if indicator.c == c]


def apply_assessment(computed: Decimal, assessment: tuple[str, Decimal] | None) -> Decimal:
    """An override replaces the computed score; an adjustment moves it, within 1-5."""
    if assessment is None:
        return computed
    mode, score = assessment
    return _clamp(score if mode == "override" else computed + score)


def explain(score: Decimal, results: Iterable[IndicatorResult], *, assessed: bool) -> str:
    """One line: the score and the weakest indicator behind it."""
    measured = [result for result in results if result.score is not None]
    suffix = _(" (after a leader's assessment)") if assessed else ""
    return f"{score.normalize():f}/5: {_weakest_reason(measured)}{suffix}"


def _weakest_reason(measured: list[IndicatorResult]) -> str:
    if not measured:
        return _("no data yet for this C")
    weakest = min(measured, key=lambda result: (result.score, result.code))
    if weakest.score >= 4:
        return _("every indicator is at or near target")
    weak_sentence = str(BY_CODE[weakest.code].weak_sentence)
    return weak_sentence.format(value=_format_value(weakest.value))


def _format_value(value: Decimal | None) -> str:
    if value is None:
        return "-"
    rounded = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{rounded.normalize():f}"


def composite(scores: Mapping[str, Decimal], weights: Mapping[str, float | int]) -> Decimal:
    """The weighted mean of the six C scores (weights need not sum to 100)."""
    total_weight = sum(Decimal(str(weights.get(c, 0))) for c in scores)
    if not total_weight:
        return _clamp(sum(scores.values()) / len(scores)) if scores else ONE
    weighted = sum(score * Decimal(str(weights.get(c, 0))) for c, score in scores.items())
    return _clamp(weighted / total_weight)


def strong_count(scores: Mapping[str, Decimal], strong_from: Decimal) -> int:
    return sum(1 for score in scores.values() if score >= strong_from)
