"""Writes of unified accounts entered by hand (matching creates the rest).

What the analysis derives (status, recommendation, connection, a segment
from the rules) is never written here. The country places an account in a
region's segment, so changing it, like deleting an account, refreshes the
program's analysis once the transaction commits.
"""

from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger, Segment, UnifiedAccount
from accounts.services.editing import fields_assigned
from accounts.services.history import history_deleted, history_kept, history_recorded
from accounts.services.segments import account_segment_assign
from accounts.signals import analysis_outdated
from core.access import User

ACCOUNT_FIELDS = frozenset({"name", "domain", "country", "city", "connection_note"})


class Unset(Enum):
    KEEP = "keep"


# The segment left as it is; None is "in no segment, by hand".
KEEP = Unset.KEEP


@transaction.atomic
def unified_account_create(
    *, actor: User, merger: Merger, segment: Segment | Unset | None = KEEP, **fields: Any
) -> UnifiedAccount:
    account = UnifiedAccount(merger=merger)
    fields_assigned(account, fields, ACCOUNT_FIELDS)
    if segment is not KEEP:
        if segment is not None and segment.merger_id != merger.pk:
            raise ValidationError({"segment": _("The segment belongs to another program.")})
        account.segment, account.segment_source = segment, UnifiedAccount.SegmentSource.MANUAL
    account.full_clean(exclude=["merger", "segment"])
    account.save()
    history_recorded(actor=actor, instance=account)
    return account


@transaction.atomic
def unified_account_update(
    *,
    actor: User,
    account: UnifiedAccount,
    segment: Segment | Unset | None = KEEP,
    **fields: Any,
) -> UnifiedAccount:
    """Changes any of ACCOUNT_FIELDS; a segment given is one assigned by hand."""
    with history_kept(actor=actor, instance=account):
        changed = fields_assigned(account, fields, ACCOUNT_FIELDS)
        account.full_clean(exclude=["merger", "segment"])
        account.save()
        by_hand = account.segment_source == UnifiedAccount.SegmentSource.MANUAL
        if segment is not KEEP and (segment != account.segment or not by_hand):
            account_segment_assign(actor=actor, account=account, segment=segment)
    if "country" in changed:
        analysis_outdated.send(sender=Merger, merger_id=account.merger_id)
    return account


@transaction.atomic
def unified_account_delete(*, actor: User, account: UnifiedAccount) -> None:
    merger_id = account.merger_id
    history_deleted(actor=actor, instance=account)
    analysis_outdated.send(sender=Merger, merger_id=merger_id)
