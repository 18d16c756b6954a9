"""Turn the text (or Excel values) of one cell into a typed value, or say why not.

Pure. Amounts become Decimal (never float); ambiguous notations (decimal mark,
day/month order) are settled per column from the data with `infer_*`.
"""

from accounts.imports.parsing.choices import parse_bool, parse_customer, parse_sales_cycle
from accounts.imports.parsing.countries import parse_country
from accounts.imports.parsing.dates import infer_day_first, parse_date
from accounts.imports.parsing.numbers import (
    MAX_SMALL_INTEGER,
    infer_decimal_mark,
    parse_amount,
    parse_integer,
    parse_non_negative,
    parse_percent,
)
from accounts.imports.parsing.text import ParseError, as_text, crm_key, is_blank, parse_text

__all__ = [
    "MAX_SMALL_INTEGER",
    "ParseError",
    "as_text",
    "crm_key",
    "infer_day_first",
    "infer_decimal_mark",
    "is_blank",
    "parse_amount",
    "parse_bool",
    "parse_country",
    "parse_customer",
    "parse_date",
    "parse_integer",
    "parse_non_negative",
    "parse_percent",
    "parse_sales_cycle",
    "parse_text",
]
