"""Quotas set by hand: one rep at a time, or a leader's grid of them (all rows or none)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import User
from tracker.models import Quota, Rep
from tracker.services.quotas.errors import QuotaConflict, QuotaRowErrors
from tracker.services.quotas.rules import quota_period, quota_require, quota_values
from tracker.services.quotas.shared import announce
from tracker.services.quotas.write import quota_write


@dataclass(frozen=True)
class QuotaRow:
    """One line of a leader's grid."""

    rep: Rep
    period_start: date
    period_kind: str
    core_amount: Any
    cross_sell_amount: Any
    expected_version: int | None = None
    currency: str = ""


def quota_set(
    *,
    actor: User,
    rep: Rep,
    period_start: date,
    period_kind: str,
    core_amount: Any,
    cross_sell_amount: Any,
    expected_version: int | None = None,
    currency: str = "",
) -> Quota:
    """Creates or updates the rep's quota for the month or quarter holding `period_start`.

    The amounts are in `currency` (blank: the reporting currency) and convert at
    the rate of the period's first month; without that rate the write is refused.
    `expected_version` is the version read (0: no quota existed); None skips the
    check but a concurrent write between read and update is still refused.
    """
    period = quota_period(period_start=period_start, period_kind=period_kind)
    values = quota_values(
        rep=rep,
        period=period,
        currency=currency,
        core_amount=core_amount,
        cross_sell_amount=cross_sell_amount,
    )
    quota_require(actor=actor, rep=rep)
    with transaction.atomic():
        quota = quota_write(
            actor=actor,
            rep=rep,
            period=period,
            values=values,
            expected_version=expected_version,
        )
    announce(rep.merger_id)
    return quota


def quotas_bulk_set(*, actor: User, rows: list[QuotaRow]) -> list[Quota]:
    """A leader's grid: every row is written, or none is; errors come back by row index."""
    errors: dict[int, list[str]] = {}
    conflicts: dict[int, QuotaConflict] = {}
    saved: list[Quota] = []
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                with transaction.atomic():
                    saved.append(_bulk_row(actor, row))
            except QuotaConflict as conflict:
                conflicts[index] = conflict
                errors[index] = [conflict.message]
            except PermissionDenied as denied:
                errors[index] = [str(denied) or _("You may not set this rep's quota.")]
            except ValidationError as invalid:
                errors[index] = invalid.messages
        if errors:
            raise QuotaRowErrors(errors, conflicts)
    for merger_id in {row.rep.merger_id for row in rows}:
        announce(merger_id)
    return saved


def _bulk_row(actor: User, row: QuotaRow) -> Quota:
    period = quota_period(period_start=row.period_start, period_kind=row.period_kind)
    values = quota_values(
        rep=row.rep,
        period=period,
        currency=row.currency,
        core_amount=row.core_amount,
        cross_sell_amount=row.cross_sell_amount,
    )
    quota_require(actor=actor, rep=row.rep)
    return quota_write(
        actor=actor,
        rep=row.rep,
        period=period,
        values=values,
        expected_version=row.expected_version,
    )
