"""Reading a synergy-target file: month, segment, revenue synergy, cross-sell. Pure.

One row per month and scope: a segment by name, or the whole program when the
segment is empty (or says "program"). The deal model usually gives both the
revenue-synergy and the cross-sell target; a file may carry only one of the
two columns, and then the other target stays as it is.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text
from tracker.money_cells import CURRENCY_ALIASES, CURRENCY_COLUMN, row_money
from tracker.quota_math import MONTH, PeriodError, parse_period
from tracker.setup_csv import Row, SetupFile, csv_text, read_sheet, setup_file

MEASURES = ("revenue_synergy", "cross_sell")
ALIASES: dict[str, tuple[str, ...]] = {
    "month": ("month", "period", "target month"),
    "segment": ("segment", "scope", "segment name"),
    "revenue_synergy": (
        "revenue_synergy",
        "revenue synergy",
        "revenue synergy target",
        "synergy target",
        "synergy",
    ),
    "cross_sell": ("cross_sell", "cross-sell", "cross sell target", "cross-sell target"),
    CURRENCY_COLUMN: CURRENCY_ALIASES,
}
# What a file may write instead of a segment's name for the whole program.
PROGRAM_WORDS = frozenset({"", "program", "all", "whole program", "program-wide", "total", "-"})


@dataclass(frozen=True)
class TargetLine:
    row: int
    month: dt.date
    segment_id: int | None
    # None: the file has no such column, the target stays as it is.
    revenue_synergy: Decimal | None
    cross_sell: Decimal | None
    # The amounts' currency, and where it was read to report a missing rate against.
    currency: str = ""
    currency_column: str = ""


def parse_month(value: Any) -> dt.date:
    """'2026-03' or a spreadsheet date in the month; a quarter is refused (targets are monthly)."""
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = as_text(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        text = text[:7]  # 2026-03-01 names March too
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise ParseError(error.message) from None
    if period.kind != MONTH:
        raise ParseError(_("Give one row per month (e.g. 2026-03), not a quarter."))
    return period.start


def outside_program(month: dt.date, first: dt.date, last: dt.date) -> str:
    """What is wrong with a target for `month`, outside the program's `first` to `last`."""
    return _("%(month)s is outside the program, %(first)s to %(last)s.") % {
        "month": f"{month:%Y-%m}",
        "first": f"{first:%Y-%m}",
        "last": f"{last:%Y-%m}",
    }


def read_target_file(
    *,
    data: BinaryIO,
    name: str,
    segments: Mapping[str, int],
    first_month: dt.date,
    last_month: dt.date,
    currency: str = "",
) -> SetupFile[TargetLine]:
    """Every row parsed; `segments` maps a lower-cased segment name to its id. A row's amounts
    are in the currency tracker.money_cells finds, or else `currency` (the reporting one)."""
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=ALIASES,
        required=("month",),
        one_of=MEASURES,
        what=_("targets"),
    )
    measures = [m for m in MEASURES if sheet.has(m)]

    def line_of(row: Row) -> TargetLine | None:
        month = row.parse("month", parse_month)
        if month is not None and not first_month <= month <= last_month:
            row.fail("month", outside_program(month, first_month, last_month))
        segment_id = _segment(row, segments)
        money = row_money(
            cells={m: row.cell(m) for m in measures},
            currency_cell=row.cell(CURRENCY_COLUMN),
            reporting_currency=currency,
            marks={},
        )
        for column, message in money.errors.items():
            row.fail(column, message)
        if row.failed or month is None:
            return None
        again = _("Row %(first)d already gives this target for %(month)s.")
        if row.repeats((month, segment_id), "month", again, month=f"{month:%Y-%m}"):
            return None
        amounts = [money.amounts.get(m) for m in MEASURES]
        return TargetLine(
            row.number, month, segment_id, *amounts, money.currency, money.currency_column
        )

    return setup_file(sheet, line_of)


def _segment(row: Row, segments: Mapping[str, int]) -> int | None:
    """The row's segment, or None for the whole program."""
    text = row.text("segment")
    if text.lower() in PROGRAM_WORDS:
        return None
    segment_id = segments.get(text.lower())
    if segment_id is None:
        row.fail(
            "segment",
            _("No segment '%(segment)s' in this program (leave it empty for the program).")
            % {"segment": text[:80]},
        )
    return segment_id


def template_csv(rows: list[tuple[str, str, Decimal, Decimal]]) -> str:
    """A file to fill in: the header and a line per month and scope."""
    return csv_text(["month", "segment", *MEASURES], rows)
