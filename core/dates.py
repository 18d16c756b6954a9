"""The dates a page, a query string or an API field may name.

Far enough apart to hold every real record, near enough that stepping a month
or a quarter either way, or adding a sales cycle, is still a date: year 1 and
year 9999 are where Python's dates end.
"""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import get_language

FIRST_YEAR = 1900
LAST_YEAR = 9000
EARLIEST = dt.date(FIRST_YEAR, 1, 1)
LATEST = dt.date(LAST_YEAR, 12, 31)


def date_plausible(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


# Languages that write a month in lowercase inside a sentence ("за ноябрь 2026",
# "di novembre 2026"); Django's month names are capitalised, as headings and lists want.
LOWERCASE_MONTHS = frozenset({"ru", "it"})


def month_in_text(month: dt.date) -> str:
    """A month and year as a sentence names it, in the active language: "November 2026",
    "ноябрь 2026", "novembre 2026". Not for the start of a sentence or a heading."""
    text = date_format(month, "YEAR_MONTH_FORMAT")
    if (get_language() or "").split("-")[0] in LOWERCASE_MONTHS:
        return text[:1].lower() + text[1:]
    return text
