"""Reading a quota file: columns rep, period, core, cross_sell and, optionally, currency.
Pure: bytes in, rows out.

The file readers and cell parsers of accounts.imports do the hard parts (byte
order marks, Windows code pages, delimiters, decimal commas); this module maps
the columns, parses each cell and reports every problem by row and column, so
that a file is fixed in one go rather than one error at a time.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import infer_decimal_mark
from core.spreadsheet import neutralise
from tracker.money_cells import CURRENCY_ALIASES, CURRENCY_COLUMN, row_money
from tracker.quota_math import FilePeriods, Period, period_of_cell
from tracker.setup_csv import FileProblems, Sheet, read_sheet

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
COLUMNS = ("rep", "period", "core", "cross_sell")
# Header spellings people use for each column, compared without case, spaces or dashes.
ALIASES: dict[str, tuple[str, ...]] = {
    "rep": ("rep", "username", "user", "email", "e-mail", "rep email", "rep username"),
    "period": ("period", "month", "quarter"),
    "core": ("core", "core quota", "core amount", "core_amount"),
    "cross_sell": (
        "cross_sell",
        "cross-sell",
        "cross sell",
        "cross-sell quota",
        "cross sell quota",
        "cross_sell_amount",
    ),
    CURRENCY_COLUMN: CURRENCY_ALIASES,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class QuotaLine:
    row: int
    rep_id: int
    period: Period
    # As entered, in `currency`.
    core: Decimal
    cross_sell: Decimal
    currency: str = ""
    # Where the currency was read, to report a missing exchange rate against.
    currency_column: str = "core"


@dataclass
class QuotaFile(FileProblems[RowError]):
    lines: list[QuotaLine] = field(default_factory=list)


def read_quota_file(
    *, data: BinaryIO, name: str, reps: Mapping[str, list[int]], currency: str = ""
) -> QuotaFile:
    """Parses every row; `reps` maps a lower-cased username or e-mail to rep ids.

    A row's amounts are in its currency column, or the currency written in its
    cells, or else `currency` (the program's reporting currency)."""
    result = QuotaFile()
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=ALIASES,
        required=COLUMNS,
        what=_("quotas"),
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
    )
    if not sheet.ok:
        result.file_errors.extend(sheet.file_errors)
        return result
    _parse_rows(result, sheet, reps, currency)
    return result


def _parse_rows(
    result: QuotaFile, sheet: Sheet, reps: Mapping[str, list[int]], currency: str = ""
) -> None:
    marks = {
        column: infer_decimal_mark(sheet.cell(cells, column) for _n, cells in sheet.rows)
        for column in ("core", "cross_sell")
    }
    periods = FilePeriods()
    again = _("Row %(first)d already sets this rep's quota for %(period)s.")
    overlap = _("%(period)s overlaps the period of row %(row)d for the same rep.")
    for number, cells in sheet.rows:
        line = _parse_row(result, sheet, number, cells, reps, marks, currency)
        if line is None:
            continue
        problem = periods.problem(line.rep_id, number, line.period, again=again, overlap=overlap)
        if problem:
            result.errors.append(RowError(number, "period", problem))
        else:
            result.lines.append(line)


def _parse_row(
    result: QuotaFile,
    sheet: Sheet,
    number: int,
    cells: list,
    reps: Mapping[str, list[int]],
    marks: dict[str, str | None],
    currency: str = "",
) -> QuotaLine | None:
    errors_before = len(result.errors)

    def fail(column: str, message: str) -> None:
        result.errors.append(RowError(number, column, message))

    rep_id = _rep(sheet.cell(cells, "rep"), reps, fail)
    period = period_of_cell(sheet.cell(cells, "period"), fail)
    money = row_money(
        cells={column: sheet.cell(cells, column) for column in ("core", "cross_sell")},
        currency_cell=sheet.cell(cells, CURRENCY_COLUMN),
        reporting_currency=currency,
        marks=marks,
    )
    for column, message in money.errors.items():
        fail(column, message)
    if len(result.errors) > errors_before or rep_id is None or period is None:
        return None
    amounts = money.amounts
    return QuotaLine(
        number,
        rep_id,
        period,
        amounts["core"],
        amounts["cross_sell"],
        money.currency,
        money.currency_column,
    )


def _rep(value: object, reps: Mapping[str, list[int]], fail) -> int | None:
    text = "" if value is None else str(value).strip()
    if not text:
        fail("rep", _("Name the rep by username or e-mail."))
        return None
    found = reps.get(text.lower(), [])
    if not found:
        fail("rep", _("No rep '%(rep)s' in this program.") % {"rep": text[:80]})
        return None
    if len(found) > 1:
        fail("rep", _("'%(rep)s' names several reps; use the username.") % {"rep": text[:80]})
        return None
    return found[0]


def template_csv(rows: list[tuple[str, str, Decimal, Decimal]]) -> str:
    """A file to fill in: the header and one line per rep; cells cannot start a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for rep, period, core, cross in rows:
        writer.writerow([neutralise(rep), period, core, cross])
    return buffer.getvalue()


def errors_csv(errors: list[RowError]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "problem"])
    for error in errors:
        writer.writerow([error.row, neutralise(error.column), neutralise(error.message)])
    return buffer.getvalue()
