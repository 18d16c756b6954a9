"""Reading the small files of the program's setup (targets, teams, reps). Pure.

Each file has a header naming its columns (in any order, with common
spellings accepted) and one row per record. A reader declares its columns and
how a Row becomes its line; every problem is reported by file, row and column,
all of them at once, so that a file is fixed in one go.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text, is_blank
from accounts.imports.reading import ImportFileError, open_table
from core.spreadsheet import cell_text
from tracker.quota_math import MONTH, Period, PeriodError, parse_period, period_of

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    message: str


@dataclass(kw_only=True)
class FileProblems[E]:
    """What reading or importing a file found wrong: each row's problems and the file's own.
    A base of the results of every setup file; the errors are keyword arguments."""

    errors: list[E] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.file_errors)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A file of the header and rows, for a spreadsheet; no text in it can run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell_text(value) for value in row] for row in rows)
    return buffer.getvalue()


def errors_csv(errors: list[RowError]) -> str:
    """The problems as a spreadsheet; the file's own words can never run as formulas."""
    rows = [(error.file, error.row, error.column, error.message) for error in errors]
    return csv_text(["file", "row", "column", "problem"], rows)


@dataclass
class FileImportResult(FileProblems[RowError]):
    """What importing one file did: its counts, or every problem by row and column."""

    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def problems_csv(self) -> str:
        """Problems by file, row and column; file-level problems on row 0."""
        file_rows = [RowError(self.file, 0, "", message) for message in self.file_errors]
        return errors_csv(file_rows + self.errors)


def header_key(name: Any) -> str:
    return " ".join(str(name).lower().replace("_", " ").replace("-", " ").split())


@dataclass
class Sheet(FileProblems[RowError]):
    """A file's rows and where each of our columns is in them."""

    name: str
    positions: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    # The first row to give each key that a reader checks for repeats (a team, a rep's period).
    first_rows: dict[Hashable, int] = field(default_factory=dict)

    def has(self, column: str) -> bool:
        return column in self.positions

    def cell(self, cells: list[Any], column: str) -> Any:
        position = self.positions.get(column)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def column(self, column: str) -> list[Any]:
        """The column's cells in every row, to settle how the column is written."""
        return [self.cell(cells, column) for _number, cells in self.rows]


class Row:
    """One row of a sheet as it is read: its cells by column, and the problems found in it."""

    def __init__(self, sheet: Sheet, number: int, cells: list[Any]):
        self.sheet, self.number, self.cells = sheet, number, cells
        self.errors_before = len(sheet.errors)

    def cell(self, column: str) -> Any:
        return self.sheet.cell(self.cells, column)

    def text(self, column: str) -> str:
        return as_text(self.cell(column)).strip()

    def fail(self, column: str, message: str) -> None:
        self.sheet.errors.append(RowError(self.sheet.name, self.number, column, message))

    @property
    def failed(self) -> bool:
        return len(self.sheet.errors) > self.errors_before

    def parse[T](
        self, column: str, parse: Callable[[Any], T], *, blank: T | None = None, required: str = ""
    ) -> T | None:
        """The cell read by `parse`, or None once its problem is reported. A blank cell is
        `blank` if given, or reported with the `required` message if given, or else parsed."""
        value = self.cell(column)
        if is_blank(value) and (blank is not None or required):
            if required:
                self.fail(column, required)
            return blank
        try:
            return parse(value)
        except ParseError as error:
            self.fail(column, error.message)
            return None

    def repeats(self, key: Hashable, column: str, message: str, **values: object) -> bool:
        """Whether an earlier row of the sheet gave `key`, which `message` then names in
        `column`; if none did, this row now gives it."""
        first = self.sheet.first_rows.setdefault(key, self.number)
        if first != self.number:
            self.fail(column, message % {"first": first, **values})
        return first != self.number


@dataclass
class SetupFile[L](FileProblems[RowError]):
    """A setup file read: a line per right row, or every problem by row and column."""

    name: str
    lines: list[L] = field(default_factory=list)


def sheet_lines[L](sheet: Sheet, line_of: Callable[[Row], L | None]) -> list[L]:
    """The line `line_of` reads in each row, but for the rows in which it found a problem."""
    lines: list[L] = []
    for number, cells in sheet.rows if sheet.ok else []:
        row = Row(sheet, number, cells)
        line = line_of(row)
        if line is not None and not row.failed:
            lines.append(line)
    return lines


def setup_file[L](sheet: Sheet, line_of: Callable[[Row], L | None]) -> SetupFile[L]:
    lines = sheet_lines(sheet, line_of)
    return SetupFile(
        name=sheet.name, errors=sheet.errors, file_errors=sheet.file_errors, lines=lines
    )


def period_cell(value: Any) -> Period:
    """The period a file's cell names; a spreadsheet turns "2026-03" into a date of that month."""
    try:
        if isinstance(value, dt.date):
            return period_of(value, MONTH)
        return parse_period("" if value is None else str(value))
    except PeriodError as error:
        raise ParseError(error.message) from None


class FilePeriods:
    """The periods a file's earlier rows gave each key (a rep, a company): a later row may
    neither repeat nor overlap one of them. `again` and `overlap` say so of a row."""

    def __init__(self, *, again: str, overlap: str) -> None:
        self.again, self.overlap = again, overlap
        self.taken: dict[object, list[tuple[int, Period]]] = {}

    def take(self, row: Row, key: object, period: Period) -> bool:
        """Whether the row may have the period; if not, its "period" column says why."""
        if row.repeats((key, period.start), "period", self.again, period=period.code):
            return False
        clash = next((n for n, taken in self.taken.get(key, []) if taken.overlaps(period)), None)
        if clash is not None:
            row.fail("period", self.overlap % {"period": period.code, "row": clash})
            return False
        self.taken.setdefault(key, []).append((row.number, period))
        return True


def column_positions(
    header: list[Any],
    *,
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    one_of: tuple[str, ...] = (),
) -> tuple[dict[str, int], list[str]]:
    """Where each column is, and messages for the missing and repeated ones."""
    lookup = {header_key(alias): column for column, names in aliases.items() for alias in names}
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, name in enumerate(header):
        column = lookup.get(header_key(name))
        if column is None:
            continue
        if column in positions:
            problems.append(_("The column '%(name)s' appears twice; keep one.") % {"name": column})
        positions.setdefault(column, index)
    missing = [column for column in required if column not in positions]
    if missing:
        problems.append(
            _("The file needs the columns %(missing)s (found: %(found)s).")
            % {"missing": ", ".join(missing), "found": ", ".join(map(str, header)) or "-"}
        )
    if one_of and not any(column in positions for column in one_of):
        problems.append(
            _("The file needs at least one of the columns %(columns)s.")
            % {"columns": ", ".join(one_of)}
        )
    return positions, problems


def read_sheet(
    *,
    data: BinaryIO,
    name: str,
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    one_of: tuple[str, ...] = (),
    what: str,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Sheet:
    """The rows of a CSV or Excel file with the columns found; `what` names a row in messages.

    open_table leaves out blank rows; a file over `max_bytes` or `max_rows` is refused whole."""
    sheet = Sheet(name=name)
    try:
        with open_table(data=data, name=name, max_bytes=max_bytes) as table:
            sheet.positions, problems = column_positions(
                table.header, aliases=aliases, required=required, one_of=one_of
            )
            if problems:
                sheet.file_errors.extend(problems)
                return sheet
            for number, cells in table.rows:
                sheet.rows.append((number, cells))
                if len(sheet.rows) > max_rows:
                    sheet.file_errors.append(
                        _("The file has more than %(max)d rows; split it.") % {"max": max_rows}
                    )
                    return sheet
    except ImportFileError as error:
        sheet.file_errors.append(error.message)
        return sheet
    if not sheet.rows:
        sheet.file_errors.append(
            _("The file has a header but no rows of %(what)s.") % {"what": what}
        )
    return sheet
