"""Writes of segments: an account's segment by hand, and what the rules are made of.

Size bands, regions and a segment's criteria are the rules' parts; changing
them takes effect at the next analysis refresh (accounts.services.
account_segments), which `segments_apply` starts at once. Opportunities keep
the segment they were logged in.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger, Region, Segment, SizeBand, SourceAccount, UnifiedAccount
from accounts.segmenting import SOURCE_RECORD_COLUMNS, SourceRecord, decide
from accounts.selectors.segments import segment_rules
from accounts.services.editing import fields_assigned
from accounts.services.history import history_deleted, history_kept
from accounts.signals import analysis_outdated
from core.access import User

Source = UnifiedAccount.SegmentSource
SEGMENT_FIELDS = frozenset({"name", "industry", "size_band", "region", "description"})


@transaction.atomic
def account_segment_assign(
    *, actor: User, account: UnifiedAccount, segment: Segment | None
) -> UnifiedAccount:
    """Sales ops puts the account in `segment` (None: in no segment) by hand, for good."""
    if segment is not None and segment.merger_id != account.merger_id:
        raise ValidationError({"segment": _("The segment belongs to another program.")})
    with history_kept(actor=actor, instance=account):
        account.segment = segment
        account.segment_source = Source.MANUAL
        account.save(update_fields=["segment", "segment_source", "updated_at"])
    analysis_outdated.send(sender=Merger, merger_id=account.merger_id)
    return account


@transaction.atomic
def account_segment_release(*, actor: User, account: UnifiedAccount) -> UnifiedAccount:
    """Hands a segment assigned by hand back to the CRM records and the rules, decided now."""
    merger = account.merger
    records = [
        SourceRecord(*row)
        for row in SourceAccount.objects.filter(unified=account)
        .order_by("pk")
        .values_list(*SOURCE_RECORD_COLUMNS)
    ]
    decision = decide(
        current_segment_id=None,
        current_source=Source.NONE,
        records=records,
        own_country=account.country,
        rules=segment_rules(merger_id=merger.pk).rules,
        conflict_rule=merger.segment_conflict_rule,
    )
    with history_kept(actor=actor, instance=account):
        account.segment_id, account.segment_source = decision.segment_id, decision.source
        account.save(update_fields=["segment", "segment_source", "updated_at"])
    analysis_outdated.send(sender=Merger, merger_id=account.merger_id)
    return account


def segments_apply(*, actor: User, merger: Merger) -> None:
    """Apply the CRM segments and the rules now rather than at the next import's refresh.

    The refresh runs in the background once the caller's transaction commits:
    it writes the segments, then the whitespace that carries them, then tells
    the scores.
    """
    analysis_outdated.send(sender=Merger, merger_id=merger.pk)


def _saved[M: SizeBand | Region | Segment](
    actor: User, obj: M, fields: dict[str, Any], allowed: set
) -> M:
    with history_kept(actor=actor, instance=obj):
        fields_assigned(obj, fields, allowed)
        obj.full_clean()
        obj.save()
    return obj


@transaction.atomic
def size_band_save(
    *, actor: User, merger: Merger, size_band: SizeBand | None = None, **fields: Any
) -> SizeBand:
    size_band = size_band or SizeBand(merger=merger)
    return _saved(actor, size_band, fields, {"name", "min_employees", "max_employees"})


@transaction.atomic
def region_save(
    *, actor: User, merger: Merger, region: Region | None = None, **fields: Any
) -> Region:
    region = region or Region(merger=merger)
    if "countries" in fields:
        fields["countries"] = normalized_countries(fields["countries"])
    return _saved(actor, region, fields, {"name", "countries"})


@transaction.atomic
def segment_save(
    *, actor: User, merger: Merger, segment: Segment | None = None, **fields: Any
) -> Segment:
    segment = segment or Segment(merger=merger)
    return _saved(actor, segment, fields, set(SEGMENT_FIELDS))


@transaction.atomic
def size_band_delete(*, actor: User, size_band: SizeBand) -> None:
    history_deleted(actor=actor, instance=size_band)


@transaction.atomic
def segment_delete(*, actor: User, segment: Segment) -> None:
    """Its accounts and candidates lose the segment; the refresh places them again."""
    merger_id = segment.merger_id
    history_deleted(actor=actor, instance=segment)
    analysis_outdated.send(sender=Merger, merger_id=merger_id)


@transaction.atomic
def region_delete(*, actor: User, region: Region) -> None:
    history_deleted(actor=actor, instance=region)


def normalized_countries(text: str) -> str:
    """'de, fr;GB' -> 'DE FR GB': upper case, sorted, one space apart, no repeats."""
    codes = {code for code in text.replace(",", " ").replace(";", " ").upper().split()}
    return " ".join(sorted(codes))
