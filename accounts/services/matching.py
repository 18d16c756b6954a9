"""Matching writes: group CRM records into unified accounts, and the review actions.

`accounts_match` runs the pure engine (`accounts.matching`) over a merger's
source records and writes the outcome in one transaction with bulk writes.
What people decided stays decided: records a person confirmed, merged or
split (and every record sharing an account with one) are left where they are,
and rejected pairs are never proposed again. A re-run over unchanged data
writes nothing.

Unified accounts emptied by a move are absorbed by the account their records
went to: opportunities and everything else that points at the emptied account
follow, found through the model's relations so that this app imports no app
built on it.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.matching import sql as matching_sql
from accounts.matching.engine import (
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    Decision,
    Outcome,
    match_records,
)
from accounts.matching.scoring import Record, make_record
from accounts.models import (
    LegacyCompany,
    MatchCandidate,
    MatchDecision,
    Merger,
    SourceAccount,
    UnifiedAccount,
)
from accounts.services.overlap import account_statuses_refresh
from accounts.signals import analysis_outdated
from core.events import event_log

Action = MatchDecision.Action
CandidateStatus = MatchCandidate.Status

# Human actions that settle how records group; the engine leaves such records alone.
SETTLED_BY_PEOPLE = (Action.CONFIRM, Action.MERGE, Action.SPLIT)
REVIEW_METHOD = "review"
MANUAL_METHOD = "manual"
BATCH_SIZE = 2_000
ABSORB_BATCH = 500
# Fields a unified account takes from its best source record.
ACCOUNT_FIELDS = ("name", "domain", "country", "city")

type Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class MatchRunResult:
    records: int
    settled_records: int
    auto_matches: int
    review_candidates: int
    new_accounts: int
    moved_records: int
    absorbed_accounts: int
    seconds: float
    dry_run: bool = False


@dataclass(slots=True)
class _Source:
    id: int
    company_id: int
    unified_id: int | None
    name: str
    domain: str
    country: str
    city: str


def _to_decimal(score: float) -> Decimal:
    return Decimal(str(round(score, 2)))


# Loading


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


def _load(merger: Merger) -> tuple[dict[int, _Source], list[Record], list[tuple]]:
    """Sources, their engine records, and the normalised fields that changed."""
    sources: dict[int, _Source] = {}
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
        sources[pk] = _Source(pk, company_id, unified_id, name, record.domain, country, city)
        normalized = record.normalized_name[:255]
        if normalized != nname or record.domain != dom:
            changed.append((normalized, record.domain[:255], pk))
    return sources, records, changed


def _settled_source_ids(merger: Merger, sources: dict[int, _Source]) -> set[int]:
    decided = set(
        MatchDecision.objects.filter(
            merger=merger, action__in=SETTLED_BY_PEOPLE, source__isnull=False
        ).values_list("source_id", flat=True)
    )
    settled_accounts = {sources[pk].unified_id for pk in decided if pk in sources} - {None}
    settled = decided | {pk for pk, s in sources.items() if s.unified_id in settled_accounts}
    return {pk for pk in settled if pk in sources and sources[pk].unified_id is not None}


def _rejected_pairs(merger: Merger) -> set[frozenset[int]]:
    rows = MatchCandidate.objects.filter(merger=merger, status=CandidateStatus.REJECTED)
    return {frozenset(pair) for pair in rows.values_list("left_id", "right_id")}


# Planning: which unified account each group of records ends up in


@dataclass(slots=True)
class _Plan:
    target: dict[int, int | None]  # source id -> unified id (None: a new account)
    new_groups: dict[int, list[int]]  # group id -> members that need a new account
    group_of: dict[int, int]
    group_size: dict[int, int]


def _groups(decisions: list[Decision]) -> dict[int, list[int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for decision in decisions:
        if decision.outcome == Outcome.AUTO_MATCH:
            groups[decision.group].update((decision.left_id, decision.right_id))
        elif decision.outcome == Outcome.NEW_ACCOUNT:
            groups[decision.group].add(decision.left_id)
    return {group: sorted(members) for group, members in groups.items()}


def _plan(
    groups: dict[int, list[int]],
    sources: dict[int, _Source],
    settled: set[int],
    acquirer_companies: set[int],
) -> _Plan:
    settled_accounts = {sources[pk].unified_id for pk in settled}
    claimed: set[int] = set()
    plan = _Plan(target={}, new_groups={}, group_of={}, group_size={})
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


# Writing helpers shared by the run and the review actions


def _update_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Set `names` per row given as (value, ..., pk).

    One statement run for many rows: bulk_update's CASE per field costs time
    that grows with the square of the batch.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    prepared = (
        [
            *(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=False)),
            row[-1],
        ]
        for row in rows
    )
    with connection.cursor() as cursor:
        for batch in batched(prepared, BATCH_SIZE):
            cursor.executemany(sql, batch)


def _best_source(members: Iterable[_Source], acquirer_companies: set[int]) -> _Source:
    return min(
        members,
        key=lambda s: (s.company_id not in acquirer_companies, not s.domain, s.id),
    )


def _acquirer_company_ids(merger_id: int) -> set[int]:
    return set(
        LegacyCompany.objects.filter(
            merger_id=merger_id, role=LegacyCompany.Role.ACQUIRER
        ).values_list("id", flat=True)
    )


def _new_account(merger_id: int, best: _Source) -> UnifiedAccount:
    return UnifiedAccount(
        merger_id=merger_id,
        name=best.name[:255],
        domain=best.domain[:255],
        country=best.country[:2],
        city=best.city[:120],
    )


def unified_account_fields_refresh(*, merger_id: int, unified_ids: Iterable[int]) -> int:
    """Name, domain and location of each account from its best source record
    (the acquirer's first). Returns how many accounts changed."""
    ids = sorted(set(unified_ids))
    acquirers = _acquirer_company_ids(merger_id)
    changed: list[tuple] = []
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        members: dict[int, list[_Source]] = defaultdict(list)
        rows = SourceAccount.objects.filter(
            unified_id__in=chunk, origin=SourceAccount.Origin.CRM
        ).values_list("id", "company_id", "unified_id", "name", "domain", "country", "city")
        for row in rows:
            members[row[2]].append(_Source(*row))
        current = UnifiedAccount.objects.filter(id__in=chunk).values_list("id", *ACCOUNT_FIELDS)
        for pk, *values in current:
            if not members.get(pk):
                continue
            wanted = _new_account(merger_id, _best_source(members[pk], acquirers))
            fields = [getattr(wanted, field) for field in ACCOUNT_FIELDS]
            if fields != values:
                changed.append((*fields, timezone.now(), pk))
    _update_rows(UnifiedAccount, [*ACCOUNT_FIELDS, "updated_at"], changed)
    return len(changed)


class MergeConflict(ValidationError):
    """Both accounts hold a row that may exist only once per account."""


def _unique_sets_with(model: type[models.Model], field_name: str) -> list[tuple[list[str], Any]]:
    sets = [
        ([f for f in constraint.fields if f != field_name], constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields
    ]
    sets += [
        ([f for f in together if f != field_name], None)
        for together in model._meta.unique_together
        if field_name in together
    ]
    return sets


def _colliding_rows(
    model: type[models.Model], field: models.Field, mapping: dict[int, int]
) -> dict[int, set[int]]:
    """Rows that would break a unique constraint once repointed, by old account id."""
    collisions: dict[int, set[int]] = defaultdict(set)
    for others, condition in _unique_sets_with(model, field.name):
        rows = model._base_manager.filter(
            **{f"{field.attname}__in": {*mapping, *mapping.values()}}
        )
        if condition is not None:
            rows = rows.filter(condition)
        seen: dict[tuple, int] = {}
        # Rows already on a kept account come first, so they are the ones that stay.
        ordered = sorted(
            rows.values_list("pk", field.attname, *others),
            key=lambda row: (row[1] in mapping, row[0]),
        )
        for pk, account_id, *values in ordered:
            key = (mapping.get(account_id, account_id), *values)
            if key in seen:
                collisions[account_id].add(pk)
            else:
                seen[key] = pk
    return collisions


def _relations() -> list[models.ForeignObjectRel]:
    return [
        rel
        for rel in UnifiedAccount._meta.related_objects
        if not rel.many_to_many and rel.related_model is not SourceAccount
    ]


def _absorb(mapping: dict[int, int], *, skip_conflicts: bool) -> set[int]:
    """Repoint everything that refers to each old account onto its heir, then
    delete the old accounts. Rows that may exist once per account and exist on
    both: derived rows (deleted with their account) are dropped; any other
    raises MergeConflict, or with `skip_conflicts` leaves that old account
    in place. Returns the old ids that were absorbed."""
    absorbed: set[int] = set()
    for chunk in batched(sorted(mapping.items()), ABSORB_BATCH):
        absorbed |= _absorb_chunk(dict(chunk), skip_conflicts=skip_conflicts)
    return absorbed


def _absorb_chunk(mapping: dict[int, int], *, skip_conflicts: bool) -> set[int]:
    for rel in _relations():
        collisions = _colliding_rows(rel.related_model, rel.field, mapping)
        if rel.on_delete is models.CASCADE:
            doomed = {pk for pks in collisions.values() for pk in pks}
            rel.related_model._base_manager.filter(pk__in=doomed).delete()
        elif collisions and not skip_conflicts:
            raise MergeConflict(
                _("Both accounts have %(items)s that may exist only once per account.")
                % {"items": rel.related_model._meta.verbose_name_plural}
            )
        else:
            for old in collisions:
                mapping.pop(old, None)
    for rel in _relations():
        rows = rel.related_model._base_manager.filter(
            **{f"{rel.field.attname}__in": list(mapping)}
        ).values_list("pk", rel.field.attname)
        moved = [(mapping[old], pk) for pk, old in rows]
        _update_rows(rel.related_model, [rel.field.name], moved)
    UnifiedAccount.objects.filter(id__in=list(mapping)).delete()
    return set(mapping)


def _after_grouping_changed(merger_id: int, *, refresh_analysis: bool = True) -> None:
    """Statuses now, the rest of the derived analysis once the transaction commits.

    This is the one place a grouping change leads to the analysis refresh, which
    in turn tells scores and dashboards that the program's data changed.
    """
    account_statuses_refresh(merger_id=merger_id)
    if refresh_analysis:
        analysis_outdated.send(sender=Merger, merger_id=merger_id)


# The matching run


def accounts_match(
    *,
    merger: Merger,
    actor: Any = None,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    dry_run: bool = False,
    progress: Progress | None = None,
    refresh_analysis: bool = True,
    set_based: bool = False,
) -> MatchRunResult:
    """Match the merger's CRM records into unified accounts.

    The decisions written are the engine's, so their `decided_by` stays empty
    whoever started the run (`actor`, accepted for callers' symmetry).
    Statuses are refreshed at once and the rest of the analysis is queued for
    after the commit; a caller that refreshes the analysis itself in the same
    transaction (the demo seed) turns the queued refresh off.
    """
    report = progress or (lambda message: None)
    started = time.perf_counter()
    sources, records, changed = _load(merger)
    report(_("Loaded %(count)d records.") % {"count": len(records)})
    settled = _settled_source_ids(merger, sources)
    acquirers = _acquirer_company_ids(merger.id)
    rejected = _rejected_pairs(merger)
    scored = None
    if set_based:
        scored = _scored_in_database(merger, records, changed, rejected, settled)
        changed = []
    decisions = match_records(
        [r for r in records if r.company_id in acquirers],
        [r for r in records if r.company_id not in acquirers],
        auto_threshold=auto_threshold,
        review_threshold=review_threshold,
        excluded_pairs=rejected,
        # Settled accounts keep their records; new records may still join them.
        fixed_groups={pk: sources[pk].unified_id for pk in settled},
        scored=scored,
    )
    counts = Counter(decision.outcome for decision in decisions)
    report(
        _("Scored: %(auto)d automatic matches, %(review)d to review.")
        % {"auto": counts[Outcome.AUTO_MATCH], "review": counts[Outcome.REVIEW]}
    )
    plan = _plan(_groups(decisions), sources, settled, acquirers)
    moves = [
        pk
        for pk, target in plan.target.items()
        if target is None or target != sources[pk].unified_id
    ]
    absorbed = 0
    if not dry_run:
        with transaction.atomic():
            _update_rows(SourceAccount, ["normalized_name", "domain"], changed)
            absorbed = _write(merger, decisions, plan, sources, acquirers, moves, settled)
            _after_grouping_changed(merger.id, refresh_analysis=refresh_analysis)
    result = MatchRunResult(
        records=len(records),
        settled_records=len(settled),
        auto_matches=counts[Outcome.AUTO_MATCH],
        review_candidates=counts[Outcome.REVIEW],
        new_accounts=len(plan.new_groups),
        moved_records=len(moves),
        absorbed_accounts=absorbed,
        seconds=time.perf_counter() - started,
        dry_run=dry_run,
    )
    report(_("Done in %(seconds).1f s.") % {"seconds": result.seconds})
    event_log(
        "matching.run",
        merger=merger.pk,
        records=result.records,
        auto=result.auto_matches,
        review=result.review_candidates,
        new_accounts=result.new_accounts,
        dry_run=dry_run,
        seconds=result.seconds,
    )
    return result


def _scored_in_database(
    merger: Merger,
    records: list[Record],
    changed: list[tuple],
    rejected: set[frozenset[int]],
    settled: set[int],
) -> list:
    """Blocking and term counts set-based in PostgreSQL (`accounts.matching.sql`),
    on the normalised names stored first; pairs people decided are left out."""
    if connections[router.db_for_read(SourceAccount)].vendor != "postgresql":
        raise ValidationError(_("Set-based matching needs PostgreSQL."))
    with transaction.atomic():
        _update_rows(SourceAccount, ["normalized_name", "domain"], changed)
    return [
        pair
        for pair in matching_sql.scored_pairs(merger.id, records)
        if frozenset(pair[1:3]) not in rejected and not (pair[1] in settled and pair[2] in settled)
    ]


def _write(
    merger: Merger,
    decisions: list[Decision],
    plan: _Plan,
    sources: dict[int, _Source],
    acquirers: set[int],
    moves: list[int],
    settled: set[int],
) -> int:
    created = [
        _new_account(merger.id, _best_source((sources[pk] for pk in members), acquirers))
        for members in plan.new_groups.values()
    ]
    UnifiedAccount.objects.bulk_create(created, batch_size=BATCH_SIZE)
    for account, members in zip(created, plan.new_groups.values(), strict=True):
        for pk in members:
            plan.target[pk] = account.id

    candidates = _candidates_write(merger, decisions, settled)
    previous = {pk: sources[pk].unified_id for pk in moves}
    _update_rows(SourceAccount, ["unified_id"], [(plan.target[pk], pk) for pk in moves])
    _decisions_write(merger, decisions, plan, previous, candidates)

    # Accounts that lost all their records go to where most of them went.
    remaining = Counter(s.unified_id for pk, s in sources.items() if pk not in previous)
    went: dict[int, Counter[int]] = defaultdict(Counter)
    for pk, old in previous.items():
        if old is not None:
            went[old][plan.target[pk]] += 1
    heirs = {old: c.most_common(1)[0][0] for old, c in went.items() if not remaining[old]}
    absorbed = _absorb(heirs, skip_conflicts=True)
    # New accounts were made from their best record; only older ones may need new fields.
    touched = {plan.target[pk] for pk in moves} - {account.id for account in created}
    touched |= {old for old in previous.values() if old is not None and old not in absorbed}
    unified_account_fields_refresh(merger_id=merger.id, unified_ids=touched)
    return len(absorbed)


def _candidates_write(
    merger: Merger, decisions: list[Decision], settled: set[int]
) -> dict[frozenset[int], MatchCandidate]:
    """Upsert the automatic and pending candidates; drop stale suggestions.

    Candidates a person decided are never touched.
    """
    wanted = {
        frozenset((d.left_id, d.right_id)): d
        for d in decisions
        if d.outcome in (Outcome.AUTO_MATCH, Outcome.REVIEW)
    }
    existing = {
        frozenset((c.left_id, c.right_id)): c for c in MatchCandidate.objects.filter(merger=merger)
    }
    now = timezone.now()
    to_create, to_update = [], []
    for pair, decision in wanted.items():
        status = (
            CandidateStatus.AUTO_MATCHED
            if decision.outcome == Outcome.AUTO_MATCH
            else CandidateStatus.PENDING
        )
        score = _to_decimal(decision.score)
        reasons = [reason.as_dict() for reason in decision.reasons]
        candidate = existing.get(pair)
        if candidate is None:
            to_create.append(
                MatchCandidate(
                    merger=merger,
                    left_id=decision.left_id,
                    right_id=decision.right_id,
                    score=score,
                    reasons=reasons,
                    status=status,
                )
            )
        elif candidate.status in (CandidateStatus.AUTO_MATCHED, CandidateStatus.PENDING) and (
            candidate.status != status or candidate.score != score or candidate.reasons != reasons
        ):
            candidate.status, candidate.score, candidate.reasons = status, score, reasons
            candidate.updated_at = now
            to_update.append(candidate)
    MatchCandidate.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    MatchCandidate.objects.bulk_update(
        to_update, ["status", "score", "reasons", "updated_at"], batch_size=BATCH_SIZE
    )
    stale = [
        c.id
        for pair, c in existing.items()
        if pair not in wanted
        and (
            c.status == CandidateStatus.PENDING
            or (c.status == CandidateStatus.AUTO_MATCHED and not pair & settled)
        )
    ]
    for chunk in batched(stale, BATCH_SIZE):
        MatchCandidate.objects.filter(id__in=chunk).delete()
    for candidate in to_create:
        existing[frozenset((candidate.left_id, candidate.right_id))] = candidate
    return existing


def _decisions_write(
    merger: Merger,
    decisions: list[Decision],
    plan: _Plan,
    previous: dict[int, int | None],
    candidates: dict[frozenset[int], MatchCandidate],
) -> None:
    best_pair: dict[int, Decision] = {}
    for decision in decisions:
        if decision.outcome != Outcome.AUTO_MATCH:
            continue
        for pk in (decision.left_id, decision.right_id):
            if pk not in best_pair or decision.score > best_pair[pk].score:
                best_pair[pk] = decision
    rows = []
    for pk, old in previous.items():
        pair = best_pair.get(pk) if plan.group_size[pk] > 1 else None
        if pair is None:
            rows.append(
                MatchDecision(
                    merger=merger,
                    source_id=pk,
                    action=Action.NEW_ACCOUNT,
                    method="no_match",
                    from_unified_id=old,
                    to_unified_id=plan.target[pk],
                )
            )
            continue
        rows.append(
            MatchDecision(
                merger=merger,
                candidate=candidates.get(frozenset((pair.left_id, pair.right_id))),
                source_id=pk,
                action=Action.AUTO_MATCH,
                method=pair.method,
                score=_to_decimal(pair.score),
                from_unified_id=old,
                to_unified_id=plan.target[pk],
            )
        )
    MatchDecision.objects.bulk_create(rows, batch_size=BATCH_SIZE)


# Review actions


def _lock_candidate(candidate: MatchCandidate) -> MatchCandidate:
    return (
        MatchCandidate.objects.select_for_update()
        .select_related("left", "right")
        .get(pk=candidate.pk)
    )


def _ensure_account(source: SourceAccount, merger_id: int) -> int:
    if source.unified_id is None:
        account = _new_account(merger_id, _as_source(source))
        account.save()
        SourceAccount.objects.filter(pk=source.pk).update(unified=account)
        source.unified_id = account.id
    return source.unified_id


def _as_source(source: SourceAccount) -> _Source:
    return _Source(
        source.id,
        source.company_id,
        source.unified_id,
        source.name,
        source.domain,
        source.country,
        source.city,
    )


def _move(source: SourceAccount, to_unified_id: int) -> int | None:
    """Move a record; absorb its old account into the new one if it is left empty."""
    old = source.unified_id
    SourceAccount.objects.filter(pk=source.pk).update(
        unified_id=to_unified_id, updated_at=timezone.now()
    )
    source.unified_id = to_unified_id
    if old is not None and not SourceAccount.objects.filter(unified_id=old).exists():
        _absorb({old: to_unified_id}, skip_conflicts=False)
    return old


def _split_off(source: SourceAccount, merger_id: int) -> tuple[int | None, int]:
    account = _new_account(merger_id, _as_source(source))
    account.save()
    old = source.unified_id
    SourceAccount.objects.filter(pk=source.pk).update(
        unified_id=account.id, updated_at=timezone.now()
    )
    source.unified_id = account.id
    return old, account.id


def _log_decision(decision: MatchDecision, actor: Any) -> None:
    event_log(
        "match.decision",
        action=decision.action,
        merger=decision.merger_id,
        candidate=decision.candidate_id,
        source=decision.source_id,
        by=actor,
    )


def match_candidate_confirm(
    *, candidate: MatchCandidate, actor: Any, note: str = ""
) -> MatchDecision:
    """The two records are one customer: the right one joins the left one's account."""
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        if candidate.status == CandidateStatus.CONFIRMED:
            raise ValidationError(_("This match is already confirmed."))
        decision = _confirm_locked(candidate, actor, note)
        unified_account_fields_refresh(
            merger_id=candidate.merger_id, unified_ids=[decision.to_unified_id]
        )
        _after_grouping_changed(candidate.merger_id)
    _log_decision(decision, actor)
    return decision


def match_candidate_reject(
    *, candidate: MatchCandidate, actor: Any, note: str = ""
) -> MatchDecision:
    """The two records are different customers; if they share an account, the
    right one leaves for an account of its own."""
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        if candidate.status == CandidateStatus.REJECTED:
            raise ValidationError(_("This match is already rejected."))
        left, right = candidate.left, candidate.right
        old, new = right.unified_id, right.unified_id
        if right.unified_id is not None and right.unified_id == left.unified_id:
            old, new = _split_off(right, candidate.merger_id)
            unified_account_fields_refresh(merger_id=candidate.merger_id, unified_ids=[old])
        candidate.status = CandidateStatus.REJECTED
        candidate.save(update_fields=["status", "updated_at"])
        decision = MatchDecision.objects.create(
            merger_id=candidate.merger_id,
            candidate=candidate,
            source=right,
            action=Action.REJECT,
            method=REVIEW_METHOD,
            score=candidate.score,
            from_unified_id=old,
            to_unified_id=new,
            note=note[:500],
            decided_by=actor,
        )
        _after_grouping_changed(candidate.merger_id)
    _log_decision(decision, actor)
    return decision


def match_candidates_reject(
    *, merger_id: int, candidate_ids: Collection[int], actor: Any, note: str = ""
) -> int:
    """Rejects many pairs of the review queue at once; returns how many.

    For the long tail of a queue: pairs a reviewer can tell apart from the list.
    Only pairs still waiting, in two different accounts, are rejected (one
    decided meanwhile, or whose records were joined since, is left as it is),
    so no account changes and nothing derived needs a refresh. Each rejection is recorded like a
    single one, and the matching run will not propose the pair again.
    """
    with transaction.atomic():
        # Both records are locked too, as a single rejection locks them: a merge
        # or confirmation running meanwhile cannot join the pair's accounts.
        waiting = list(
            MatchCandidate.objects.select_for_update(of=("self", "left", "right"))
            .filter(merger_id=merger_id, pk__in=set(candidate_ids), status=CandidateStatus.PENDING)
            .exclude(left__unified_id=F("right__unified_id"))
            .select_related("left", "right")
        )
        MatchCandidate.objects.filter(pk__in=[c.pk for c in waiting]).update(
            status=CandidateStatus.REJECTED, updated_at=timezone.now()
        )
        decisions = MatchDecision.objects.bulk_create(
            MatchDecision(
                merger_id=merger_id,
                candidate=candidate,
                source=candidate.right,
                action=Action.REJECT,
                method=REVIEW_METHOD,
                score=candidate.score,
                from_unified_id=candidate.right.unified_id,
                to_unified_id=candidate.right.unified_id,
                note=note[:500],
                decided_by=actor,
            )
            for candidate in waiting
        )
    for decision in decisions:
        _log_decision(decision, actor)
    return len(decisions)


def match_candidates_confirm(
    *, merger_id: int, candidate_ids: Collection[int], actor: Any, note: str = ""
) -> int:
    """Confirms many pairs of the review queue at once; returns how many.

    Each pair is confirmed as a single confirmation would be (the right record
    joins the left one's account, an emptied account is absorbed, the decision is
    recorded), under the same locks as the bulk rejection: a pair decided
    meanwhile is left as it is. The accounts' fields and statuses are refreshed
    once for all of them.
    """
    with transaction.atomic():
        waiting = list(
            MatchCandidate.objects.select_for_update(of=("self", "left", "right"))
            .filter(merger_id=merger_id, pk__in=set(candidate_ids), status=CandidateStatus.PENDING)
            .select_related("left", "right")
            .order_by("-score", "id")
        )
        # One object per record, so that a record moved by one pair is seen
        # where it now is by the next pair it belongs to.
        records: dict[int, SourceAccount] = {}
        for candidate in waiting:
            candidate.left = records.setdefault(candidate.left_id, candidate.left)
            candidate.right = records.setdefault(candidate.right_id, candidate.right)
        decisions = [_confirm_locked(candidate, actor, note) for candidate in waiting]
        if decisions:
            targets = {decision.to_unified_id for decision in decisions}
            alive = UnifiedAccount.objects.filter(pk__in=targets).values_list("pk", flat=True)
            unified_account_fields_refresh(merger_id=merger_id, unified_ids=list(alive))
            _after_grouping_changed(merger_id)
    for decision in decisions:
        _log_decision(decision, actor)
    return len(decisions)


def _confirm_locked(candidate: MatchCandidate, actor: Any, note: str) -> MatchDecision:
    target = _ensure_account(candidate.left, candidate.merger_id)
    old = candidate.right.unified_id
    MatchCandidate.objects.filter(pk=candidate.pk).update(
        status=CandidateStatus.CONFIRMED, updated_at=timezone.now()
    )
    # Recorded before the move: an emptied old account is deleted by it.
    decision = MatchDecision.objects.create(
        merger_id=candidate.merger_id,
        candidate=candidate,
        source=candidate.right,
        action=Action.CONFIRM,
        method=REVIEW_METHOD,
        score=candidate.score,
        from_unified_id=old if old != target else None,
        to_unified_id=target,
        note=note[:500],
        decided_by=actor,
    )
    if old != target:
        _move(candidate.right, target)
        decision.refresh_from_db()
    return decision


def unified_accounts_merge(
    *, keep: UnifiedAccount, absorb: UnifiedAccount, actor: Any, note: str = ""
) -> list[MatchDecision]:
    """One customer held as two accounts: `absorb`'s records, opportunities and
    everything else move to `keep`, and `absorb` is deleted."""
    if keep.pk == absorb.pk:
        raise ValidationError(_("An account cannot be merged into itself."))
    if keep.merger_id != absorb.merger_id:
        raise ValidationError(_("Only accounts of the same program can be merged."))
    with transaction.atomic():
        moved = list(
            SourceAccount.objects.select_for_update()
            .filter(unified_id=absorb.pk)
            .values_list("id", flat=True)
        )
        SourceAccount.objects.filter(id__in=moved).update(
            unified_id=keep.pk, updated_at=timezone.now()
        )
        decisions = MatchDecision.objects.bulk_create(
            [
                MatchDecision(
                    merger_id=keep.merger_id,
                    source_id=pk,
                    action=Action.MERGE,
                    method=MANUAL_METHOD,
                    from_unified_id=absorb.pk,
                    to_unified_id=keep.pk,
                    note=note[:500],
                    decided_by=actor,
                )
                for pk in moved
            ]
        )
        _absorb({absorb.pk: keep.pk}, skip_conflicts=False)
        unified_account_fields_refresh(merger_id=keep.merger_id, unified_ids=[keep.pk])
        _after_grouping_changed(keep.merger_id)
    event_log(
        "match.decision",
        action=Action.MERGE,
        merger=keep.merger_id,
        kept=keep.pk,
        absorbed=absorb.pk,
        records=len(decisions),
        by=actor,
    )
    return decisions


def source_account_split(*, source: SourceAccount, actor: Any, note: str = "") -> MatchDecision:
    """The record is not the customer its account holds: it gets its own account,
    and the pairs that joined it to the others count as rejected."""
    with transaction.atomic():
        source = (
            SourceAccount.objects.select_for_update().select_related("company").get(pk=source.pk)
        )
        merger_id = source.company.merger_id
        mates = (
            list(
                SourceAccount.objects.filter(unified_id=source.unified_id)
                .exclude(pk=source.pk)
                .values_list("id", flat=True)
            )
            if source.unified_id is not None
            else []
        )
        if not mates:
            raise ValidationError(_("This record is the only one in its account."))
        old, new = _split_off(source, merger_id)
        MatchCandidate.objects.filter(
            Q(left_id=source.pk, right_id__in=mates) | Q(right_id=source.pk, left_id__in=mates),
            status__in=(CandidateStatus.AUTO_MATCHED, CandidateStatus.CONFIRMED),
        ).update(status=CandidateStatus.REJECTED, updated_at=timezone.now())
        decision = MatchDecision.objects.create(
            merger_id=merger_id,
            source=source,
            action=Action.SPLIT,
            method=MANUAL_METHOD,
            from_unified_id=old,
            to_unified_id=new,
            note=note[:500],
            decided_by=actor,
        )
        unified_account_fields_refresh(merger_id=merger_id, unified_ids=[old])
        _after_grouping_changed(merger_id)
    _log_decision(decision, actor)
    return decision
