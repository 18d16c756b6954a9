"""The report as one long, tidy CSV table, ready for a BI tool.

One row per value: which section and row it belongs to, the row's subject (its
first text column: the program, a segment, a team, a month), the measure's key
and label, its type, and the value. Every section shares these columns, so a
BI tool loads the whole pack as one table and pivots it as it needs.

UTF-8 with a byte-order mark, so that Excel detects the encoding of accented,
Cyrillic and Chinese names. Numbers are written plainly (a point as decimal
separator, percentages as fractions) and text is defused against formulas.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from scorecards.exports.cells import neutralise, typed_value
from scorecards.selectors.report import Cell, Column, ColumnType, ScorecardReport, Section

BOM = "\ufeff"

# The columns every section shares: plain words, nothing a spreadsheet could run.
HEADER = (
    "month",
    "section",
    "section_title",
    "row",
    "subject",
    "measure",
    "measure_label",
    "type",
    "unit",
    "value",
)


def render_csv(report: ScorecardReport) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    month = report.month.isoformat()
    for section in report.sections:
        writer.writerows(section_rows(section, month=month, currency=report.currency))
    return (BOM + buffer.getvalue()).encode("utf-8")


def section_rows(section: Section, *, month: str, currency: str) -> list[list[str]]:
    subject_column = next((c for c in section.columns if c.type == ColumnType.TEXT), None)
    rows = []
    for number, row in enumerate(section.rows, start=1):
        values = dict(zip((c.key for c in section.columns), row, strict=True))
        subject = _text(values[subject_column.key], subject_column) if subject_column else ""
        for column in section.columns:
            if column is subject_column:
                continue
            rows.append(
                [
                    month,
                    section.key,
                    neutralise(section.title),
                    str(number),
                    subject,
                    column.key,
                    neutralise(column.header),
                    str(column.type),
                    currency if column.type == ColumnType.MONEY else _unit(column),
                    _text(values[column.key], column),
                ]
            )
    return rows


def _unit(column: Column) -> str:
    if column.type == ColumnType.PERCENT:
        return _("fraction")
    if column.type == ColumnType.SCORE:
        return _("score 1-5")
    return ""


def _text(value: Cell, column: Column) -> str:
    typed = typed_value(value, column)
    if typed is None:
        return ""
    if isinstance(typed, Decimal):
        return f"{typed:f}"
    if isinstance(typed, date):
        return typed.isoformat()
    return str(typed)
