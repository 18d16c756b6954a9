"""Text bound for a spreadsheet cell: never read as a formula.

Every CSV and XLSX the app writes holds names people imported or typed. A
spreadsheet runs a cell that starts with =, +, - or @ as a formula (and some
parsers skip a leading tab or carriage return first), so "=HYPERLINK(...)" in
an account name would become a live link or worse when the file is opened.
A leading apostrophe keeps such text as text. Numbers are not text and are
never touched: a negative amount stays a number.
"""

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(value: Any) -> Any:
    """Strings defused; numbers, dates and None as they are."""
    return neutralise(value) if isinstance(value, str) else value
