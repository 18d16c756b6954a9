"""One date format for English pages: day, short month, year ("6 Dec 2026").

Django's English defaults mix "Dec. 6, 2026", "12/06/2026" and, in templates
that set their own, "2026-12-06"; every page names dates one way instead.
Input formats are Django's (ISO dates are accepted everywhere).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
