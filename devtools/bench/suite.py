"""Each benchmark of the suite, measured against the budgets of the issues.

A benchmark returns its measures; it never raises on a missed budget. Times
are wall-clock on a shared machine, so where the work runs in this process the
CPU time is noted beside them.
"""

import time
from dataclasses import dataclass
from datetime import date

from django.db import connection, reset_queries, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Merger, Segment
from devtools.bench.exports import exports_bench
from devtools.bench.fresh import fresh_database
from devtools.bench.imports import import_bench
from devtools.bench.large_org import People
from devtools.bench.matching import run_benchmark
from devtools.bench.pages import PageTiming, page_time
from devtools.bench.realnames import SETS, real_names_benchmark
from devtools.bench.results import Measure, Rule, load_average
from devtools.bench.sizes import BenchSize
from devtools.demo import org as demo_org
from devtools.demo.matching import demo_match_quality
from scorecards.models import CScore, IndicatorValue, SegmentScore
from scorecards.reconcile import program_reconcile
from scorecards.services.scores import scores_recompute
from tracker.models import MonthlySnapshot, Team
from tracker.pipeline_math import add_months
from tracker.services.snapshots import snapshot_freeze

MATCHING_BUDGET_S = 60.0
IMPORT_BUDGET_S = 30.0
SNAPSHOT_BUDGET_S = 30.0
SCORES_BUDGET_S = 10.0
PAGE_BUDGET_MS = 300.0
WHITESPACE_BUDGET_MS = 500.0
LARGE_DASHBOARD_BUDGET_MS = 1000.0
DASHBOARD_SQL_RATIO = 1.5


def _queries() -> CaptureQueriesContext:
    # The log keeps at most 9,000 queries; a full one would count nothing new.
    reset_queries()
    return CaptureQueriesContext(connection)


class _Timer:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> "_Timer":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = round(time.perf_counter() - self.wall, 2)
        self.cpu = round(time.process_time() - self.cpu, 2)


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
        )
    ]
    synthetic = {
        "Auto-match precision": result.auto_precision,
        "Auto-match recall": result.auto_recall,
        "Recall incl. review queue": result.surfaced_recall,
    }
    note = f"{result.true_pairs:,} true pairs, {result.review_pairs:,} sent to review"
    measures += [
        Measure(
            "matching",
            f"{label}, synthetic",
            data,
            round(v * 100, 2),
            "%",
            rule=Rule.INFO,
            note=note,
        )
        for label, v in synthetic.items()
    ]
    labelled = result.labelled
    if labelled:
        cases = f"{labelled['pairs']} labelled cases ({labelled['true_pairs']} matches)"
        measures += [
            Measure(
                "matching",
                f"{label}, labelled set",
                "labelled",
                round(labelled[key] * 100, 2),
                "%",
                rule=Rule.INFO,
                note=cases,
            )
            for label, key in (
                ("Auto-match precision", "auto_precision"),
                ("Auto-match recall", "auto_recall"),
                ("Recall incl. review queue", "surfaced_recall"),
            )
        ]
    return measures + demo_matching(scale=size.demo_scale) + real_names()


def demo_matching(*, scale: float) -> list[Measure]:
    """The demo's CRM records matched by the engine, against the generator's truth."""
    quality = demo_match_quality(today=date.today(), scale=scale)
    note = f"{quality.true_pairs:,} customers of both, {quality.review_pairs:,} pairs to review"
    return [
        Measure(
            "matching",
            f"{label}, demo CRMs",
            f"{quality.records:,} records",
            round(getattr(quality, key) * 100, 2),
            "%",
            rule=Rule.INFO,
            note=note,
        )
        for label, key in (
            ("Auto-match precision", "auto_precision"),
            ("Auto-match recall", "auto_recall"),
            ("Recall incl. review queue", "surfaced_recall"),
        )
    ]


REAL_NAME_FIGURES = (
    ("Auto-match precision", "auto_precision"),
    ("Auto-match recall", "auto_recall"),
    ("Recall incl. review queue", "surfaced_recall"),
    ("Records sent to review", "review_share"),
    ("Baseline precision (rapidfuzz token_sort_ratio >= 95)", "baseline_precision"),
    ("Baseline recall (rapidfuzz token_sort_ratio >= 95)", "baseline_recall"),
)


def real_names() -> list[Measure]:
    """Real company names imported and matched as a program's CRMs, and a plain
    rapidfuzz baseline on the same names in the same run."""
    measures = []
    for name in SETS:
        r = real_names_benchmark(name)
        data = f"{r.records_left:,} x {r.records_right:,}"
        note = f"{r.label}: {r.true_pairs} true pairs, {r.review_pairs} pairs to review"
        measures += [
            Measure(
                "matching",
                f"{label}, real names ({name})",
                data,
                round(getattr(r, key) * 100, 2),
                "%",
                rule=Rule.INFO,
                note=note,
            )
            for label, key in REAL_NAME_FIGURES
        ]
    return measures


def imports(*, size: BenchSize, fresh: bool) -> list[Measure]:
    """With `fresh`, on a database created for it: no rows, no planner statistics."""
    load = load_average()
    cpu: dict[str, float] = {}
    if fresh:
        with fresh_database() as name:
            seconds = import_bench(holdings=size.import_rows, cpu=cpu)
        where = f"fresh database {name}"
    else:
        seconds = import_bench(holdings=size.import_rows, cpu=cpu)
        where = "the benchmark's database"
    rows = f"{size.import_rows:,} rows"
    labels = {
        "install_base": ("Import install base", IMPORT_BUDGET_S),
        "install_base_reimport": ("Re-import install base, every row changed", IMPORT_BUDGET_S),
        "accounts": ("Import accounts of that install base", None),
        "products": ("Import products", None),
    }
    return [
        Measure(
            "imports",
            label,
            rows if key.startswith("install") else "",
            seconds.get(key),
            "s",
            budget,
            rule=Rule.AT_MOST if budget else Rule.INFO,
            load=load,
            note=f"end to end with the refresh it queues; {where}; cpu {cpu.get(key, 0):.1f} s",
        )
        for key, (label, budget) in labels.items()
    ]


def snapshot(*, merger: Merger, today: date) -> list[Measure]:
    """Freezes the last ended month again, after removing its snapshot."""
    month = add_months(today.replace(day=1), -1)
    MonthlySnapshot.objects.filter(merger=merger, month=month).delete()
    load = load_average()
    with _Timer() as timer, _queries() as queries:
        frozen = snapshot_freeze(merger_id=merger.pk, month=month)
    return [
        Measure(
            "snapshot",
            "Month-end snapshot, whole program",
            "large",
            timer.wall,
            "s",
            SNAPSHOT_BUDGET_S,
            queries=len(queries),
            load=load,
            note=f"{month:%Y-%m}, {frozen.lines.count():,} lines; cpu {timer.cpu:.1f} s",
        )
    ]


def reconcile(*, programs: list[Merger]) -> list[Measure]:
    """manage.py reconcile on each program: how many figures disagree with their records."""
    measures = []
    for merger, data in zip(programs, ("large", "demo"), strict=False):
        load = load_average()
        with _Timer() as timer:
            report = program_reconcile(merger=merger)
        kinds = sorted({mismatch.check for mismatch in report.mismatches})
        found = "; ".join(str(mismatch).splitlines()[0] for mismatch in report.mismatches[:3])
        measures.append(
            Measure(
                "reconcile",
                "Figures that disagree with their records",
                data,
                len(report.mismatches),
                "",
                0,
                rule=Rule.EQUAL,
                load=load,
                note=(
                    f"{len(report.checks)} checks in {timer.wall:.1f} s"
                    + (f"; {', '.join(kinds)}: {found}" if found else "")
                )[:400],
            )
        )
    return measures


def scores(*, merger: Merger, today: date) -> list[Measure]:
    """Scores the current month from nothing, then recomputes it."""
    month = today.replace(day=1)
    with transaction.atomic():
        for model in (IndicatorValue, CScore, SegmentScore):
            model.objects.filter(merger=merger, month=month, frozen=False).delete()
    measures = []
    for label in ("Scores, first computation of a month", "Scores, recompute of a scored month"):
        load = load_average()
        with _Timer() as timer, _queries() as queries:
            result = scores_recompute(merger_id=merger.pk, month=month)
        note = f"{month:%Y-%m}, {result.segments} segments; cpu {timer.cpu:.1f} s"
        if result.frozen:
            note = f"{month:%Y-%m} is frozen; nothing recomputed"
        measures.append(
            Measure(
                "scores",
                label,
                "large",
                timer.wall,
                "s",
                SCORES_BUDGET_S,
                queries=len(queries),
                load=load,
                note=note,
            )
        )
    return measures


def exports(*, merger: Merger, today: date) -> list[Measure]:
    load = load_average()
    labels = {"xlsx": "XLSX scorecard export", "pdf": "PDF board pack"}
    return [
        Measure(
            "exports",
            labels.get(timing.format, timing.format),
            "large",
            round(timing.total_seconds, 2),
            "s",
            timing.budget_seconds,
            load=load,
            note=(
                f"report {timing.report_seconds:.2f} s, render {timing.render_seconds:.2f} s, "
                f"{timing.size_bytes / 1024:,.0f} KiB"
            ),
        )
        for timing in exports_bench(merger=merger, month=today.replace(day=1))
    ]


@dataclass(frozen=True)
class PageSpec:
    bench: str
    name: str
    url_name: str
    persona: str  # rep, leader, executive or ops
    # Cold (every cache off), on any program: the budgets of the issues.
    budget_ms: float = PAGE_BUDGET_MS
    by_segment: bool = False
    # The page's time at most this many times the time of the SQL it runs.
    sql_ratio: float | None = None


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages", "Home", "accounts:home", "executive"),
    PageSpec("pages", "Accounts", "accounts:account_list", "executive"),
    PageSpec("pages", "Overlap", "accounts:overlap", "executive"),
    PageSpec(
        "pages", "Whitespace heatmap", "accounts:whitespace", "executive", WHITESPACE_BUDGET_MS
    ),
    PageSpec(
        "pages",
        "Whitespace of one segment",
        "accounts:whitespace",
        "executive",
        WHITESPACE_BUDGET_MS,
        by_segment=True,
    ),
    PageSpec("pages", "Product map", "accounts:product_map", "executive"),
    PageSpec("pages", "Segments", "accounts:segments", "executive"),
    PageSpec("pages", "Risk screen", "accounts:risk_policy", "executive"),
    PageSpec("pages", "Imports", "accounts:imports", "ops"),
    PageSpec("pages", "Match review", "accounts:match_review", "ops"),
    PageSpec("pages", "My opportunities (rep)", "tracker:pipeline", "rep"),
    PageSpec("pages", "Team pipeline (leader)", "tracker:pipeline", "leader"),
    PageSpec("pages", "Program pipeline (executive)", "tracker:pipeline", "executive"),
    PageSpec("pages", "Supervision (leader)", "tracker:supervision", "leader"),
    PageSpec("pages", "Wins", "tracker:wins", "executive"),
    PageSpec("pages", "Quotas (leader)", "tracker:quotas", "leader"),
    PageSpec("pages", "Reps", "tracker:reps", "executive"),
    PageSpec("pages", "Targets", "tracker:targets", "executive"),
    PageSpec("pages", "Core win rates", "tracker:core_win_rates", "executive"),
    PageSpec("pages", "Compensation", "tracker:compensation", "executive"),
    PageSpec("pages", "Six-C scorecard", "scorecards:scorecard", "executive"),
    PageSpec(
        "pages", "My dashboard (rep)", "scorecards:my_dashboard", "rep", LARGE_DASHBOARD_BUDGET_MS
    ),
    PageSpec(
        "dashboard",
        "Program dashboard",
        "scorecards:dashboard",
        "executive",
        LARGE_DASHBOARD_BUDGET_MS,
        sql_ratio=DASHBOARD_SQL_RATIO,
    ),
)


@dataclass(frozen=True)
class Program:
    """A program to request pages of, and who signs in for each persona."""

    label: str  # "large" or "demo"
    merger: Merger
    personas: dict[str, str]


def large_program(*, merger: Merger, size: BenchSize) -> Program:
    people = People.of(size)
    # The first team below a region: a first-line leader, as in the demo.
    first_line = Team.objects.filter(merger=merger, parent__isnull=False).order_by("pk").first()
    leader = first_line.leader.username if first_line else people.leader(0)
    return Program(
        "large",
        merger,
        {
            "rep": people.rep(0),
            "leader": leader,
            "executive": people.executive,
            "ops": people.ops,
        },
    )


def demo_program(*, merger: Merger) -> Program:
    personas = {
        "rep": demo_org.REP.username,
        "leader": demo_org.LEADER.username,
        "executive": demo_org.EXECUTIVE.username,
        "ops": demo_org.OPS.username,
    }
    return Program("demo", merger, personas)


def pages(*, bench: str, programs: list[Program], runs: int) -> list[Measure]:
    measures = []
    for spec in (s for s in PAGES if s.bench == bench):
        timings: dict[str, PageTiming] = {}
        for program in programs:
            timing = page_time(
                username=program.personas[spec.persona],
                url=_url(spec, program.merger),
                runs=runs,
            )
            timings[program.label] = timing
            measures += page_measures(bench, spec, program.label, timing, load=load_average())
        measures.append(_same_queries(bench, spec, timings))
    return measures


def page_measures(
    bench: str, spec: PageSpec, data: str, timing: PageTiming, *, load: float | None
) -> list[Measure]:
    """Cold against the budget, warm, and the page beside its SQL."""
    cold = Measure(
        bench,
        f"{spec.name}, cold",
        data,
        timing.median_ms,
        "ms",
        spec.budget_ms,
        queries=timing.queries,
        load=load,
        note=timing.error
        or (
            f"every cache off; first request {timing.first_ms:.0f} ms, cpu {timing.cpu_ms:.0f} ms"
        ),
    )
    if timing.error:
        return [cold]
    return [
        cold,
        Measure(
            bench,
            f"{spec.name}, warm",
            data,
            timing.warm_ms,
            "ms",
            rule=Rule.INFO,
            load=load,
            note="the configured cache on and filled",
        ),
        Measure(
            bench,
            f"{spec.name}, page / its SQL",
            data,
            timing.sql_ratio,
            "x",
            spec.sql_ratio,
            rule=Rule.AT_MOST if spec.sql_ratio and data == "large" else Rule.INFO,
            load=load,
            note=f"SQL {timing.sql_ms:.0f} ms: the cold request's reads re-run on the driver",
        ),
    ]


def _same_queries(bench: str, spec: PageSpec, timings: dict[str, PageTiming]) -> Measure:
    large, demo = timings.get("large"), timings.get("demo")
    counts = f"large {large.queries if large else '-'}, demo {demo.queries if demo else '-'}"
    return Measure(
        bench,
        f"{spec.name}: same queries on large and demo",
        "large vs demo",
        large.queries if large else None,
        "queries",
        demo.queries if demo else None,
        rule=Rule.EQUAL,
        note=counts,
    )


def _url(spec: PageSpec, merger: Merger) -> str:
    url = reverse(spec.url_name)
    if not spec.by_segment:
        return url
    # The segment with the most accounts: the heaviest one a user can pick.
    segment = (
        Segment.objects.filter(merger=merger)
        .annotate(size=Count("accounts"))
        .order_by("-size", "pk")
        .first()
    )
    return f"{url}?segment={segment.pk}" if segment else url
