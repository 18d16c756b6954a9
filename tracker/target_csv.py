"""Reading a synergy-target file: month, segment, revenue synergy, cross-sell. Pure.

One row per month and scope: a segment by name, or the whole program when the
segment is empty (or says "program"). The deal model usually gives both the
revenue-synergy and the cross-sell target; a file may carry only one of the
two columns, and then the other target stays as it is.
"""

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text
from core.spreadsheet import neutralise
from tracker.money_cells import CURRENCY_ALIASES, CURRENCY_COLUMN, row_money
from tracker.quota_math import MONTH, PeriodError, parse_period
from tracker.setup_csv import FileProblems, RowError, read_sheet

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


@dataclass
class TargetFile(FileProblems[RowError]):
    name: str
    lines: list[TargetLine] = field(default_factory=list)


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


def read_target_file(
    *,
    data: BinaryIO,
    name: str,
    segments: Mapping[str, int],
    first_month: dt.date,
    last_month: dt.date,
    currency: str = "",
) -> TargetFile:
    """Every row parsed; `segments` maps a lower-cased segment name to its id.

    A row's amounts are in its currency column, or the currency written in its
    cells, or else `currency` (the program's reporting currency)."""
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=ALIASES,
        required=("month",),
        one_of=MEASURES,
        what=_("targets"),
    )
    result = TargetFile(name=name, errors=sheet.errors, file_errors=sheet.file_errors)
    if not sheet.ok:
        return result
    seen: dict[tuple[dt.date, int | None], int] = {}
    for number, cells in sheet.rows:
        errors_before = len(result.errors)
        month = None
        try:
            month = parse_month(sheet.cell(cells, "month"))
        except ParseError as error:
            sheet.fail(number, "month", error.message)
        if month is not None and not first_month <= month <= last_month:
            sheet.fail(
                number,
                "month",
                _("%(month)s is outside the program, %(first)s to %(last)s.")
                % {
                    "month": f"{month:%Y-%m}",
                    "first": f"{first_month:%Y-%m}",
                    "last": f"{last_month:%Y-%m}",
                },
            )
        segment_text = as_text(sheet.cell(cells, "segment")).strip()
        segment_id = None
        if segment_text.lower() not in PROGRAM_WORDS:
            segment_id = segments.get(segment_text.lower())
            if segment_id is None:
                sheet.fail(
                    number,
                    "segment",
                    _("No segment '%(segment)s' in this program (leave it empty for the program).")
                    % {"segment": segment_text[:80]},
                )
        money = row_money(
            cells={m: sheet.cell(cells, m) for m in MEASURES if sheet.has(m)},
            currency_cell=sheet.cell(cells, CURRENCY_COLUMN),
            reporting_currency=currency,
            marks={},
        )
        for column, message in money.errors.items():
            sheet.fail(number, column, message)
        amounts: dict[str, Decimal | None] = {m: money.amounts.get(m) for m in MEASURES}
        if len(result.errors) > errors_before or month is None:
            continue
        first = seen.setdefault((month, segment_id), number)
        if first != number:
            sheet.fail(
                number,
                "month",
                _("Row %(first)d already gives this target for %(month)s.")
                % {"first": first, "month": f"{month:%Y-%m}"},
            )
            continue
        result.lines.append(
            TargetLine(
                number,
                month,
                segment_id,
                amounts["revenue_synergy"],
                amounts["cross_sell"],
                money.currency,
                money.currency_column,
            )
        )
    return result


def template_csv(rows: list[tuple[str, str, Decimal, Decimal]]) -> str:
    """A file to fill in: the header and a line per month and scope."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["month", "segment", *MEASURES])
    for month, segment, revenue, cross in rows:
        writer.writerow([month, neutralise(segment), revenue, cross])
    return buffer.getvalue()
