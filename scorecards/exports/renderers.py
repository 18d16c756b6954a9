"""The renderers by format, and what each file is called and served as."""

from collections.abc import Callable

from scorecards.exports.cells import CONTENT_TYPES, export_filename, filename_for
from scorecards.exports.csv import render_csv
from scorecards.exports.pdf import render_pdf
from scorecards.exports.xlsx import render_xlsx
from scorecards.selectors.report import ScorecardReport

RENDERERS: dict[str, Callable[[ScorecardReport], bytes]] = {
    "csv": render_csv,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}

__all__ = ["CONTENT_TYPES", "RENDERERS", "export_filename", "filename_for", "render"]


def render(report: ScorecardReport, fmt: str) -> bytes:
    return RENDERERS[fmt](report)
