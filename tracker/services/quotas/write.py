"""Writing one rep's quota for a period: create it, or change it by compare-and-set."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services.history import history_entries_write
from core.access import User
from tracker.models import Quota, Rep
from tracker.quota_math import Period, overlapping
from tracker.services.quotas.errors import QuotaConflict
from tracker.services.quotas.rules import overlap_message, rep_periods
from tracker.services.quotas.shared import TRACKED, history_changes, lock_reps


def quota_write(
    *,
    actor: User,
    rep: Rep,
    period: Period,
    values: dict[str, Any],
    expected_version: int | None,
) -> Quota:
    """Creates or changes the rep's quota for `period`, inside the caller's transaction
    (the lock on the rep holds until it ends); `expected_version` as quota_set takes it."""
    lock_reps([rep.pk])
    existing = _current(rep, period)
    if existing is None:
        if expected_version:
            raise QuotaConflict(rep=rep, period=period, expected=expected_version, current=None)
        try:
            _check_overlap(rep, period, exclude_id=None)
        except ValidationError:
            # Another writer may have created this very quota since `existing` was read.
            current = _current(rep, period)
            if current is not None:
                raise QuotaConflict(rep=rep, period=period, expected=0, current=current) from None
            raise
        return _create(actor=actor, rep=rep, period=period, values=values)
    if expected_version is not None and existing.version != expected_version:
        raise QuotaConflict(rep=rep, period=period, expected=expected_version, current=existing)
    after = {"period_kind": period.kind, **values}
    changed = [field for field in TRACKED if getattr(existing, field) != after[field]]
    if not changed:
        return existing
    if "period_kind" in changed:
        _check_overlap(rep, period, exclude_id=existing.pk)
    now = timezone.now()
    written = Quota.objects.filter(pk=existing.pk, version=existing.version).update(
        **after, version=existing.version + 1, updated_at=now
    )
    if not written:
        current = Quota.objects.filter(pk=existing.pk).first()
        raise QuotaConflict(rep=rep, period=period, expected=existing.version, current=current)
    history_entries_write(
        history_changes(
            quota=existing,
            rep_name=str(rep),
            merger_id=rep.merger_id,
            before=existing,
            after=after,
            actor=actor,
            at=now,
            reporting=rep.merger.reporting_currency,
        )
    )
    for field, value in after.items():
        setattr(existing, field, value)
    existing.version += 1
    existing.updated_at = now
    return existing


def _current(rep: Rep, period: Period) -> Quota | None:
    return Quota.objects.filter(rep=rep, period_start=period.start).first()


def _create(*, actor: User, rep: Rep, period: Period, values: dict[str, Any]) -> Quota:
    now = timezone.now()
    quota = Quota(rep=rep, period_kind=period.kind, period_start=period.start, version=1, **values)
    try:
        with transaction.atomic():
            quota.save(force_insert=True)
    except IntegrityError:
        # Another writer created the same rep's quota for the period first.
        current = Quota.objects.filter(rep=rep, period_start=period.start).first()
        if current is None:
            # Refused by the periods constraint: an overlapping quota came first.
            _check_overlap(rep, period, exclude_id=None)
        raise QuotaConflict(rep=rep, period=period, expected=0, current=current) from None
    history_entries_write(
        history_changes(
            quota=quota,
            rep_name=str(rep),
            merger_id=rep.merger_id,
            before=None,
            after={field: getattr(quota, field) for field in TRACKED},
            actor=actor,
            at=now,
            reporting=rep.merger.reporting_currency,
        )
    )
    return quota


def _check_overlap(rep: Rep, period: Period, *, exclude_id: int | None) -> None:
    others = [
        Period(quota.period_start, quota.period_kind)
        for quota in rep_periods(rep_ids=[rep.pk], first=period.start, last=period.last_month).get(
            rep.pk, []
        )
        if quota.pk != exclude_id
    ]
    clash = overlapping(period, others)
    if clash is not None:
        raise ValidationError({"period_start": overlap_message(period, clash)})
