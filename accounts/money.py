"""Amounts with their currency, and their conversion to the reporting currency.

Pure. Currency codes, symbols and names come from Babel's copy of the Unicode
CLDR data, so that a new or renamed currency arrives with a library update
rather than an edit here. Django's DecimalField stays the storage: an amount is
kept as it was entered (original amount + ISO code) and, beside it, in the
program's reporting currency, which is what every figure sums.

A rate says how many units of the reporting currency one unit of the currency
is worth in a month. An amount is converted at the rate of its month (a won or
lost deal at its close month, anything else at the current month). Without a
rate the conversion does not happen: the caller gets a `MissingRate` and
decides whether the record waits or is refused; it is never converted at
another month's rate or at 1.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import list_currencies
from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text, parse_amount

CENT = Decimal("0.01")
UNIT = Decimal("1")
# The locales whose currency symbols a CRM export is likely to carry.
_SYMBOL_LOCALES = (
    "en",
    "en_US",
    "en_GB",
    "en_CA",
    "en_AU",
    "en_IN",
    "de",
    "fr",
    "it",
    "es",
    "ru",
    "zh",
    "zh_Hans_CN",
    "ja",
    "ko",
    "pt_BR",
    "pl",
    "tr",
    "uk",
)
# Spellings CLDR does not list as symbols but exports use.
_ALIASES: dict[str, frozenset[str]] = {
    "RMB": frozenset({"CNY"}),
    "РУБ": frozenset({"RUB"}),
    "РУБ.": frozenset({"RUB"}),
    "Р.": frozenset({"RUB"}),
    "₽": frozenset({"RUB"}),
    "円": frozenset({"JPY"}),
    "€": frozenset({"EUR"}),
    # Chinese and Japanese exports both write the full-width yen sign.
    "￥": frozenset({"CNY", "JPY"}),
    "¥": frozenset({"CNY", "JPY"}),
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"}),
}
_TOKEN = (
    r"(?:[A-Za-z]{3}|[A-Za-z]{1,3}\s?[^\w\s.,()+\-\u2212]|[^\w\s.,()+\-\u2212'’]"
    r"|руб\.?|р\.|元|円)"
)
_LEADING = re.compile(rf"^\s*(?P<token>{_TOKEN})\s*(?P<number>.*?)\s*$", re.IGNORECASE)
_TRAILING = re.compile(rf"^\s*(?P<number>.*?)\s*(?P<token>{_TOKEN})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Money:
    """An amount as entered: the number and the ISO 4217 code of its currency."""

    amount: Decimal
    currency: str
    # When the cell's symbol could mean several currencies and the import's
    # default currency decided: those currencies, to be reported.
    ambiguous: tuple[str, ...] = ()


@dataclass(frozen=True)
class MissingRate:
    currency: str
    month: dt.date

    def __str__(self) -> str:
        return _("No exchange rate for %(currency)s in %(month)s.") % {
            "currency": self.currency,
            "month": self.month.strftime("%Y-%m"),
        }


type Rates = Mapping[tuple[str, dt.date], Decimal]


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 codes in use today."""
    return frozenset(list_currencies())


def is_currency_code(code: str) -> bool:
    return code in currency_codes()


@cache
def _symbols() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    codes = currency_codes()
    for name in _SYMBOL_LOCALES:
        for code, symbol in Locale.parse(name).currency_symbols.items():
            if code in codes and symbol != code:
                found.setdefault(symbol.upper(), set()).add(code)
    merged = {symbol: frozenset(codes) for symbol, codes in found.items()}
    merged.update(_ALIASES)
    return merged


def currencies_of(token: str) -> frozenset[str]:
    """The currencies a code, symbol or alias can mean; empty when it means none."""
    text = token.strip().upper()
    if is_currency_code(text):
        return frozenset({text})
    return _symbols().get(text, frozenset())


def resolve_currency(token: str, *, default: str) -> tuple[str, tuple[str, ...]]:
    """The ISO code a cell's currency mark stands for, and the candidates if it was ambiguous.

    An ambiguous symbol ('$', '¥') is read as the import's default currency when
    that is one of its meanings; otherwise the cell cannot be read.
    """
    candidates = currencies_of(token)
    if not candidates:
        raise ParseError(
            _("'%(value)s' is not a known currency code or symbol.") % {"value": token.strip()}
        )
    if len(candidates) == 1:
        return next(iter(candidates)), ()
    if default in candidates:
        return default, tuple(sorted(candidates))
    raise ParseError(
        _(
            "'%(value)s' could be %(currencies)s; write the ISO code (such as %(example)s) "
            "or declare the file's default currency."
        )
        % {
            "value": token.strip(),
            "currencies": ", ".join(sorted(candidates)),
            "example": sorted(candidates)[0],
        }
    )


def split_currency(text: str) -> tuple[str, str]:
    """('1.234,56', 'EUR') from '1.234,56 EUR'; ('1 000', '') when no mark is there."""
    stripped = text.strip()
    negative = stripped.startswith("(") and stripped.endswith(")")
    body = stripped[1:-1] if negative else stripped
    for pattern in (_LEADING, _TRAILING):
        match = pattern.match(body)
        if match and _looks_numeric(match.group("number")):
            number = match.group("number")
            return (f"({number})" if negative else number), match.group("token")
    return text, ""


def _looks_numeric(text: str) -> bool:
    return bool(text) and bool(re.search(r"\d", text)) and not re.search(r"[A-Za-z]", text)


def parse_money(
    value: Any,
    *,
    default_currency: str,
    decimal_mark: str | None = None,
    currency: str = "",
) -> Money:
    """An amount and its currency from a cell: '€1,234', 'JPY 500000', '1.234,56 EUR', 'RUB 1 000'.

    `currency` is the row's currency column, if the file has one; a mark in the
    cell must then agree with it. Without either, the default currency applies.
    """
    if not isinstance(value, str):
        return Money(parse_amount(value, decimal_mark=decimal_mark), currency or default_currency)
    number, token = split_currency(as_text(value))
    if not token:
        return Money(parse_amount(number, decimal_mark=decimal_mark), currency or default_currency)
    code, ambiguous = resolve_currency(token, default=currency or default_currency)
    if currency and code != currency:
        raise ParseError(
            _("'%(value)s' is in %(cell)s but the row's currency is %(row)s.")
            % {"value": value.strip(), "cell": code, "row": currency}
        )
    return Money(parse_amount(number, decimal_mark=decimal_mark), code, ambiguous)


def parse_currency_code(value: Any) -> str:
    """An ISO 4217 code from a currency column: 'eur', 'EUR', '€', 'RMB'."""
    text = as_text(value).strip()
    candidates = currencies_of(text)
    if len(candidates) == 1:
        return next(iter(candidates))
    if candidates:
        raise ParseError(
            _("'%(value)s' could be %(currencies)s; write the ISO code.")
            % {"value": text, "currencies": ", ".join(sorted(candidates))}
        )
    raise ParseError(
        _("'%(value)s' is not an ISO 4217 currency code such as EUR or USD.") % {"value": text}
    )


# Conversion


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def conversion_month(*, closed_on: dt.date | None, today: dt.date) -> dt.date:
    """A closed deal converts at its close month; anything open at the current month."""
    return month_of(closed_on or today)


def whole(amount: Decimal) -> Decimal:
    """An amount in whole units, half up, as the templates' floatformat shows money.

    A total shown in whole units is this of its exact sum, never the sum of its rounded
    parts: the same total then reads the same on every page, and its parts, each rounded
    on its own, may add up to a unit more or less, as rounding does.
    """
    return amount.quantize(UNIT, rounding=ROUND_HALF_UP)


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def to_reporting(
    *,
    amount: Decimal,
    currency: str,
    month: dt.date,
    reporting_currency: str,
    rates: Rates,
) -> Decimal | MissingRate:
    """The amount in the reporting currency at the month's rate, or the rate that is missing."""
    if currency == reporting_currency:
        return amount
    month = month_of(month)
    rate = rates.get((currency, month))
    if rate is None:
        return MissingRate(currency, month)
    return convert(amount, rate)


def amounts_to_reporting(
    *,
    amounts: Mapping[str, Decimal],
    currency: str,
    month: dt.date,
    reporting_currency: str,
    rates: Rates,
) -> dict[str, Decimal] | MissingRate:
    """Several amounts of one record, entered in one currency, in the reporting currency
    at the month's rate (name -> amount), or the rate that is missing."""
    converted: dict[str, Decimal] = {}
    for name, amount in amounts.items():
        value = to_reporting(
            amount=amount,
            currency=currency,
            month=month,
            reporting_currency=reporting_currency,
            rates=rates,
        )
        if isinstance(value, MissingRate):
            return value
        converted[name] = value
    return converted
