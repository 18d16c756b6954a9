"""Amounts, counts and percentages, as Decimal (never float).

The decimal mark is settled per column with `infer_decimal_mark`.
"""

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.parsing.text import ParseError, as_text, shortened

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 14  # MoneyField: 16 digits, 2 of them decimals
MAX_SMALL_INTEGER = 32767
MAX_INTEGER = 2147483647


_CURRENCY = re.compile(r"[€$£¥₽₹₩₺₴₪¢]|^[A-Z]{3}\s*|\s*[A-Z]{3}$|^(?:US|CA|AU|NZ|HK)\$")
_GROUPING_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'’")
_NUMBER = re.compile(r"^\d[\d.,]*$|^[.,]\d+$")
_PLAIN_DOT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PLAIN_COMMA = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")


def infer_decimal_mark(values: Iterable[Any]) -> str | None:
    """',' or '.' when some value in the column shows which one marks decimals."""
    marks: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        text = value.translate(_GROUPING_SPACES)
        last_comma, last_dot = text.rfind(","), text.rfind(".")
        if last_comma >= 0 and last_dot >= 0:
            marks.add("," if last_comma > last_dot else ".")
        elif last_comma >= 0 and text.count(",") == 1 and _digits_after(text, last_comma) != 3:
            marks.add(",")
        elif last_dot >= 0 and text.count(".") == 1 and _digits_after(text, last_dot) != 3:
            marks.add(".")
    return marks.pop() if len(marks) == 1 else None


def _digits_after(text: str, index: int) -> int:
    return len(re.match(r"\d*", text[index + 1 :]).group())


def parse_amount(value: Any, *, decimal_mark: str | None = None) -> Decimal:
    """A signed amount in cents precision: '1.234,56', '€1,234', '(1,234.00)' and Excel numbers."""
    if isinstance(value, bool):
        raise _not_amount(value)
    if isinstance(value, int | Decimal):
        return _bounded(Decimal(value), value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _not_amount(value)
        return _bounded(Decimal(repr(value)), value)
    text = as_text(value).strip()
    plain = _PLAIN_DOT if decimal_mark != "," else _PLAIN_COMMA
    if plain.match(text):  # the common case, without the general rules below
        thousands = "," if decimal_mark != "," else "."
        return _bounded(Decimal(text.replace(thousands, "").replace(",", ".")), text)
    negative = text.startswith("(") and text.endswith(")")
    body = text[1:-1] if negative else text
    body = _CURRENCY.sub("", body.strip()).strip().replace("\u2212", "-")
    if body.startswith(("-", "+")):
        negative, body = negative or body[0] == "-", body[1:]
    elif body.endswith("-"):
        negative, body = True, body[:-1]
    body = _CURRENCY.sub("", body.strip()).translate(_GROUPING_SPACES)
    if not _NUMBER.match(body):
        raise _not_amount(text)
    number = _plain_number(body, decimal_mark)
    if number is None:
        raise _not_amount(text)
    return _bounded(-number if negative else number, text)


def _plain_number(body: str, decimal_mark: str | None) -> Decimal | None:
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
    elif commas + dots == 0:
        decimal = "."
    else:
        mark = "," if commas else "."
        if commas + dots > 1:
            decimal = "," if mark == "." else "."  # repeated: it groups thousands
        elif decimal_mark is not None:
            decimal = decimal_mark
        else:
            # '1,234' is a thousand in most exports; '1.234' a decimal (programmatic).
            decimal = "." if mark == "," and _digits_after(body, body.find(",")) == 3 else mark
    thousands = "," if decimal == "." else "."
    whole, _sep, fraction = body.partition(decimal)
    if decimal in fraction or thousands in fraction:
        return None
    if thousands in whole and not _grouped(whole.split(thousands)):
        return None
    try:
        return Decimal(f"{whole.replace(thousands, '') or '0'}.{fraction or '0'}")
    except InvalidOperation:
        return None


def _grouped(parts: list[str]) -> bool:
    return 1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])


def _bounded(number: Decimal, original: Any) -> Decimal:
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(number) >= MAX_AMOUNT:
        raise ParseError(_("'%(value)s' is too large.") % {"value": as_text(original)})
    return number


def _not_amount(value: Any) -> ParseError:
    return ParseError(_("'%(value)s' is not an amount.") % {"value": shortened(as_text(value))})


def parse_non_negative(value: Any, *, decimal_mark: str | None = None) -> Decimal:
    number = parse_amount(value, decimal_mark=decimal_mark)
    if number < 0:
        raise ParseError(
            _("'%(value)s' is negative; it must be zero or more.") % {"value": as_text(value)}
        )
    return number


def parse_integer(
    value: Any, *, decimal_mark: str | None = None, maximum: int = MAX_INTEGER
) -> int:
    """A count such as employees: '1,200', '1 200' and Excel's 1200.0 all read as 1200."""
    try:
        number = parse_amount(value, decimal_mark=decimal_mark)
    except ParseError:
        raise _not_whole(value) from None
    if number != number.to_integral_value() or number < 0:
        raise _not_whole(value)
    if number > maximum:
        raise ParseError(
            _("'%(value)s' is larger than %(max)d.") % {"value": as_text(value), "max": maximum}
        )
    return int(number)


def _not_whole(value: Any) -> ParseError:
    return ParseError(
        _("'%(value)s' is not a whole number of zero or more.")
        % {"value": shortened(as_text(value))}
    )


def parse_percent(value: Any, *, decimal_mark: str | None = None) -> Decimal:
    text = as_text(value).strip().removesuffix("%").strip() if isinstance(value, str) else value
    try:
        number = parse_amount(text, decimal_mark=decimal_mark)
    except ParseError:
        raise ParseError(
            _("'%(value)s' is not a percentage.") % {"value": as_text(value)}
        ) from None
    if not 0 <= number <= 100:
        raise ParseError(_("'%(value)s' is not between 0 and 100.") % {"value": as_text(value)})
    return number
