"""The renderers by format, and what each file is called and served as."""

from collections.abc import Callable
from importlib import import_module

from scorecards.exports.cells import CONTENT_TYPES, export_filename, filename_for
from scorecards.selectors.report import ScorecardReport


def _lazy(module: str, name: str) -> Callable[[ScorecardReport], bytes]:
    # reportlab and openpyxl cost every process ~0.2 s to import; only workers render.
    def render(report: ScorecardReport) -> bytes:
        return getattr(import_module(module), name)(report)

    render.__name__ = name
    return render


RENDERERS: dict[str, Callable[[ScorecardReport], bytes]] = {
    "csv": _lazy("scorecards.exports.csv", "render_csv"),
    "xlsx": _lazy("scorecards.exports.xlsx", "render_xlsx"),
    "pdf": _lazy("scorecards.exports.pdf", "render_pdf"),
}

__all__ = ["CONTENT_TYPES", "RENDERERS", "export_filename", "filename_for", "render"]


def render(report: ScorecardReport, fmt: str) -> bytes:
    return RENDERERS[fmt](report)
