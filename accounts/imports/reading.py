"""Open a CSV or XLSX export and hand back its header and numbered rows.

Pure: takes bytes, returns plain data. Row numbers are the ones a person sees
when opening the file in a spreadsheet (the header is usually row 1), so that
problems can be found in the original file.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET

import charset_normalizer
from django.utils.translation import gettext as _

DELIMITERS = (",", ";", "\t", "|")
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
# Title lines above the header (report name, filters) have fewer cells than this.
MIN_HEADER_CELLS = 2
HEADER_SEARCH_ROWS = 30
SNIFF_CHARS = 64 * 1024
SNIFF_ROWS = 50
# CRM exports have a few hundred columns at most; a wider header is a wrong or hostile file.
MAX_COLUMNS = 1000
MAX_COLUMN_NAME = 255
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

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and other Office binaries


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message tells the user why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


type Cell = Any
type NumberedRow = tuple[int, list[Cell]]


@dataclass
class Table:
    header: list[str]
    rows: Iterator[NumberedRow]
    header_row: int
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    _closers: list = field(default_factory=list, repr=False)

    def close(self) -> None:
        for close in self._closers:
            close()
        self._closers.clear()

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_table(*, data: BinaryIO, name: str, max_bytes: int, sheet: str | None = None) -> Table:
    """Read `data` (a seekable binary file) as CSV or XLSX, by content and extension."""
    size = data.seek(0, io.SEEK_END)
    data.seek(0)
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size).1f MB; files up to %(limit)d MB can be imported.")
            % {"size": size / 1024 / 1024, "limit": max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    head = data.read(8)
    data.seek(0)
    if file_format(head=head, name=name) == "xlsx":
        return _open_xlsx(data, sheet)
    return _open_csv(data.read())


def file_format(*, head: bytes, name: str) -> str:
    lowered = name.lower()
    if head.startswith(_OLE_MAGIC) or lowered.endswith(".xls"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.")
        )
    if head.startswith(_ZIP_MAGIC):
        # Trust the content: an Excel file saved under a .csv name still reads.
        return "xlsx"
    if lowered.endswith(XLSX_EXTENSIONS):
        raise ImportFileError(_("The file is not a valid Excel workbook."))
    if lowered.endswith(CSV_EXTENSIONS):
        return "csv"
    raise ImportFileError(
        _(
            "Unsupported file type '%(name)s': "
            "upload a CSV (.csv, .txt, .tsv) or Excel (.xlsx) file."
        )
        % {"name": name}
    )


# CSV


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: BOM, UTF-8, else a detected legacy code page."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16"), "utf-16"
    if b"\x00" in raw:
        raise _not_text()
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _legacy_candidates(raw):
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportFileError(
        _("The text encoding of the file could not be recognised; save it as UTF-8 CSV.")
    )


def _strict(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file says it is %(encoding)s but byte %(position)d is not; save it again.")
            % {"encoding": encoding.upper(), "position": error.start}
        ) from error


def _legacy_candidates(raw: bytes) -> list[str]:
    """Windows-1252 and the detector's guess, the more plausible reading first.

    Detectors guess badly on short samples (Scandinavian names read as Chinese
    or Central European), so their guess must also read more plausibly than
    Windows-1252, by far the most common source of such files.
    """
    sample = raw[:SNIFF_CHARS]
    candidates = ["cp1252"]
    best = charset_normalizer.from_bytes(sample).best()
    if best is not None and codecs.lookup(best.encoding).name != "cp1252":
        candidates.append(best.encoding)
    return sorted(candidates, key=lambda encoding: _implausibility(sample, encoding))


def _implausibility(raw: bytes, encoding: str) -> int:
    """How much of the decoded text looks like mojibake: mixed scripts inside a word,
    symbols inside words, Latin words made mostly of accented letters."""
    text = raw.decode(encoding, errors="replace")
    penalty = 0
    for word in re.findall(r"[^\s\d!-/:-@\[-`{-~]+", text):
        if word.isascii():
            continue
        foreign = [ch for ch in word if not ch.isascii()]
        penalty += sum(1 for ch in foreign if not ch.isalpha())
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            penalty += len(word)
        elif scripts == {"LATIN"} and len(word) >= 3 and len(foreign) * 2 > len(word):
            penalty += len(foreign)
    return penalty


def _script(ch: str) -> str:
    return "LATIN" if ch.isascii() else unicodedata.name(ch, "UNKNOWN").split()[0]


def _not_text() -> ImportFileError:
    return ImportFileError(
        _("This does not look like a CSV or Excel file: it contains binary data.")
    )


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first rows into the most consistent columns."""
    sample = text[:SNIFF_CHARS]
    best, best_score = ",", (False, -1.0, 0)
    for delimiter in DELIMITERS:
        rows = [row for row in _sample_rows(sample, delimiter) if any(c.strip() for c in row)]
        position = next((i for i, row in enumerate(rows) if len(row) >= MIN_HEADER_CELLS), None)
        if position is None:
            continue
        header, rest = rows[position], rows[position + 1 :]
        consistency = sum(len(row) == len(header) for row in rest) / len(rest) if rest else 1.0
        # Title lines above a header are rare; a split first line is strong evidence.
        score = (position == 0, consistency, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= SNIFF_ROWS:
                break
    except csv.Error:
        pass
    return rows


def _open_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    if _looks_binary(text[:SNIFF_CHARS]):
        raise _not_text()
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = _guard_csv(enumerate(reader, start=1))
    header_row, header = _find_header(numbered)
    return Table(
        header=header,
        rows=_drop_footer(numbered),
        header_row=header_row,
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return controls > max(2, len(text) // 200)


def _guard_csv(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    number = 0
    try:
        for number, row in rows:
            yield number, row
    except csv.Error as error:
        raise ImportFileError(
            _("Row %(row)d cannot be read (%(error)s); check for an unclosed quote.")
            % {"row": number + 1, "error": error}
        ) from error


def _drop_footer(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    """Leave out blank rows, and a trailing block of one-cell lines after a blank line.

    Salesforce report exports end that way ("Grand Totals", copyright,
    "Generated By"); those lines are not records.
    """
    pending: list[NumberedRow] = []
    for number, row in rows:
        if _blank(row) or (pending and len(row) == 1):
            pending.append((number, row))
        else:
            if pending:
                yield from ((n, r) for n, r in pending if not _blank(r))
                pending.clear()
            yield number, row


def _non_blank(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    for number, row in rows:
        if not _blank(row):
            yield number, row


def _blank(row: list[Cell]) -> bool:
    try:
        return not "".join(row).strip()  # CSV rows: all text
    except TypeError:
        return not any(_filled(cell) for cell in row)


def _filled(cell: Cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def _find_header(rows: Iterator[NumberedRow]) -> tuple[int, list[str]]:
    for number, row in rows:
        if sum(_filled(cell) for cell in row) >= MIN_HEADER_CELLS:
            return number, _header_names(row)
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(
        _(
            "No header row found: the file needs a first row with column names, "
            "separated by commas, semicolons, tabs or |."
        )
    )


def _header_names(row: list[Cell]) -> list[str]:
    """Column names as text; blank ones numbered, repeated ones made distinct.

    Linear in the number of columns: each name remembers the next copy number
    to try, so a header of one name repeated thousands of times stays cheap.
    """
    width = len(row)
    while width and not _filled(row[width - 1]):
        width -= 1
    _check_width(width, row=None)
    names: list[str] = []
    taken: set[str] = set()
    next_copy: dict[str, int] = {}
    for index, cell in enumerate(row[:width], start=1):
        # A byte-order mark or NUL byte inside a name is damage, not part of the name.
        name = "" if cell is None else str(cell).replace("\ufeff", "").replace("\x00", "")
        name = name.strip()
        if len(name) > MAX_COLUMN_NAME:
            raise ImportFileError(
                _("The name of column %(number)d is longer than %(max)d characters.")
                % {"number": index, "max": MAX_COLUMN_NAME}
            )
        name = name or _("Column %(number)d") % {"number": index}
        candidate, copy = name, next_copy.get(name, 2)
        while candidate in taken:
            candidate, copy = f"{name} ({copy})", copy + 1
        next_copy[name] = copy
        names.append(candidate)
        taken.add(candidate)
    return names


def _check_width(width: int, *, row: int | None) -> None:
    if width <= MAX_COLUMNS:
        return
    if row is None:
        message = _(
            "The header has %(count)d columns; at most %(max)d can be imported. "
            "Leave out the columns that are not needed."
        )
    else:
        message = _(
            "Row %(row)d has %(count)d columns; at most %(max)d can be imported. "
            "Leave out the columns that are not needed."
        )
    raise ImportFileError(message % {"row": row, "count": width, "max": MAX_COLUMNS})


# XLSX


def _open_xlsx(data: BinaryIO, sheet: str | None) -> Table:
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
        numbered = _non_blank(
            _bounded_cells(enumerate(worksheet.iter_rows(values_only=True), start=1))
        )
        header_row, header = _find_header(numbered)
    except Exception:
        workbook.close()
        raise
    return Table(
        header=header,
        rows=_pad_xlsx(numbered, len(header)),
        header_row=header_row,
        file_format="xlsx",
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
        _check_width(len(row), row=number)
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
        while len(row) > width and not _filled(row[-1]):
            row.pop()
        if len(row) < width:
            row.extend([None] * (width - len(row)))
        yield number, row
