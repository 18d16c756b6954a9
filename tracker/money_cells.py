"""The amounts of one file row and their one currency. Pure: cells in, money out.

A quota or target row has one currency for its amounts: the row's currency
column if the file has one, else the code or symbol written in its amount
cells (as the CRM import reads them), else the program's reporting currency.
A bare number in a row whose other cell says '€' is in euros; two cells in
different currencies are refused rather than one of them being guessed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text, is_blank
from accounts.money import parse_currency_code, parse_money, split_currency

CURRENCY_COLUMN = "currency"
CURRENCY_ALIASES = ("currency", "currency code", "ccy", "iso currency")


@dataclass
class RowMoney:
    currency: str = ""
    amounts: dict[str, Decimal] = field(default_factory=dict)
    # column -> message
    errors: dict[str, str] = field(default_factory=dict)
    # The column the currency was read from, to report a missing rate against.
    currency_column: str = ""


def row_money(
    *,
    cells: Mapping[str, Any],
    currency_cell: Any,
    reporting_currency: str,
    marks: Mapping[str, str | None],
) -> RowMoney:
    """Each amount cell (column -> cell) read as a non-negative amount in the row's currency."""
    found = RowMoney()
    row_currency = ""
    if not is_blank(currency_cell):
        try:
            row_currency = parse_currency_code(currency_cell)
            found.currency_column = CURRENCY_COLUMN
        except ParseError as error:
            found.errors[CURRENCY_COLUMN] = error.message
            return found
    if not row_currency:
        row_currency, found.currency_column = _marked_currency(
            cells, reporting_currency=reporting_currency, marks=marks, errors=found.errors
        )
        if found.errors:
            return found
    for column, value in cells.items():
        if is_blank(value):
            found.errors[column] = _("Enter an amount (0 for none).")
            continue
        try:
            money = parse_money(
                value,
                default_currency=row_currency or reporting_currency,
                decimal_mark=marks.get(column),
                currency=row_currency,
            )
        except ParseError as error:
            found.errors[column] = error.message
            continue
        if money.amount < 0:
            found.errors[column] = _("'%(value)s' is negative; it must be zero or more.") % {
                "value": as_text(value)
            }
            continue
        found.amounts[column] = money.amount
        found.currency = money.currency
    found.currency = row_currency or found.currency or reporting_currency
    found.currency_column = found.currency_column or next(iter(cells), "")
    return found


def _marked_currency(
    cells: Mapping[str, Any],
    *,
    reporting_currency: str,
    marks: Mapping[str, str | None],
    errors: dict[str, str],
) -> tuple[str, str]:
    """The currency the row's marked cells agree on ('', '' when none is marked)."""
    seen: dict[str, str] = {}
    for column, value in cells.items():
        if not isinstance(value, str) or not split_currency(as_text(value))[1]:
            continue
        try:
            money = parse_money(
                value, default_currency=reporting_currency, decimal_mark=marks.get(column)
            )
        except ParseError as error:
            errors[column] = error.message
            continue
        seen.setdefault(money.currency, column)
    if len(seen) > 1:
        columns = list(seen.values())
        errors[columns[-1]] = _(
            "The row's amounts are in %(currencies)s; a row has one currency."
        ) % {"currencies": ", ".join(seen)}
        return "", ""
    if seen:
        currency, column = next(iter(seen.items()))
        return currency, column
    return "", ""
