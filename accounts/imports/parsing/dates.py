"""Dates in any usual notation; day/month order is settled per column with `infer_day_first`."""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.parsing.text import ParseError, as_text, shortened

EXCEL_EPOCH = dt.date(1899, 12, 30)


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
    ) % {"value": shortened(text)}
