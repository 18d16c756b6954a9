"""How a file writes numbers and dates, settled per column from all of its values."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.imports import parsing
from accounts.imports.columns import fields_of
from accounts.imports.reading import NumberedRow

NUMERIC_TYPES = ("amount", "integer", "small_integer", "percent")


@dataclass
class Formats:
    """How ambiguous numbers and dates are read, per field, settled from the data."""

    decimal_marks: dict[str, str] = field(default_factory=dict)
    day_first: dict[str, bool] = field(default_factory=dict)

    def describe(self, columns: Mapping[str, str]) -> list[str]:
        notes = [
            _("Column '%(column)s': dates read as %(order)s.")
            % {
                "column": columns[key],
                "order": _("day/month/year") if first else _("month/day/year"),
            }
            for key, first in self.day_first.items()
        ]
        notes += [
            _("Column '%(column)s': '%(mark)s' marks decimals.")
            % {"column": columns[key], "mark": mark}
            for key, mark in self.decimal_marks.items()
        ]
        return notes


def sniff_formats(
    *,
    kind: str,
    header: list[str],
    columns: Mapping[str, str],
    rows: Iterator[NumberedRow],
    default_decimal: str = ".",
    default_day_first: bool = True,
) -> Formats:
    """Read every value of the amount and date columns once to settle their notation."""
    wanted = {
        f.key: header.index(columns[f.key])
        for f in fields_of(kind)
        if f.type in (*NUMERIC_TYPES, "date") and columns.get(f.key) in header
    }
    seen: dict[str, set[str]] = {key: set() for key in wanted}
    for _number, cells in rows:
        for key, index in wanted.items():
            if index < len(cells) and isinstance(cells[index], str):
                seen[key].add(cells[index])
    formats = Formats()
    for f in fields_of(kind):
        if f.key not in wanted:
            continue
        if f.type == "date":
            inferred = parsing.infer_day_first(seen[f.key])
            formats.day_first[f.key] = default_day_first if inferred is None else inferred
        else:
            formats.decimal_marks[f.key] = (
                parsing.infer_decimal_mark(seen[f.key]) or default_decimal
            )
    return formats
