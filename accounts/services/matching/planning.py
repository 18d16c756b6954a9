"""Loading a merger's CRM records and planning which unified account each group joins."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from accounts.matching.engine import Decision, Outcome
from accounts.matching.scoring import Record, make_record
from accounts.models import MatchCandidate, MatchDecision, Merger, SourceAccount
from accounts.services.matching.rows import BATCH_SIZE, SourceRecord

Action = MatchDecision.Action
CandidateStatus = MatchCandidate.Status

# Human actions that settle how records group; the engine leaves such records alone.
SETTLED_BY_PEOPLE = (Action.CONFIRM, Action.MERGE, Action.SPLIT)


_SOURCE_COLUMNS = (
    "id",
    "company_id",
    "unified_id",
    "name",
    "website",
    "duns",
    "vat",
    "lei",
    "country",
    "city",
    "normalized_name",
    "domain",
)


def sources_load(merger: Merger) -> tuple[dict[int, SourceRecord], list[Record], list[tuple]]:
    """Sources, their engine records, and the normalised fields that changed."""
    sources: dict[int, SourceRecord] = {}
    records: list[Record] = []
    changed: list[tuple] = []
    # A record the program created for a won deal is no CRM's: it stays with its account.
    rows = (
        SourceAccount.objects.filter(company__merger=merger, origin=SourceAccount.Origin.CRM)
        .order_by("id")
        .values_list(*_SOURCE_COLUMNS)
    )
    for (
        pk,
        company_id,
        unified_id,
        name,
        website,
        duns,
        vat,
        lei,
        country,
        city,
        nname,
        dom,
    ) in rows.iterator(chunk_size=BATCH_SIZE):
        record = make_record(
            id=pk,
            company_id=company_id,
            name=name,
            # A record with no website keeps the domain it got elsewhere (an e-mail address).
            website=website or dom,
            duns=duns,
            vat=vat,
            lei=lei,
            country=country,
            city=city,
        )
        records.append(record)
        sources[pk] = SourceRecord(pk, company_id, unified_id, name, record.domain, country, city)
        normalized = record.normalized_name[:255]
        if normalized != nname or record.domain != dom:
            changed.append((normalized, record.domain[:255], pk))
    return sources, records, changed


def settled_source_ids(merger: Merger, sources: dict[int, SourceRecord]) -> set[int]:
    decided = set(
        MatchDecision.objects.filter(
            merger=merger, action__in=SETTLED_BY_PEOPLE, source__isnull=False
        ).values_list("source_id", flat=True)
    )
    settled_accounts = {sources[pk].unified_id for pk in decided if pk in sources} - {None}
    settled = decided | {pk for pk, s in sources.items() if s.unified_id in settled_accounts}
    return {pk for pk in settled if pk in sources and sources[pk].unified_id is not None}


def rejected_pairs(merger: Merger) -> set[frozenset[int]]:
    rows = MatchCandidate.objects.filter(merger=merger, status=CandidateStatus.REJECTED)
    return {frozenset(pair) for pair in rows.values_list("left_id", "right_id")}


# Planning: which unified account each group of records ends up in


@dataclass(slots=True)
class GroupingPlan:
    target: dict[int, int | None]  # source id -> unified id (None: a new account)
    new_groups: dict[int, list[int]]  # group id -> members that need a new account
    group_of: dict[int, int]
    group_size: dict[int, int]


def decision_groups(decisions: list[Decision]) -> dict[int, list[int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for decision in decisions:
        if decision.outcome == Outcome.AUTO_MATCH:
            groups[decision.group].update((decision.left_id, decision.right_id))
        elif decision.outcome == Outcome.NEW_ACCOUNT:
            groups[decision.group].add(decision.left_id)
    return {group: sorted(members) for group, members in groups.items()}


def grouping_plan(
    groups: dict[int, list[int]],
    sources: dict[int, SourceRecord],
    settled: set[int],
    acquirer_companies: set[int],
) -> GroupingPlan:
    settled_accounts = {sources[pk].unified_id for pk in settled}
    claimed: set[int] = set()
    plan = GroupingPlan(target={}, new_groups={}, group_of={}, group_size={})
    # Bigger groups choose first; within a group the acquirer's account wins ties.
    for group, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        ordered = sorted(
            members, key=lambda pk: (sources[pk].company_id not in acquirer_companies, pk)
        )
        fixed = {sources[pk].unified_id for pk in members if pk in settled}
        usable = (
            Counter(fixed)
            if fixed
            else Counter(
                unified
                for pk in ordered
                if (unified := sources[pk].unified_id) is not None
                and unified not in settled_accounts
                and unified not in claimed
            )
        )
        target = usable.most_common(1)[0][0] if usable else None
        if target is None:
            plan.new_groups[group] = ordered
        else:
            claimed.add(target)
        for pk in members:
            plan.target[pk] = target
            plan.group_of[pk] = group
            plan.group_size[pk] = len(members)
    return plan
