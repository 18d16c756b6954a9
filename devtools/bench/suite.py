"""Each benchmark of the suite, measured against the budgets of the issues.

A benchmark returns its measures; it never raises on a missed budget. Times
are wall-clock on a shared machine, so where the work runs in this process the
CPU time is noted beside them.
"""

import time
from datetime import date

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Merger
from devtools.bench.exports import exports_bench
from devtools.bench.fresh import fresh_database
from devtools.bench.imports import import_bench
from devtools.bench.results import Measure, Rule, load_average
from devtools.bench.sizes import BenchSize
from scorecards.models import CScore, IndicatorValue, SegmentScore
from scorecards.reconcile import program_reconcile
from scorecards.services.scores import scores_recompute
from tracker.models import MonthlySnapshot
from tracker.pipeline_math import add_months
from tracker.services.snapshots import snapshot_freeze

IMPORT_BUDGET_S = 30.0
SNAPSHOT_BUDGET_S = 30.0
SCORES_BUDGET_S = 10.0


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
