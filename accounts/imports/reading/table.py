"""What every reader hands back: the header and numbered rows, and the errors of a whole file."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Title lines above the header (report name, filters) have fewer cells than this.
MIN_HEADER_CELLS = 2
HEADER_SEARCH_ROWS = 30
# CRM exports have a few hundred columns at most; a wider header is a wrong or hostile file.
MAX_COLUMNS = 1000
MAX_COLUMN_NAME = 255


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


def non_blank_rows(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    for number, row in rows:
        if not is_blank_row(row):
            yield number, row


def is_blank_row(row: list[Cell]) -> bool:
    try:
        return not "".join(row).strip()  # CSV rows: all text
    except TypeError:
        return not any(filled(cell) for cell in row)


def filled(cell: Cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def find_header(rows: Iterator[NumberedRow]) -> list[str]:
    for number, row in rows:
        if sum(filled(cell) for cell in row) >= MIN_HEADER_CELLS:
            return _header_names(row)
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
    while width and not filled(row[width - 1]):
        width -= 1
    check_width(width, row=None)
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


def check_width(width: int, *, row: int | None) -> None:
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
