"""How long a program's scorecard exports take, against their budgets.

Budgets (a large merger: 100k accounts, 200k opportunities, 20 segments): an
XLSX export under 3 seconds and a PDF board pack under 10, each counted from
reading the report to the finished file, as an export job spends them.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from accounts.models import Merger
from scorecards.exports.pdf import render_pdf
from scorecards.exports.xlsx import render_xlsx
from scorecards.selectors.report import ScorecardReport, scorecard_report

XLSX_BUDGET_SECONDS = 3.0
PDF_BUDGET_SECONDS = 10.0


@dataclass(frozen=True)
class ExportTiming:
    format: str
    report_seconds: float
    render_seconds: float
    size_bytes: int
    budget_seconds: float

    @property
    def total_seconds(self) -> float:
        return self.report_seconds + self.render_seconds


def exports_bench(*, merger: Merger, month: date) -> list[ExportTiming]:
    """Times the XLSX and the PDF of one month; the month is scored first if need be.

    The first report read is not counted: it may score an unscored month, which
    is the recompute's cost, not the export's.
    """
    scorecard_report(merger=merger, month=month)
    return [
        _timed("xlsx", render_xlsx, merger, month, XLSX_BUDGET_SECONDS),
        _timed("pdf", render_pdf, merger, month, PDF_BUDGET_SECONDS),
    ]


def _timed(
    fmt: str,
    render: Callable[[ScorecardReport], bytes],
    merger: Merger,
    month: date,
    budget: float,
) -> ExportTiming:
    started = time.perf_counter()
    report = scorecard_report(merger=merger, month=month)
    built = time.perf_counter()
    content = render(report)
    finished = time.perf_counter()
    return ExportTiming(
        format=fmt,
        report_seconds=built - started,
        render_seconds=finished - built,
        size_bytes=len(content),
        budget_seconds=budget,
    )
