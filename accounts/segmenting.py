"""Which segment a unified account belongs to, and why.

Precedence, highest first:

1. by hand: a segment sales ops chose for the account is never changed here;
2. the CRM records: a segment an imported CRM file gives the account's record.
   When the two companies' records disagree, the program's conflict rule
   decides: the acquirer's record (the default: its CRM is usually the system
   of record after Day 1), or the record with the higher revenue over the
   last 12 months (the company that knows the customer best); ties go to the
   acquirer, then to the older record;
3. the segment rules: a segment whose industry, size band and region are
   filled in takes the accounts that match every one filled in (an empty
   criterion matches anything). The industry must equal the account's, the
   employee count must lie within the size band's range, both ends included,
   and the country must be one of the region's. Where several segments
   match, the one with the most criteria wins, then the first by name. The
   account's industry, employees and country come from its records in the
   conflict rule's order, the first that has a value (its own country first
   for an account without records);
4. otherwise no segment.

Pure: plain records and rules in, a segment id and its source out.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

# Same values as UnifiedAccount.SegmentSource and Merger.SegmentConflictRule.
NONE, CRM, RULE, MANUAL = "", "crm", "rule", "manual"
BY_ACQUIRER, BY_REVENUE = "acquirer", "revenue"
ACQUIRER = "acquirer"


@dataclass(frozen=True)
class SourceRecord:
    """What one CRM record says about the account."""

    record_id: int
    company_role: str
    segment_id: int | None = None
    revenue: Decimal = Decimal(0)
    industry: str = ""
    employees: int | None = None
    country: str = ""


# The SourceAccount columns a SourceRecord is read from, in its fields' order.
SOURCE_RECORD_COLUMNS = (
    "pk",
    "company__role",
    "segment_id",
    "revenue_current",
    "industry",
    "employees",
    "country",
)


@dataclass(frozen=True)
class SegmentRule:
    """A segment's criteria; None or empty means any."""

    segment_id: int
    name: str
    industry: str = ""
    min_employees: int | None = None
    max_employees: int | None = None
    has_size_band: bool = False
    countries: frozenset[str] | None = None

    @property
    def criteria(self) -> int:
        return bool(self.industry) + self.has_size_band + (self.countries is not None)

    def matches(self, profile: "Profile") -> bool:
        if self.industry and self.industry.casefold() != profile.industry.strip().casefold():
            return False
        if self.has_size_band and not self._in_band(profile.employees):
            return False
        return self.countries is None or profile.country.upper() in self.countries

    def _in_band(self, employees: int | None) -> bool:
        if employees is None:
            return False
        low = self.min_employees or 0
        return low <= employees and (self.max_employees is None or employees <= self.max_employees)


@dataclass(frozen=True)
class Profile:
    industry: str = ""
    employees: int | None = None
    country: str = ""


@dataclass(frozen=True)
class Decision:
    segment_id: int | None
    source: str
    # The CRM record whose segment decided, or the rule that matched.
    record_id: int | None = None
    rule: SegmentRule | None = None


def ordered(records: Iterable[SourceRecord], conflict_rule: str) -> list[SourceRecord]:
    """The records in the order the conflict rule prefers them."""

    def acquirer_first(r: SourceRecord) -> int:
        return 0 if r.company_role == ACQUIRER else 1

    if conflict_rule == BY_REVENUE:
        return sorted(records, key=lambda r: (-r.revenue, acquirer_first(r), r.record_id))
    return sorted(records, key=lambda r: (acquirer_first(r), -r.revenue, r.record_id))


def crm_choice(records: Sequence[SourceRecord]) -> SourceRecord | None:
    """The first record, in preferred order, that carries a segment."""
    return next((r for r in records if r.segment_id is not None), None)


def profile_of(records: Sequence[SourceRecord], own_country: str = "") -> Profile:
    """Industry, employees and country from the first preferred record that has each."""
    return Profile(
        industry=next((r.industry for r in records if r.industry.strip()), ""),
        employees=next((r.employees for r in records if r.employees is not None), None),
        country=own_country or next((r.country for r in records if r.country), ""),
    )


def rule_choice(profile: Profile, rules: Sequence[SegmentRule]) -> SegmentRule | None:
    matching = [rule for rule in rules if rule.criteria and rule.matches(profile)]
    if not matching:
        return None
    return min(matching, key=lambda rule: (-rule.criteria, rule.name, rule.segment_id))


def decide(
    *,
    current_segment_id: int | None,
    current_source: str,
    records: Iterable[SourceRecord],
    own_country: str,
    rules: Sequence[SegmentRule],
    conflict_rule: str,
) -> Decision:
    """The account's segment and where it comes from, by the precedence above."""
    if current_source == MANUAL:
        return Decision(current_segment_id, MANUAL)
    preferred = ordered(records, conflict_rule)
    chosen = crm_choice(preferred)
    if chosen is not None:
        return Decision(chosen.segment_id, CRM, record_id=chosen.record_id)
    rule = rule_choice(profile_of(preferred, own_country), rules)
    if rule is not None:
        return Decision(rule.segment_id, RULE, rule=rule)
    return Decision(None, NONE)
