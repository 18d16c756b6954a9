"""The write every setup record of the sales organisation shares (teams, reps, stages):
check the values, write them with their history, and tell the scorecards once it commits."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from accounts.models import Merger
from accounts.services.history import history_created, history_deleted, history_saved
from core.access import User
from core.signals import program_data_announce

# (program, the record being changed or None for a new one, its values): raises ValidationError.
Checks = Callable[[Merger, Any, dict[str, Any]], None]


def setup_record_create[M: Model](
    model: type[M], *, actor: User, merger: Merger, values: dict[str, Any], checks: Checks
) -> M:
    checks(merger, None, values)
    record = history_created(model, actor=actor, merger=merger, **values)
    program_data_announce(model, merger.pk)
    return record


def setup_record_update[M: Model](
    record: M, *, actor: User, values: dict[str, Any], checks: Checks
) -> M:
    checks(record.merger, record, values)
    history_saved(actor=actor, instance=record, values=values)
    program_data_announce(type(record), record.merger_id)
    return record


def setup_record_delete(record: Model, *, actor: User) -> None:
    merger_id = record.merger_id
    history_deleted(actor=actor, instance=record)
    program_data_announce(type(record), merger_id)
