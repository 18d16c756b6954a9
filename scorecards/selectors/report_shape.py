"""The shape of a report: typed columns, sections of rows and the report itself.

Plain data and nothing that reads the database: the scorecard's sections (report.py)
and the board pack's executive sections (board_pack.py) both build on it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

type Cell = Decimal | int | str | date | None


class ColumnType(StrEnum):
    TEXT = "text"
    MONEY = "money"
    # A share as a fraction: Decimal("0.25") is 25%.
    PERCENT = "percent"
    SCORE = "score"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"


NUMERIC_TYPES = frozenset(
    {
        ColumnType.MONEY,
        ColumnType.PERCENT,
        ColumnType.SCORE,
        ColumnType.INTEGER,
        ColumnType.NUMBER,
    }
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: ColumnType = ColumnType.TEXT

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts by column key, for renderers that pick columns by name."""
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass
class ScorecardReport:
    title: str
    program: str
    month: date
    generated_at: datetime
    currency: str
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)
