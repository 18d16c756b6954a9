"""Review actions: what a person decides about pairs, records and accounts.

Each action locks what it changes, records a `MatchDecision` with who decided,
and refreshes the derived analysis once the transaction commits.
"""

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MatchCandidate, MatchDecision, SourceAccount, UnifiedAccount
from accounts.services.matching.absorb import unified_accounts_absorb
from accounts.services.matching.rows import (
    SourceRecord,
    after_grouping_changed,
    new_account,
    unified_account_fields_refresh,
)
from core.events import event_log

Action = MatchDecision.Action
CandidateStatus = MatchCandidate.Status

REVIEW_METHOD = "review"
MANUAL_METHOD = "manual"


def _lock_candidate(candidate: MatchCandidate) -> MatchCandidate:
    return (
        MatchCandidate.objects.select_for_update()
        .select_related("left", "right")
        .get(pk=candidate.pk)
    )


def _ensure_account(source: SourceAccount, merger_id: int) -> int:
    if source.unified_id is None:
        account = new_account(merger_id, _as_source(source))
        account.save()
        SourceAccount.objects.filter(pk=source.pk).update(unified=account)
        source.unified_id = account.id
    return source.unified_id


def _as_source(source: SourceAccount) -> SourceRecord:
    return SourceRecord(
        source.id,
        source.company_id,
        source.unified_id,
        source.name,
        source.domain,
        source.country,
        source.city,
    )


def _reassign(source: SourceAccount, to_unified_id: int) -> int | None:
    """Puts the record in another account; returns the account it was in."""
    old = source.unified_id
    SourceAccount.objects.filter(pk=source.pk).update(
        unified_id=to_unified_id, updated_at=timezone.now()
    )
    source.unified_id = to_unified_id
    return old


def _move(source: SourceAccount, to_unified_id: int) -> None:
    """Move a record; absorb its old account into the new one if it is left empty."""
    old = _reassign(source, to_unified_id)
    if old is not None and not SourceAccount.objects.filter(unified_id=old).exists():
        unified_accounts_absorb({old: to_unified_id}, skip_conflicts=False)


def _split_off(source: SourceAccount, merger_id: int) -> tuple[int | None, int]:
    account = new_account(merger_id, _as_source(source))
    account.save()
    return _reassign(source, account.id), account.id


def _log_decision(decision: MatchDecision, actor: Any) -> None:
    event_log(
        "match.decision",
        action=decision.action,
        merger=decision.merger_id,
        candidate=decision.candidate_id,
        source=decision.source_id,
        by=actor,
    )


def _review_decision(
    candidate: MatchCandidate,
    action: str,
    actor: Any,
    note: str,
    *,
    old: int | None,
    new: int | None,
) -> MatchDecision:
    """A reviewer's decision on a pair, not yet saved: its right record went from the
    account `old` to `new` (the same one when it stayed)."""
    return MatchDecision(
        merger_id=candidate.merger_id,
        candidate=candidate,
        source=candidate.right,
        action=action,
        method=REVIEW_METHOD,
        score=candidate.score,
        from_unified_id=old,
        to_unified_id=new,
        note=note[:500],
        decided_by=actor,
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
        after_grouping_changed(candidate.merger_id)
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
        decision = _review_decision(candidate, Action.REJECT, actor, note, old=old, new=new)
        decision.save()
        after_grouping_changed(candidate.merger_id)
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
            _review_decision(
                candidate,
                Action.REJECT,
                actor,
                note,
                old=candidate.right.unified_id,
                new=candidate.right.unified_id,
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
            after_grouping_changed(merger_id)
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
    decision = _review_decision(
        candidate, Action.CONFIRM, actor, note, old=old if old != target else None, new=target
    )
    decision.save()
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
        unified_accounts_absorb({absorb.pk: keep.pk}, skip_conflicts=False)
        unified_account_fields_refresh(merger_id=keep.merger_id, unified_ids=[keep.pk])
        after_grouping_changed(keep.merger_id)
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
        # Its own row only: rate corrections lock the companies before their accounts.
        source = (
            SourceAccount.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=source.pk)
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
        after_grouping_changed(merger_id)
    _log_decision(decision, actor)
    return decision
