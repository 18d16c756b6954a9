"""The account x product grid as the whitespace page shows it: columns, cells, rows, a page.

ZERO is where every sum of the whitespace reads starts.
"""

import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

ZERO = Decimal("0")
MAX_PAGE_SIZE = 200


class CellState(StrEnum):
    OWNED = "owned"  # per the CRM install base
    WON = "won"  # sold by the program: a won deal's holding
    IN_PIPELINE = "in_pipeline"  # an open deal is being worked
    CANDIDATE = "candidate"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ProductColumn:
    id: int
    name: str
    code: str
    company_id: int
    company_short_name: str
    company_role: str
    family_name: str

    @property
    def short_label(self) -> str:
        """What fits a narrow column header: the product code without its company prefix
        (the family header names the company), else the name cut short."""
        if not self.code:
            return textwrap.shorten(self.name, width=14, placeholder="…")
        prefix, _sep, rest = self.code.partition("-")
        return rest if rest and len(prefix) <= 4 else self.code

    @property
    def full_label(self) -> str:
        return f"{self.name} ({self.company_short_name})"


@dataclass(frozen=True)
class ProductGroup:
    """Adjacent product columns of one company and family, under one header cell."""

    family_name: str
    company_short_name: str
    company_role: str
    span: int


@dataclass(frozen=True)
class Cell:
    product_id: int
    state: CellState
    value: Decimal = ZERO
    kind: str = ""
    direction: str = ""
    reason: str = ""
    via_source_name: str = ""
    opportunity_url: str = ""
    value_basis: str = ""
    value_basis_label: str = ""
    # The open deal of an in-pipeline cell, the won deal of a won one.
    deal_url: str = ""
    deal_stage: str = ""


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    status: str
    segment_name: str
    recommendation: str
    recommendation_reason: str
    connection_strength: int | None
    cells: tuple[Cell, ...]
    candidate_value: Decimal
    candidate_count: int


class MatrixSort(StrEnum):
    VALUE = "value"  # largest potential value first
    NAME = "name"


@dataclass(frozen=True)
class WhitespaceMatrix:
    products: tuple[ProductColumn, ...]
    rows: tuple[AccountRow, ...]
    page: int
    page_size: int
    total_accounts: int
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total_accounts // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def product_groups(self) -> tuple[ProductGroup, ...]:
        groups: list[ProductGroup] = []
        for column in self.products:
            last = groups[-1] if groups else None
            same = last is not None and (last.family_name, last.company_short_name) == (
                column.family_name,
                column.company_short_name,
            )
            if same:
                groups[-1] = ProductGroup(
                    last.family_name, last.company_short_name, last.company_role, last.span + 1
                )
            else:
                groups.append(
                    ProductGroup(
                        column.family_name, column.company_short_name, column.company_role, 1
                    )
                )
        return tuple(groups)
