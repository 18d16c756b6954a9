"""Reading an exchange-rate file: currency, month, rate. Pure.

One row per currency and month: how many units of the program's reporting
currency one unit of the currency was worth. Every problem is named by file,
row and column, so that a file is fixed in one go.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text, is_blank
from accounts.money import parse_currency_code
from tracker.setup_csv import FileProblems, RowError, read_sheet
from tracker.target_csv import parse_month

ALIASES: dict[str, tuple[str, ...]] = {
    "currency": ("currency", "currency code", "iso code", "code", "ccy"),
    "month": ("month", "period"),
    "rate": ("rate", "exchange rate", "rate to reporting currency", "fx rate"),
}
# ExchangeRate.rate: 20 digits, 10 of them decimals.
MAX_RATE = Decimal(10) ** 10
RATE_PLACES = Decimal("1e-10")


@dataclass(frozen=True)
class RateLine:
    row: int
    currency: str
    month: dt.date
    rate: Decimal


@dataclass
class RateFile(FileProblems[RowError]):
    name: str
    lines: list[RateLine] = field(default_factory=list)


def parse_rate(value: Any) -> Decimal:
    """A positive rate such as 1.0850 or '1,085' (a decimal comma)."""
    if isinstance(value, bool):
        raise ParseError(_("'%(value)s' is not a rate.") % {"value": as_text(value)})
    text = as_text(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        rate = Decimal(repr(value)) if isinstance(value, float) else Decimal(text)
    except InvalidOperation:
        raise ParseError(_("'%(value)s' is not a rate.") % {"value": as_text(value)}) from None
    if not rate.is_finite() or rate <= 0:
        raise ParseError(_("'%(value)s' is not a rate above zero.") % {"value": as_text(value)})
    if rate >= MAX_RATE or rate.quantize(RATE_PLACES) != rate:
        raise ParseError(
            _("'%(value)s' has too many digits (at most 10 before and 10 after the point).")
            % {"value": as_text(value)}
        )
    return rate


def read_rate_file(*, data: BinaryIO, name: str, reporting_currency: str) -> RateFile:
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=ALIASES,
        required=("currency", "month", "rate"),
        what=_("exchange rates"),
    )
    result = RateFile(name=name, errors=sheet.errors, file_errors=sheet.file_errors)
    if not sheet.ok:
        return result
    seen: dict[tuple[str, dt.date], int] = {}
    for number, cells in sheet.rows:
        values = _parse_row(sheet, number, cells, reporting_currency)
        if values is None:
            continue
        currency, month, rate = values
        first = seen.setdefault((currency, month), number)
        if first != number:
            sheet.fail(
                number,
                "month",
                _("Row %(first)d already gives the %(currency)s rate for %(month)s.")
                % {"first": first, "currency": currency, "month": f"{month:%Y-%m}"},
            )
            continue
        result.lines.append(RateLine(number, currency, month, rate))
    return result


def _parse_row(
    sheet, number: int, cells: list[Any], reporting_currency: str
) -> tuple[str, dt.date, Decimal] | None:
    parsed: dict[str, Any] = {}
    readers = {"currency": parse_currency_code, "month": parse_month, "rate": parse_rate}
    for column, read in readers.items():
        value = sheet.cell(cells, column)
        if is_blank(value):
            sheet.fail(number, column, _("A value is required."))
            continue
        try:
            parsed[column] = read(value)
        except ParseError as error:
            sheet.fail(number, column, error.message)
    if parsed.get("currency") == reporting_currency:
        sheet.fail(
            number,
            "currency",
            _("%(currency)s is the reporting currency; it needs no rate.")
            % {"currency": reporting_currency},
        )
        return None
    if len(parsed) < len(readers):
        return None
    return parsed["currency"], parsed["month"], parsed["rate"]
