"""Six-C scoring on plain numbers: indicator values in, scores and explanations out.

An indicator without a value is not measured and does not count. A C none of
whose indicators is measured is "not scored" (its score is None), never a
low score: a program without data yet must not look like it fails. The
composite and the count of strong Cs are taken over the scored Cs only. Each
C carries its weakest indicator beside the mean, so that one red flag is never
averaged away.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.numbers import number_text
from scorecards.indicators import BY_CODE, INDICATORS, Indicator

ONE = Decimal("1")
FIVE = Decimal("5")
TWO_PLACES = Decimal("0.01")
ORDER = {indicator.code: position for position, indicator in enumerate(INDICATORS)}

type Assessed = tuple[str, Decimal]


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    value: Decimal | None
    score: Decimal | None
    threshold: str

    @property
    def measured(self) -> bool:
        return self.score is not None

    # What pages and exports show beside the value, from the indicator's definition.
    @property
    def label(self) -> str:
        return str(BY_CODE[self.code].label)

    @property
    def unit(self) -> str:
        return BY_CODE[self.code].unit

    @property
    def source(self) -> str:
        return str(BY_CODE[self.code].source)

    @property
    def needs(self) -> str:
        return str(BY_CODE[self.code].needs)

    @property
    def program_wide(self) -> bool:
        return BY_CODE[self.code].program_wide


@dataclass(frozen=True)
class CResult:
    c: str
    computed: Decimal | None
    score: Decimal | None
    indicators: tuple[IndicatorResult, ...]
    weakest: IndicatorResult | None = None
    # A leader's assessment moved or replaced the computed score.
    assessed: bool = False

    @property
    def scored(self) -> bool:
        return self.score is not None

    # Written when read, not when scored: scores are computed by background tasks and
    # stored, and the sentence must be in the reader's language, not the task's.
    @property
    def explanation(self) -> str:
        return explain(self.score, self.indicators, assessed=self.assessed, weakest=self.weakest)

    @property
    def missing_data(self) -> list[str]:
        """What data would measure the indicators that are not measured, each said once."""
        return needs_of(result.code for result in self.indicators if not result.measured)


@dataclass(frozen=True)
class SegmentResult:
    cs: tuple[CResult, ...]
    composite: Decimal | None
    strong_count: int
    scored_count: int

    def c(self, c: str) -> CResult | None:
        return next((result for result in self.cs if result.c == c), None)

    @property
    def scores(self) -> dict[str, Decimal | None]:
        return {result.c: result.score for result in self.cs}


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


def weakest_of(results: Iterable[IndicatorResult]) -> IndicatorResult | None:
    """The measured indicator with the lowest score; the first listed on a tie."""
    measured = [result for result in results if result.measured]
    return min(measured, key=lambda r: (r.score, ORDER.get(r.code, 0)), default=None)


def needs_of(codes: Iterable[str]) -> list[str]:
    needs: list[str] = []
    for code in sorted(codes, key=lambda code: ORDER.get(code, 0)):
        need = str(BY_CODE[code].needs)
        if need and need not in needs:
            needs.append(need)
    return needs


def score_c(
    c: str,
    values: Mapping[str, Decimal | None],
    *,
    overrides: Mapping[str, Iterable[float]] | None = None,
    assessment: Assessed | None = None,
) -> CResult:
    """The mean of the C's measured indicator scores, then any leader's adjustment or override."""
    results = tuple(score_indicator(code, values.get(code), overrides) for code in codes_of(c))
    scored = [result.score for result in results if result.score is not None]
    computed = _clamp(sum(scored) / len(scored)) if scored else None
    final = apply_assessment(computed, assessment)
    return c_result(c, computed, final, results, assessed=assessment is not None)


def c_result(
    c: str,
    computed: Decimal | None,
    final: Decimal | None,
    results: tuple[IndicatorResult, ...],
    *,
    assessed: bool,
) -> CResult:
    return CResult(
        c=c,
        computed=computed,
        score=final,
        indicators=results,
        weakest=weakest_of(results),
        assessed=assessed,
    )


def codes_of(c: str) -> list[str]:
    return [indicator.code for indicator in INDICATORS if indicator.c == c]


def apply_assessment(computed: Decimal | None, assessment: Assessed | None) -> Decimal | None:
    """An override replaces the computed score; an adjustment moves it, within 1-5.

    A leader's override scores even a C without data; an adjustment of a C
    that is not scored has nothing to move.
    """
    if assessment is None:
        return computed
    mode, score = assessment
    if mode == "override":
        return _clamp(score)
    return None if computed is None else _clamp(computed + score)


def explain(
    score: Decimal | None,
    results: Iterable[IndicatorResult],
    *,
    assessed: bool,
    weakest: IndicatorResult | None = None,
) -> str:
    """One line in the active language: the score and the weakest indicator behind it
    (`weakest`, or the weakest of `results`), or what would score it."""
    results = list(results)
    if score is None:
        needs = needs_of(result.code for result in results if not result.measured)
        return _("Not scored: no data for its indicators yet. To score it: %(needs)s.") % {
            "needs": "; ".join(needs)
        }
    if weakest is None:
        weakest = weakest_of(results)
    suffix = _(" (after a leader's assessment)") if assessed else ""
    return f"{number_text(score.normalize())}/5: {_weakest_reason(weakest)}{suffix}"


def _weakest_reason(weakest: IndicatorResult | None) -> str:
    if weakest is None or weakest.score is None:
        return _("no data for its indicators yet")
    if weakest.score >= 4:
        return _("every indicator is at or near target")
    # A counted sentence ("1 review", "2 reviews") takes its plural form from `count`.
    return BY_CODE[weakest.code].weak_sentence.format(
        value=format_value(weakest.value), count=plural_count(weakest.value)
    )


def format_value(value: Decimal | None) -> str:
    """The value to one decimal, with the reader's decimal separator."""
    if value is None:
        return "-"
    rounded = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return number_text(rounded.normalize())


def unit_label(unit: str, value: Decimal | None) -> str:
    """An indicator's unit as the reader reads it beside its value: "years" in their
    language and number ("1 год", "2,5 года"); symbols and codes as they are."""
    if unit == "years":
        return ngettext("year", "years", plural_count(value))
    return unit


def plural_count(value: Decimal | None) -> int:
    """The whole number that picks a sentence's plural form for `value` as shown.

    A fraction ("1.5 years") takes the form of 2 in the product's languages:
    the plural in English and Italian, the genitive singular in Russian ("1,5 года").
    """
    if value is None:
        return 0
    rounded = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return 2


def composite(
    scores: Mapping[str, Decimal | None], weights: Mapping[str, float | int]
) -> Decimal | None:
    """The weighted mean of the scored Cs (weights need not sum to 100); None if none is."""
    scored = {c: score for c, score in scores.items() if score is not None}
    if not scored:
        return None
    total_weight = sum(Decimal(str(weights.get(c, 0))) for c in scored)
    if not total_weight:
        return _clamp(sum(scored.values()) / len(scored))
    weighted = sum(score * Decimal(str(weights.get(c, 0))) for c, score in scored.items())
    return _clamp(weighted / total_weight)


def strong_count(scores: Mapping[str, Decimal | None], strong_from: Decimal) -> int:
    return sum(1 for score in scores.values() if score is not None and score >= strong_from)


def score_segment(
    values: Mapping[str, Decimal | None],
    cs: Iterable[str],
    *,
    weights: Mapping[str, float | int],
    overrides: Mapping[str, Iterable[float]] | None,
    strong_from: Decimal,
    assessments: Mapping[str, Assessed] | None = None,
) -> SegmentResult:
    """Every C of one segment, the composite over the scored ones, and the strong count."""
    results = tuple(
        score_c(c, values, overrides=overrides, assessment=(assessments or {}).get(c)) for c in cs
    )
    return segment_result(results, weights=weights, strong_from=strong_from)


def segment_result(
    results: tuple[CResult, ...], *, weights: Mapping[str, float | int], strong_from: Decimal
) -> SegmentResult:
    scores = {result.c: result.score for result in results}
    return SegmentResult(
        cs=results,
        composite=composite(scores, weights),
        strong_count=strong_count(scores, strong_from),
        scored_count=sum(1 for result in results if result.scored),
    )
