"""A company as the world knows it, and as each legacy CRM holds it.

An `Entity` is the real-world company; each CRM that knows it has a
`SourceRecord` with its own spelling, website form, identifiers and signals.
The matching engine only ever sees the source records.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from devtools.demo.plan import size_band_of


@dataclass
class HoldingRecord:
    product: str
    annual_revenue: Decimal
    since: date
    crm_id: str


@dataclass
class SourceRecord:
    company: str
    entity: str
    crm_id: str
    name: str
    website: str
    domain: str
    duns: str
    vat: str
    lei: str
    country: str
    city: str
    industry: str
    employees: int
    is_customer: bool
    relationship_owner: str = ""
    relationship_since: date | None = None
    decision_maker_known: bool = False
    revenue_current: Decimal = Decimal("0.00")
    revenue_prior: Decimal = Decimal("0.00")
    support_tickets_12m: int = 0
    support_tickets_prior_12m: int = 0
    credits_returns_12m: Decimal = Decimal("0.00")
    average_discount_pct: Decimal = Decimal("0.00")
    holdings: list[HoldingRecord] = field(default_factory=list)


@dataclass
class Entity:
    key: str
    name: str
    base: str
    suffix: str
    industry: str
    employees: int
    country: str
    city: str
    region: str
    segment: str | None
    domain: str
    duns: str
    vat: str
    lei: str
    profile: str = ""
    special_name: str = ""  # the native-script or accented spelling, if any
    records: dict[str, SourceRecord] = field(default_factory=dict)

    @property
    def customer_of(self) -> frozenset[str]:
        return frozenset(role for role, r in self.records.items() if r.is_customer)

    @property
    def size_band(self) -> str:
        return size_band_of(self.employees)


def fields_of(record: object, names: str) -> dict[str, object]:
    """The record's values of the space-separated `names`, for a model of the same fields."""
    return {name: getattr(record, name) for name in names.split()}
