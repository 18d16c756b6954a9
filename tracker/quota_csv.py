"""Reading a quota file: columns rep, period, core, cross_sell and, optionally, currency.
Pure: bytes in, rows out.

The file readers and cell parsers of accounts.imports do the hard parts (byte
order marks, Windows code pages, delimiters, decimal commas); this module maps
the columns, parses each cell and reports every problem by row and column, so
that a file is fixed in one go rather than one error at a time.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import infer_decimal_mark
from tracker.money_cells import CURRENCY_ALIASES, CURRENCY_COLUMN, row_money
from tracker.quota_math import Period
from tracker.setup_csv import (
    FilePeriods,
    FileProblems,
    Row,
    csv_text,
    period_cell,
    read_sheet,
    setup_file,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
COLUMNS = ("rep", "period", "core", "cross_sell")
AMOUNTS = ("core", "cross_sell")
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
    """Parses every row; `reps` maps a lower-cased username or e-mail to rep ids. A row's amounts
    are in the currency tracker.money_cells finds, or else `currency` (the reporting one)."""
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=ALIASES,
        required=COLUMNS,
        what=_("quotas"),
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
    )
    marks = {column: infer_decimal_mark(sheet.column(column)) for column in AMOUNTS}
    periods = FilePeriods(
        again=_("Row %(first)d already sets this rep's quota for %(period)s."),
        overlap=_("%(period)s overlaps the period of row %(row)d for the same rep."),
    )
    read = setup_file(sheet, lambda row: _parse_row(row, reps, marks, currency, periods))
    errors = [RowError(error.row, error.column, error.message) for error in read.errors]
    return QuotaFile(errors=errors, file_errors=read.file_errors, lines=read.lines)


def _parse_row(
    row: Row,
    reps: Mapping[str, list[int]],
    marks: dict[str, str | None],
    currency: str,
    periods: FilePeriods,
) -> QuotaLine | None:
    rep_id = _rep(row, reps)
    period = row.parse("period", period_cell)
    money = row_money(
        cells={column: row.cell(column) for column in AMOUNTS},
        currency_cell=row.cell(CURRENCY_COLUMN),
        reporting_currency=currency,
        marks=marks,
    )
    for column, message in money.errors.items():
        row.fail(column, message)
    if row.failed or rep_id is None or period is None:
        return None
    if not periods.take(row, rep_id, period):
        return None
    amounts = money.amounts
    return QuotaLine(
        row.number,
        rep_id,
        period,
        amounts["core"],
        amounts["cross_sell"],
        money.currency,
        money.currency_column,
    )


def _rep(row: Row, reps: Mapping[str, list[int]]) -> int | None:
    value = row.cell("rep")
    text = "" if value is None else str(value).strip()
    if not text:
        row.fail("rep", _("Name the rep by username or e-mail."))
        return None
    found = reps.get(text.lower(), [])
    if not found:
        row.fail("rep", _("No rep '%(rep)s' in this program.") % {"rep": text[:80]})
        return None
    if len(found) > 1:
        row.fail("rep", _("'%(rep)s' names several reps; use the username.") % {"rep": text[:80]})
        return None
    return found[0]


def template_csv(rows: list[tuple[str, str, Decimal, Decimal]]) -> str:
    """A file to fill in: the header and one line per rep; cells cannot start a formula."""
    return csv_text(COLUMNS, rows)


def errors_csv(errors: list[RowError]) -> str:
    rows = [(error.row, error.column, error.message) for error in errors]
    return csv_text(["row", "column", "problem"], rows)
