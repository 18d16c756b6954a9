"""The matching benchmarks: speed on synthetic CRMs, quality on synthetic, labelled,
demo and real names."""

from datetime import date

from devtools.bench.matching import run_benchmark
from devtools.bench.realnames import SETS, real_names_benchmark
from devtools.bench.results import Measure, Rule, load_average
from devtools.bench.sizes import BenchSize
from devtools.demo.matching import demo_match_quality

MATCHING_BUDGET_S = 60.0
MATCH_FIGURES = (
    ("Auto-match precision", "auto_precision"),
    ("Auto-match recall", "auto_recall"),
    ("Recall incl. review queue", "surfaced_recall"),
)
REAL_NAME_FIGURES = (
    *MATCH_FIGURES,
    ("Records sent to review", "review_share"),
    ("Baseline precision (rapidfuzz token_sort_ratio >= 95)", "baseline_precision"),
    ("Baseline recall (rapidfuzz token_sort_ratio >= 95)", "baseline_recall"),
)


def _shares(
    figures: tuple[tuple[str, str], ...], value_of, *, label: str, data: str, note: str
) -> list[Measure]:
    """One informative percentage per figure, `value_of(key)` a share between 0 and 1."""
    return [
        Measure(
            "matching",
            f"{name}, {label}",
            data,
            round(value_of(key) * 100, 2),
            "%",
            rule=Rule.INFO,
            note=note,
        )
        for name, key in figures
    ]


def matching(*, size: BenchSize) -> list[Measure]:
    load = load_average()
    result = run_benchmark(size=size.match_records)
    data = f"{size.match_records:,} x {size.match_records:,}"
    measures = [
        Measure(
            "matching",
            "Match two CRMs",
            data,
            round(result.seconds_total, 2),
            "s",
            MATCHING_BUDGET_S,
            load=load,
            note=(
                f"cpu {result.cpu_seconds:.1f} s; normalise {result.seconds_normalize:.1f} s, "
                f"match {result.seconds_match:.1f} s; {result.candidate_pairs:,} candidate pairs"
            ),
        ),
        *_shares(
            MATCH_FIGURES,
            lambda key: getattr(result, key),
            label="synthetic",
            data=data,
            note=f"{result.true_pairs:,} true pairs, {result.review_pairs:,} sent to review",
        ),
    ]
    labelled = result.labelled
    if labelled:
        measures += _shares(
            MATCH_FIGURES,
            labelled.__getitem__,
            label="labelled set",
            data="labelled",
            note=f"{labelled['pairs']} labelled cases ({labelled['true_pairs']} matches)",
        )
    return measures + demo_matching(scale=size.demo_scale) + real_names()


def demo_matching(*, scale: float) -> list[Measure]:
    """The demo's CRM records matched by the engine, against the generator's truth."""
    quality = demo_match_quality(today=date.today(), scale=scale)
    return _shares(
        MATCH_FIGURES,
        lambda key: getattr(quality, key),
        label="demo CRMs",
        data=f"{quality.records:,} records",
        note=f"{quality.true_pairs:,} customers of both, {quality.review_pairs:,} pairs to review",
    )


def real_names() -> list[Measure]:
    """Real company names imported and matched as a program's CRMs, and a plain
    rapidfuzz baseline on the same names in the same run."""
    measures = []
    for name in SETS:
        r = real_names_benchmark(name)
        measures += _shares(
            REAL_NAME_FIGURES,
            lambda key, r=r: getattr(r, key),
            label=f"real names ({name})",
            data=f"{r.records_left:,} x {r.records_right:,}",
            note=f"{r.label}: {r.true_pairs} true pairs, {r.review_pairs} pairs to review",
        )
    return measures
