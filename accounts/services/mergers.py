"""Writes of programs (mergers) themselves."""

from typing import Any

from django.db import transaction

from accounts.access import User
from accounts.models import Merger, ProgramMembership


@transaction.atomic
def merger_create(*, actor: User, **fields: Any) -> Merger:
    """Creates a program with its creator as the first member, so they can see it."""
    merger = Merger.objects.create(**fields)
    ProgramMembership.objects.create(merger=merger, user=actor)
    # The creator's cached program ids predate the new program.
    actor.__dict__.pop("_cached_merger_ids", None)
    return merger
