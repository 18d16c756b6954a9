"""The dates a page, a query string or an API field may name.

Far enough apart to hold every real record, near enough that stepping a month
or a quarter either way, or adding a sales cycle, is still a date: year 1 and
year 9999 are where Python's dates end.
"""

import datetime as dt

FIRST_YEAR = 1900
LAST_YEAR = 9000
EARLIEST = dt.date(FIRST_YEAR, 1, 1)
LATEST = dt.date(LAST_YEAR, 12, 31)


def date_plausible(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST
