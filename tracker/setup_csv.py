"""Reading the small files of the program's setup (targets, teams, reps). Pure.

Each file has a header naming its columns (in any order, with common
spellings accepted) and one row per record. Problems are reported by file,
row and column, all of them at once, so that a file is fixed in one go.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.reading import ImportFileError, open_table
from core.spreadsheet import neutralise

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


def errors_csv(errors: list[RowError]) -> str:
    """The problems as a spreadsheet; the file's own words can never run as formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "row", "column", "problem"])
    for error in errors:
        writer.writerow(
            [
                neutralise(error.file),
                error.row,
                neutralise(error.column),
                neutralise(error.message),
            ]
        )
    return buffer.getvalue()


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

    def has(self, column: str) -> bool:
        return column in self.positions

    def cell(self, cells: list[Any], column: str) -> Any:
        position = self.positions.get(column)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(self.name, row, column, message))


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

    Blank rows are left out; a file over `max_bytes` or `max_rows` is refused whole."""
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
                if all(cell is None or str(cell).strip() == "" for cell in cells):
                    continue
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
