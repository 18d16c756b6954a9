"""Excel workbooks, refused before parsing when they would unpack to too much."""

import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _

from accounts.imports.reading.table import (
    ImportFileError,
    NumberedRow,
    Table,
    check_width,
    filled,
    find_header,
    non_blank_rows,
)

# Excel's own limit on the text of one cell.
MAX_CELL_CHARS = 32_767
# What an Excel file may unpack to and hold: beyond these, CSV is the better format,
# and parsing would tie up a worker for minutes and gigabytes.
XLSX_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 2_000_000
XLSX_MAX_CELLS = 20_000_000
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def open_xlsx(data: BinaryIO, sheet: str | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        _check_xlsx_size(data)
        data.seek(0)
        workbook = load_workbook(data, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not a valid Excel workbook.")) from error
    except ET.ParseError as error:
        raise ImportFileError(_("The file is not a valid Excel workbook.")) from error
    try:
        worksheet = _worksheet(workbook, sheet)
        # The declared size (<dimension ref="A1:XFD1048576">) is not to be trusted:
        # rows would be padded to it. Each row is then as wide as its last cell.
        worksheet.reset_dimensions()
        numbered = non_blank_rows(
            _bounded_cells(enumerate(worksheet.iter_rows(values_only=True), start=1))
        )
        header = find_header(numbered)
    except Exception:
        workbook.close()
        raise
    return Table(
        header=header,
        rows=_pad_xlsx(numbered, len(header)),
        _closers=[workbook.close],
    )


def _check_xlsx_size(data: BinaryIO) -> None:
    """Refuse, before parsing, a workbook that unpacks to too much or holds too many texts."""
    with zipfile.ZipFile(data) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > XLSX_MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _(
                    "The workbook unpacks to %(size)d MB; at most %(max)d MB can be read. "
                    "Save the sheet as CSV instead."
                )
                % {"size": unpacked // MB, "max": XLSX_MAX_UNPACKED_BYTES // MB}
            )
        path = _shared_strings_path(archive)
        if path is not None:
            with archive.open(path) as source:
                _check_shared_strings(source)


MB = 1024 * 1024


def _shared_strings_path(archive: zipfile.ZipFile) -> str | None:
    try:
        with archive.open("[Content_Types].xml") as source:
            for _event, element in ET.iterparse(source):
                if element.get("ContentType") == _SHARED_STRINGS_TYPE:
                    return element.get("PartName", "").lstrip("/") or None
    except KeyError:
        return None
    return None


def _check_shared_strings(source: BinaryIO) -> None:
    """Count the texts of the workbook and measure each, stopping at the first excess."""
    count = 0
    for _event, element in ET.iterparse(source):
        if element.tag.rpartition("}")[2] != "si":
            continue
        count += 1
        length = sum(len(text) for text in element.itertext())
        element.clear()
        if length > MAX_CELL_CHARS:
            raise ImportFileError(
                _(
                    "Text number %(number)d of the workbook has %(length)d characters; "
                    "a cell holds at most %(max)d."
                )
                % {"number": count, "length": length, "max": MAX_CELL_CHARS}
            )
        if count > XLSX_MAX_SHARED_STRINGS:
            raise ImportFileError(
                _(
                    "The workbook holds more than %(max)d different texts; "
                    "save the sheet as CSV instead."
                )
                % {"max": XLSX_MAX_SHARED_STRINGS}
            )


def _bounded_cells(rows: Iterator[tuple[int, tuple]]) -> Iterator[NumberedRow]:
    """Rows as lists, refusing a row wider than any export and a sheet with too many cells."""
    cells = 0
    for number, values in rows:
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        check_width(len(row), row=number)
        cells += len(row)
        if cells > XLSX_MAX_CELLS:
            raise ImportFileError(
                _("The sheet has more than %(max)d filled cells; split it or save it as CSV.")
                % {"max": XLSX_MAX_CELLS}
            )
        yield number, row


def _worksheet(workbook: Any, sheet: str | None) -> Any:
    if sheet is None:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheets."))
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise ImportFileError(
            _("The workbook has no sheet '%(sheet)s'; its sheets are: %(names)s.")
            % {"sheet": sheet, "names": ", ".join(workbook.sheetnames)}
        )
    return workbook[sheet]


def _pad_xlsx(rows: Iterator[NumberedRow], width: int) -> Iterator[NumberedRow]:
    """Sheets report every row as wide as the widest; only filled extra cells matter."""
    for number, row in rows:
        while len(row) > width and not filled(row[-1]):
            row.pop()
        if len(row) < width:
            row.extend([None] * (width - len(row)))
        yield number, row
