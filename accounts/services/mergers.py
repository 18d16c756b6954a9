"""Writes of programs (mergers) themselves."""

from typing import Any

from django.db import transaction

from accounts.access import User
from accounts.models import Merger, ProgramMembership
from accounts.services.refresh import merger_analysis_enqueue_refresh


@transaction.atomic
def merger_create(*, actor: User, **fields: Any) -> Merger:
    """Creates a program with its creator as the first member, so they can see it."""
    merger = Merger.objects.create(**fields)
    ProgramMembership.objects.create(merger=merger, user=actor)
    # The creator's cached program ids predate the new program.
    actor.__dict__.pop("_cached_merger_ids", None)
    return merger


@transaction.atomic
def merger_update(*, merger: Merger, actor: User, **fields: Any) -> Merger:
    """Changes a program's settings.

    Undated holdings count from Day 1, so moving it moves the customer-since
    dates of the overlap chart, and the rule for disagreeing CRM segments moves
    accounts between segments: the analysis refresh recomputes them once this
    commits.
    """
    moved = {name for name in ("day_one", "segment_conflict_rule") if name in fields} & {
        name for name, value in fields.items() if value != getattr(merger, name)
    }
    for name, value in fields.items():
        setattr(merger, name, value)
    merger.save()
    if moved:
        merger_analysis_enqueue_refresh(merger_id=merger.pk)
    return merger
