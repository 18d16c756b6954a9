"""Reads of segments: their rules, what a refresh would decide, and why an account is where it is.

The decisions themselves are accounts.segmenting's; here the program's
accounts and CRM records are streamed to it in two ordered queries, however
many accounts there are.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import (
    LegacyCompany,
    Merger,
    Region,
    Segment,
    SizeBand,
    SourceAccount,
    UnifiedAccount,
)
from accounts.segmenting import (
    ACQUIRER,
    SOURCE_RECORD_COLUMNS,
    Decision,
    SegmentRule,
    SourceRecord,
    decide,
)

CHUNK = 5000
Source = UnifiedAccount.SegmentSource


@dataclass(frozen=True)
class RuleProblem:
    segment: Segment
    message: str


@dataclass(frozen=True)
class ProgramRules:
    rules: list[SegmentRule]
    # Segments whose criteria name a size band or region the program has not defined.
    problems: list[RuleProblem]


def segment_rules(*, merger_id: int) -> ProgramRules:
    """Each segment with criteria as a rule; three small queries."""
    bands = {b.name.casefold(): b for b in SizeBand.objects.filter(merger_id=merger_id)}
    regions = {r.name.casefold(): r for r in Region.objects.filter(merger_id=merger_id)}
    rules, problems = [], []
    for segment in Segment.objects.filter(merger_id=merger_id).order_by("name", "pk"):
        band = bands.get(segment.size_band.strip().casefold())
        region = regions.get(segment.region.strip().casefold())
        if segment.size_band.strip() and band is None:
            message = _("Size band '%(name)s' is not defined, so no rule assigns this segment.")
            problems.append(RuleProblem(segment, message % {"name": segment.size_band}))
            continue
        if segment.region.strip() and region is None:
            message = _("Region '%(name)s' is not defined, so no rule assigns this segment.")
            problems.append(RuleProblem(segment, message % {"name": segment.region}))
            continue
        rule = SegmentRule(
            segment_id=segment.pk,
            name=segment.name,
            industry=segment.industry.strip(),
            min_employees=band.min_employees if band else None,
            max_employees=band.max_employees if band else None,
            has_size_band=band is not None,
            countries=frozenset(region.countries.split()) if region else None,
        )
        # A segment without criteria is one only the CRMs or sales ops fill.
        if rule.criteria:
            rules.append(rule)
    return ProgramRules(rules=rules, problems=problems)


@dataclass(frozen=True)
class AccountDecision:
    account_id: int
    segment_id: int | None
    source: str
    decision: Decision

    @property
    def changes(self) -> bool:
        return (self.segment_id, self.source) != (self.decision.segment_id, self.decision.source)


def _records(merger_id: int) -> Iterator[tuple[int, list[SourceRecord]]]:
    rows = (
        SourceAccount.objects.filter(company__merger_id=merger_id, unified__isnull=False)
        .order_by("unified_id", "pk")
        .values_list("unified_id", *SOURCE_RECORD_COLUMNS)
    )
    for unified_id, group in groupby(rows.iterator(chunk_size=CHUNK), key=lambda row: row[0]):
        yield unified_id, [SourceRecord(*row[1:]) for row in group]


def segment_decisions(*, merger: Merger) -> Iterator[AccountDecision]:
    """Every account of the program with the segment the rules give it now, in id order."""
    rules = segment_rules(merger_id=merger.pk).rules
    accounts = (
        UnifiedAccount.objects.filter(merger=merger)
        .order_by("pk")
        .values_list("pk", "segment_id", "segment_source", "country")
    )
    records = _records(merger.pk)
    pending = next(records, None)
    for pk, segment_id, source, country in accounts.iterator(chunk_size=CHUNK):
        while pending is not None and pending[0] < pk:
            pending = next(records, None)
        mine = pending[1] if pending is not None and pending[0] == pk else []
        yield AccountDecision(
            account_id=pk,
            segment_id=segment_id,
            source=source,
            decision=decide(
                current_segment_id=segment_id,
                current_source=source,
                records=mine,
                own_country=country,
                rules=rules,
                conflict_rule=merger.segment_conflict_rule,
            ),
        )


@dataclass
class SegmentPreview:
    """What applying the segment rules and the CRM segments would change; nothing is written."""

    accounts: int = 0
    changes: int = 0
    # (from segment id, to segment id) -> accounts moving so
    moves: Counter = field(default_factory=Counter)
    # segment id (None: no segment) -> accounts there after the refresh, by source
    after: Counter = field(default_factory=Counter)


def segment_preview(*, merger: Merger) -> SegmentPreview:
    preview = SegmentPreview()
    for row in segment_decisions(merger=merger):
        preview.accounts += 1
        preview.after[(row.decision.segment_id, row.decision.source)] += 1
        if row.changes:
            preview.changes += 1
            if row.segment_id != row.decision.segment_id:
                preview.moves[(row.segment_id, row.decision.segment_id)] += 1
    return preview


@dataclass(frozen=True)
class SegmentCount:
    segment: Segment | None
    by_source: dict[str, int]
    after: int

    @property
    def total(self) -> int:
        return sum(self.by_source.values())


def segment_overview(*, merger: Merger, preview: SegmentPreview | None) -> list[SegmentCount]:
    """Accounts per segment and source now (one GROUP BY) beside the preview's count."""
    counts: dict[int | None, dict[str, int]] = {}
    rows = (
        UnifiedAccount.objects.filter(merger=merger)
        .values_list("segment_id", "segment_source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for segment_id, source, n in rows:
        counts.setdefault(segment_id, {})[source] = n
    after: Counter = Counter()
    for (segment_id, _source), n in preview.after.items() if preview else ():
        after[segment_id] += n
    segments = list(Segment.objects.filter(merger=merger).order_by("name", "pk"))
    result = [
        SegmentCount(segment=s, by_source=counts.get(s.pk, {}), after=after[s.pk])
        for s in segments
    ]
    result.append(SegmentCount(segment=None, by_source=counts.get(None, {}), after=after[None]))
    return result


@dataclass(frozen=True)
class CrmSegment:
    company: LegacyCompany
    record: SourceAccount
    segment: Segment | None
    decided: bool


@dataclass(frozen=True)
class SegmentExplanation:
    """Where an account's segment comes from, for its page."""

    source: str
    source_label: str
    crm: list[CrmSegment]
    rule: SegmentRule | None
    conflict_rule_label: str
    disagree: bool


def account_segment_explanation(
    *, account: UnifiedAccount, sources: list[SourceAccount]
) -> SegmentExplanation:
    """The account's CRM segments and the rule that decides; `sources` as the page loaded them
    (with company and segment), so this adds only the rules' three small queries."""
    merger = account.merger
    records = [
        SourceRecord(
            record_id=s.pk,
            company_role=s.company.role,
            segment_id=s.segment_id,
            revenue=s.revenue_current,
            industry=s.industry,
            employees=s.employees,
            country=s.country,
        )
        for s in sources
    ]
    decision = decide(
        current_segment_id=account.segment_id,
        current_source="",
        records=records,
        own_country=account.country,
        rules=segment_rules(merger_id=merger.pk).rules,
        conflict_rule=merger.segment_conflict_rule,
    )
    with_segment = [s for s in sources if s.segment_id is not None]
    return SegmentExplanation(
        source=account.segment_source,
        source_label=str(Source(account.segment_source).label),
        crm=[
            CrmSegment(s.company, s, s.segment, decided=s.pk == decision.record_id)
            for s in sorted(sources, key=lambda s: (s.company.role != ACQUIRER, s.pk))
        ],
        rule=decision.rule if account.segment_source == Source.RULE else None,
        conflict_rule_label=merger.get_segment_conflict_rule_display(),
        disagree=len({s.segment_id for s in with_segment}) > 1,
    )


def program_industries(*, merger: Merger) -> list[str]:
    """The industries the program's CRM records name, for a segment's criteria."""
    return list(
        SourceAccount.objects.filter(company__merger=merger)
        .exclude(industry="")
        .values_list("industry", flat=True)
        .distinct()
        .order_by("industry")[:200]
    )
