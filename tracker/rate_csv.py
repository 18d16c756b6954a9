"""Reading an exchange-rate file: currency, month, rate. Pure.

One row per currency and month: how many units of the program's reporting
currency one unit of the currency was worth. Every problem is named by file,
row and column, so that a file is fixed in one go.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text
from accounts.money import parse_currency_code
from tracker.setup_csv import Row, SetupFile, read_sheet, setup_file
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


def read_rate_file(*, data: BinaryIO, name: str, reporting_currency: str) -> SetupFile[RateLine]:
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=ALIASES,
        required=("currency", "month", "rate"),
        what=_("exchange rates"),
    )
    return setup_file(sheet, lambda row: _parse_row(row, reporting_currency))


def _parse_row(row: Row, reporting_currency: str) -> RateLine | None:
    required = _("A value is required.")
    currency = row.parse("currency", parse_currency_code, required=required)
    month = row.parse("month", parse_month, required=required)
    rate = row.parse("rate", parse_rate, required=required)
    if currency == reporting_currency:
        row.fail(
            "currency",
            _("%(currency)s is the reporting currency; it needs no rate.")
            % {"currency": reporting_currency},
        )
    if row.failed or currency is None or month is None or rate is None:
        return None
    again = _("Row %(first)d already gives the %(currency)s rate for %(month)s.")
    if row.repeats((currency, month), "month", again, currency=currency, month=f"{month:%Y-%m}"):
        return None
    return RateLine(row.number, currency, month, rate)
