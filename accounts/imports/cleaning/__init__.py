"""Check and convert whole rows: every problem named by row, column and field.

Pure. Lookups that need the database (known segments, accounts, products)
come in as plain collections.
"""

from accounts.imports.cleaning.formats import Formats, sniff_formats
from accounts.imports.cleaning.row_cleaner import CurrencyRules, RowCleaner
from accounts.imports.cleaning.row_errors import RowError

__all__ = ["CurrencyRules", "Formats", "RowCleaner", "RowError", "sniff_formats"]
