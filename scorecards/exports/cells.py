"""What every spreadsheet export does to a value: type it, and defuse formulas.

Text that a spreadsheet would read as a formula (starting with =, +, - or @,
or with a tab or carriage return that some parsers skip) gets a leading
apostrophe, so a segment or account named "=HYPERLINK(...)" stays text when the
file is opened. Numbers are never touched: they are typed cells, not text.
"""

from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from core.spreadsheet import neutralise
from scorecards.selectors.report import Cell, Column, ColumnType, ScorecardReport

MONEY_PLACES = Decimal("0.01")
SCORE_PLACES = Decimal("0.01")
PERCENT_PLACES = Decimal("0.0001")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def typed_value(value: Cell, column: Column) -> Cell:
    """The value as the column's type says: Decimal places fixed, text defused."""
    if value is None:
        return None
    match column.type:
        case ColumnType.TEXT:
            return neutralise(str(value))
        case ColumnType.MONEY:
            return Decimal(value).quantize(MONEY_PLACES)
        case ColumnType.SCORE:
            return Decimal(value).quantize(SCORE_PLACES)
        case ColumnType.PERCENT:
            return Decimal(value).quantize(PERCENT_PLACES)
        case ColumnType.INTEGER:
            return int(value)
        case ColumnType.NUMBER:
            # Indicator values are stored with four places: 50.0000 reads 50.
            return Decimal(value).normalize()
        case ColumnType.DATE:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
    return value


def filename_for(*, program: str, month: date, fmt: str, report: str = "scorecard") -> str:
    return f"{slugify(program) or 'program'}-{report}-{month:%Y-%m}.{fmt}"


def export_filename(report: ScorecardReport, fmt: str) -> str:
    """e.g. sensa-predikt-scorecard-2026-10.xlsx: the program and the month."""
    return filename_for(program=report.program, month=report.month, fmt=fmt)
