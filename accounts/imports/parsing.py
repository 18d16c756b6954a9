"""Turn the text (or Excel values) of one cell into a typed value, or say why not.

Pure. Amounts become Decimal (never float); ambiguous notations (decimal mark,
day/month order) are settled per column from the data with `infer_*`.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.countries import country_code

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 14  # MoneyField: 16 digits, 2 of them decimals
MAX_SMALL_INTEGER = 32767
MAX_INTEGER = 2147483647
EXCEL_EPOCH = dt.date(1899, 12, 30)


class ParseError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


# Text


def parse_text(value: Any, *, max_length: int = 0) -> str:
    """One line of text: line breaks inside a cell become spaces; letters stay as they are."""
    text = unicodedata.normalize("NFC", " ".join(as_text(value).split()))
    if max_length and len(text) > max_length:
        raise ParseError(
            _("'%(value)s' is longer than %(max)d characters.")
            % {"value": _short(text), "max": max_length}
        )
    return text


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SF_CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def crm_key(crm_id: str) -> str:
    """The form two spellings of one record id share.

    Salesforce reports give 15-character ids and Data Loader 18-character ones
    (the 15 plus a case checksum); both must find the same record.
    """
    if len(crm_id) == 18 and crm_id.isalnum() and crm_id[15:] == _salesforce_suffix(crm_id[:15]):
        return crm_id[:15]
    return crm_id


def _salesforce_suffix(base: str) -> str:
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(base[start : start + 5]) if "A" <= ch <= "Z")
        suffix += _SF_CHECKSUM[bits]
    return suffix


def domain_of(website: str) -> str:
    """'https://www.Example.com/about' -> 'example.com'."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", website.strip().lower())
    host = re.split(r"[/?#:\s]", host, maxsplit=1)[0]
    host = host.split("@")[-1].strip(".")
    return host.removeprefix("www.")


# Numbers

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
    return ParseError(_("'%(value)s' is not an amount.") % {"value": _short(as_text(value))})


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
        _("'%(value)s' is not a whole number of zero or more.") % {"value": _short(as_text(value))}
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


# Dates

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|[AaPp][Mm]))?)?$"
)
_NUMERIC = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,]+\d{1,2}:\d{2}"
    r"(?::\d{2})?(?:\s*[AaPp][Mm])?)?$"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[ .-]([A-Za-z]+)\.?[ .,-]+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def infer_day_first(values: Iterable[Any]) -> bool | None:
    """True for day/month, False for month/day, None when the column does not tell."""
    day_first = month_first = False
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC.match(value.strip())
        if not match or match.group(2) == ".":
            continue
        first, second = int(match.group(1)), int(match.group(3))
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
    if day_first == month_first:
        return None
    return day_first


def parse_date(value: Any, *, day_first: bool = True) -> dt.date:
    """ISO, dd.mm.yyyy, d/m/y or m/d/y (as the column says), month names, Excel dates."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = as_text(value).strip()
    try:
        return _parse_date_text(text, day_first)
    except (ValueError, OverflowError):
        pass
    raise ParseError(_date_message(text, day_first))


def _parse_date_text(text: str, day_first: bool) -> dt.date:
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    if match := _NUMERIC.match(text):
        first, separator, second, year = match.groups()
        year = _full_year(year)
        if separator == "." or day_first:
            return dt.date(year, int(second), int(first))
        return dt.date(year, int(first), int(second))
    if match := _DAY_MONTH_NAME.match(text):
        day, month, year = match.groups()
        return dt.date(int(year), _MONTHS[month.lower()], int(day))
    if match := _MONTH_NAME_DAY.match(text):
        month, day, year = match.groups()
        return dt.date(int(year), _MONTHS[month.lower()], int(day))
    raise ValueError(text)


def _full_year(year: str) -> int:
    number = int(year)
    if len(year) == 4:
        return number
    return 2000 + number if number < 70 else 1900 + number


def _excel_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:
        raise ParseError(_("'%(value)s' is not a date.") % {"value": as_text(number)})
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _date_message(text: str, day_first: bool) -> str:
    if _NUMERIC.match(text):
        order = _("day/month/year") if day_first else _("month/day/year")
        return _(
            "'%(value)s' is not a valid date read as %(order)s, like the rest of the column."
        ) % {
            "value": text,
            "order": order,
        }
    return _(
        "'%(value)s' is not a date; use a form such as 2024-03-31, 31.03.2024 or 31/03/2024."
    ) % {"value": _short(text)}


# Flags and choices

_TRUE = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "ja", "oui", "si", "sí", "да", "是"}
_FALSE = {"no", "n", "false", "f", "0", "-", "nein", "non", "нет", "否"}
_NOT_CUSTOMER = (
    "prospect",
    "lead",
    "partner",
    "reseller",
    "former",
    "other",
    "subscriber",
    "opportunity",
    "evangelist",
    "competitor",
    "investor",
    "analyst",
    "press",
    "integrator",
    "vendor",
    "supplier",
    "marketing qualified",
    "sales qualified",
    "churned",
    "ex-customer",
)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise _not_yes_no(value)
    text = as_text(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE or not text:
        return False
    raise _not_yes_no(value)


def _not_yes_no(value: Any) -> ParseError:
    return ParseError(_("'%(value)s' is not yes or no.") % {"value": _short(as_text(value))})


def parse_customer(value: Any) -> bool:
    """Yes/no, or a Salesforce account type / HubSpot lifecycle stage."""
    try:
        return parse_bool(value)
    except ParseError:
        pass
    text = as_text(value).strip().casefold()
    if any(word in text for word in _NOT_CUSTOMER):
        return False
    if text.startswith("customer"):
        return True
    raise ParseError(
        _("'%(value)s' is neither yes/no nor a customer type such as 'Customer' or 'Prospect'.")
        % {"value": _short(as_text(value))}
    )


_CYCLES = {
    "short": "short",
    "transactional": "short",
    "short, transactional": "short",
    "long": "long",
    "capital-intensive": "long",
    "capital intensive": "long",
    "long, capital-intensive": "long",
}


def parse_sales_cycle(value: Any) -> str:
    text = as_text(value).strip().casefold()
    if text in _CYCLES:
        return _CYCLES[text]
    raise ParseError(
        _("'%(value)s' is not a sales cycle; use 'short' or 'long'.")
        % {"value": _short(as_text(value))}
    )


def parse_country(value: Any) -> str:
    """An ISO 3166 two-letter code from a code or a country's name in a common language."""
    text = " ".join(as_text(value).split())
    if code := country_code(text):
        return code
    raise ParseError(
        _("'%(value)s' is not a known country; use a two-letter ISO code such as DE or US.")
        % {"value": _short(text)}
    )
