"""The report as a workbook: one sheet per section, typed and formatted cells.

Streamed with openpyxl's write-only mode: styles, widths and the frozen header
row are set before the rows are written, which is all a report needs.
"""

import io
import re
from datetime import UTC

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from scorecards.exports.cells import neutralise, typed_value
from scorecards.selectors.report import ColumnType, ScorecardReport, Section

NUMBER_FORMATS = {
    ColumnType.MONEY: "#,##0.00",
    ColumnType.PERCENT: "0.0%",
    ColumnType.SCORE: "0.00",
    ColumnType.INTEGER: "0",
    ColumnType.NUMBER: "General",
    ColumnType.DATE: "yyyy-mm-dd",
}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
SHEET_TITLE_MAX = 31
INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH, NUMBER_WIDTH = 8, 60, 14


def render_xlsx(report: ScorecardReport) -> bytes:
    workbook = Workbook(write_only=True)
    _properties(workbook, report)
    used: set[str] = set()
    for section in report.sections:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        _write_section(sheet, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _properties(workbook: Workbook, report: ScorecardReport) -> None:
    properties = workbook.properties
    properties.title = f"{report.title}: {report.program}, {report.month:%Y-%m}"
    properties.subject = report.program
    properties.creator = _("Cross-sell tracker")
    properties.keywords = f"{report.month:%Y-%m}"
    # Workbook properties hold naive UTC times.
    properties.created = report.generated_at.astimezone(UTC).replace(tzinfo=None)


def _sheet_title(title: str, used: set[str]) -> str:
    base = INVALID_SHEET_CHARACTERS.sub(" ", title).strip()[:SHEET_TITLE_MAX] or "Sheet"
    candidate, number = base, 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate, number = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, number + 1
    used.add(candidate.casefold())
    return candidate


def _write_section(sheet: WriteOnlyWorksheet, section: Section) -> None:
    # Write-only sheets take widths and panes only before the first row.
    for index, width in enumerate(_widths(section), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, column.header) for column in section.columns])
    formats = [NUMBER_FORMATS.get(column.type) for column in section.columns]
    for row in section.rows:
        sheet.append(
            [
                _cell(sheet, typed_value(value, column), number_format)
                for value, column, number_format in zip(row, section.columns, formats, strict=True)
            ]
        )


def _header_cell(sheet: WriteOnlyWorksheet, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(header))
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    return cell


def _cell(sheet: WriteOnlyWorksheet, value, number_format: str | None):
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _widths(section: Section) -> list[float]:
    widths = []
    for index, column in enumerate(section.columns):
        longest = len(column.header)
        if column.numeric or column.type == ColumnType.DATE:
            widths.append(max(NUMBER_WIDTH, min(longest, 24) + 2))
            continue
        for row in section.rows:
            value = row[index]
            if value is not None:
                longest = max(longest, len(str(value)))
        widths.append(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths
