"""One date format for Russian pages: 06.12.2026 (Django's long and short forms differ).

A month is "Декабрь 2026", as the pages that write "F Y" show it: Django's "F Y г."
put a second full stop after a month that ends a sentence."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y"
