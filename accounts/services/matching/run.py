"""The matching run: the pure engine over a merger's records, written in one transaction."""

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
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
from accounts.matching.scoring import Record
from accounts.models import MatchCandidate, MatchDecision, Merger, SourceAccount, UnifiedAccount
from accounts.services.matching.absorb import unified_accounts_absorb
from accounts.services.matching.planning import (
    GroupingPlan,
    decision_groups,
    grouping_plan,
    rejected_pairs,
    settled_source_ids,
    sources_load,
)
from accounts.services.matching.rows import (
    BATCH_SIZE,
    SourceRecord,
    acquirer_company_ids,
    after_grouping_changed,
    best_source,
    new_account,
    score_decimal,
    unified_account_fields_refresh,
    update_rows,
)
from core.events import event_log

Action = MatchDecision.Action
CandidateStatus = MatchCandidate.Status

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
    sources, records, changed = sources_load(merger)
    report(_("Loaded %(count)d records.") % {"count": len(records)})
    settled = settled_source_ids(merger, sources)
    acquirers = acquirer_company_ids(merger.id)
    rejected = rejected_pairs(merger)
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
    plan = grouping_plan(decision_groups(decisions), sources, settled, acquirers)
    moves = [
        pk
        for pk, target in plan.target.items()
        if target is None or target != sources[pk].unified_id
    ]
    absorbed = 0
    if not dry_run:
        with transaction.atomic():
            update_rows(SourceAccount, ["normalized_name", "domain"], changed)
            absorbed = _write(merger, decisions, plan, sources, acquirers, moves, settled)
            after_grouping_changed(merger.id, refresh_analysis=refresh_analysis)
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
        update_rows(SourceAccount, ["normalized_name", "domain"], changed)
    return [
        pair
        for pair in matching_sql.scored_pairs(merger.id, records)
        if frozenset(pair[1:3]) not in rejected and not (pair[1] in settled and pair[2] in settled)
    ]


def _write(
    merger: Merger,
    decisions: list[Decision],
    plan: GroupingPlan,
    sources: dict[int, SourceRecord],
    acquirers: set[int],
    moves: list[int],
    settled: set[int],
) -> int:
    created = [
        new_account(merger.id, best_source((sources[pk] for pk in members), acquirers))
        for members in plan.new_groups.values()
    ]
    UnifiedAccount.objects.bulk_create(created, batch_size=BATCH_SIZE)
    for account, members in zip(created, plan.new_groups.values(), strict=True):
        for pk in members:
            plan.target[pk] = account.id

    candidates = _candidates_write(merger, decisions, settled)
    previous = {pk: sources[pk].unified_id for pk in moves}
    update_rows(SourceAccount, ["unified_id"], [(plan.target[pk], pk) for pk in moves])
    _decisions_write(merger, decisions, plan, previous, candidates)

    # Accounts that lost all their records go to where most of them went.
    remaining = Counter(s.unified_id for pk, s in sources.items() if pk not in previous)
    went: dict[int, Counter[int]] = defaultdict(Counter)
    for pk, old in previous.items():
        if old is not None:
            went[old][plan.target[pk]] += 1
    heirs = {old: c.most_common(1)[0][0] for old, c in went.items() if not remaining[old]}
    absorbed = unified_accounts_absorb(heirs, skip_conflicts=True)
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
        score = score_decimal(decision.score)
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
    plan: GroupingPlan,
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
                score=score_decimal(pair.score),
                from_unified_id=old,
                to_unified_id=plan.target[pk],
            )
        )
    MatchDecision.objects.bulk_create(rows, batch_size=BATCH_SIZE)
