"""The report as one CSV file: a "Section" first column, each section under its own header.

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
from scorecards.selectors.report import Cell, Column, ScorecardReport, Section

BOM = "\ufeff"


def render_csv(report: ScorecardReport) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for section in report.sections:
        writer.writerows(section_rows(section))
    return (BOM + buffer.getvalue()).encode("utf-8")


def section_rows(section: Section) -> list[list[str]]:
    title = neutralise(section.title)
    header = [neutralise(_("Section")), *(neutralise(column.header) for column in section.columns)]
    columns = section.columns
    body = [
        [title, *(_text(value, column) for value, column in zip(row, columns, strict=True))]
        for row in section.rows
    ]
    return [header, *body]


def _text(value: Cell, column: Column) -> str:
    typed = typed_value(value, column)
    if typed is None:
        return ""
    if isinstance(typed, Decimal):
        return f"{typed:f}"
    if isinstance(typed, date):
        return typed.isoformat()
    return str(typed)
