"""Writes of the one history: a RecordChange per create, change or delete of a record.

The services call these around their own writes (not signals, which bulk
writes and queryset updates bypass). Values are kept as text in the same
shape as the opportunity history: "Name (#id)" for a linked record, ISO
dates, Decimal strings, so that a reader never needs the linked row.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.history.via import current_via
from accounts.models import Merger, RecordChange
from core.access import User
from core.people import person_name

type Snapshot = dict[str, str | None]

# Bookkeeping that changes on every write and says nothing a reader needs.
SKIPPED = frozenset({"id", "version", "created_at", "updated_at", "updated_by", "created_by"})
Action = RecordChange.Action


def as_text(value: Any) -> str | None:
    """A field's value as history keeps it. Pure."""
    if value is None:
        return None
    if isinstance(value, AbstractBaseUser):
        # By name: leaders and reps read the history, and a username is often an e-mail.
        return f"{person_name(value)} (#{value.pk})"
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float | str):
        return str(value)
    return json.dumps(value, sort_keys=True, default=str)


def history_snapshot(instance: models.Model) -> Snapshot:
    """Every kept field of a record (and its many-to-many links) as text."""
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED or getattr(field, "auto_now", False):
            continue
        if field.is_relation:
            values[field.name] = as_text(getattr(instance, field.name))
        else:
            values[field.name] = as_text(_stored(field, field.value_from_object(instance)))
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            linked = sorted(as_text(obj) or "" for obj in getattr(instance, field.name).all())
            values[field.name] = ", ".join(linked)
    return values


def _stored(field: models.Field, value: Any) -> Any:
    # A decimal as its column keeps it, so that 12.5 and 12.50 are no change.
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def changed_fields(before: Snapshot | None, after: Snapshot | None) -> dict[str, list]:
    """{field: [from, to]} for the fields that differ. Pure."""
    before, after = before or {}, after or {}
    names = list(dict.fromkeys([*before, *after]))
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def _program_id(instance: models.Model) -> int | None:
    if isinstance(instance, Merger):
        return instance.pk
    for path in ("merger_id", "company", "rep"):
        value = getattr(instance, path, None)
        if isinstance(value, int):
            return value
        if isinstance(value, models.Model):
            return getattr(value, "merger_id", None)
    return None


def _actor(actor: User | None) -> tuple[Any, str]:
    if actor is None or not actor.is_authenticated:
        return None, ""
    return actor, person_name(actor)[:150]


def history_record(
    *,
    actor: User | None,
    instance: models.Model,
    action: str,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
) -> RecordChange | None:
    """Keeps one change of `instance`; a change that changed nothing keeps nothing."""
    if action == Action.DELETED:
        after = None
        before = before if before is not None else history_snapshot(instance)
    else:
        after = after if after is not None else history_snapshot(instance)
    key = _key(instance)
    if key in _recording.get():
        return None  # the enclosing history_kept block records it
    changes = changed_fields(before, after)
    if action == Action.CHANGED and not changes:
        return None
    if (written := _written.get()) is not None:
        written.add(key)
    row = history_entry(
        model=type(instance),
        object_id=instance.pk,
        object_repr=str(instance),
        merger_id=_program_id(instance),
        action=action,
        changes=changes,
        actor=actor,
    )
    row.save(force_insert=True)
    return row


def history_entry(
    *,
    model: type[models.Model],
    object_id: int,
    object_repr: str,
    merger_id: int | None,
    action: str,
    changes: dict[str, list],
    actor: User | None = None,
    at: dt.datetime | None = None,
    import_job_id: int | None = None,
) -> RecordChange:
    """One change of one record, not saved yet: for writers that compute their own
    field changes or write many records at once (`history_entries_write`)."""
    who, name = _actor(actor)
    return RecordChange(
        merger_id=merger_id,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=object_id,
        object_repr=object_repr[:200],
        action=action,
        changes=changes,
        actor=who,
        actor_name=name,
        via=current_via(),
        at=at or timezone.now(),
        import_job_id=import_job_id,
    )


def history_entries_write(entries: Iterable[RecordChange]) -> list[RecordChange]:
    """Keeps a batch of `history_entry` changes, in one statement per thousand."""
    rows = RecordChange.objects.bulk_create(list(entries), batch_size=1000)
    if (written := _written.get()) is not None:
        written.update((row.content_type.model_class()._meta.label, row.object_id) for row in rows)
    return rows


# Records whose changes an enclosing block records in one row (a generic API
# write around a service that records too), and what was written meanwhile.
_recording: ContextVar[frozenset[tuple[str, int]]] = ContextVar("recording", default=frozenset())
_written: ContextVar[set[tuple[str, int]] | None] = ContextVar("written", default=None)


def _key(instance: models.Model) -> tuple[str, int]:
    return (instance._meta.label, instance.pk)


@contextmanager
def history_kept(*, actor: User | None, instance: models.Model) -> Iterator[None]:
    """Records what the block does to `instance`: its creation, or its changed fields.

    Call inside the write's transaction, so that the history and the change
    commit together. Writes of the same record inside the block are recorded
    by this block alone, as one change.
    """
    key = _key(instance) if instance.pk is not None else None
    if key in _recording.get():
        yield
        return
    before = history_snapshot(instance) if key else None
    recording = _recording.set(_recording.get() | {key}) if key else None
    written = _written.set(set()) if _written.get() is None else None
    try:
        yield
    finally:
        if recording is not None:
            _recording.reset(recording)
        seen = set(_written.get() or ())
        if written is not None:
            _written.reset(written)
    if before is None and _key(instance) in seen:
        return  # a service inside the block recorded the creation already
    action = Action.CREATED if before is None else Action.CHANGED
    history_record(actor=actor, instance=instance, action=action, before=before)


def history_recorded_once[M: models.Model](*, actor: User | None, create: Callable[[], M]) -> M:
    """Calls `create` and records its creation, unless a service inside recorded it."""
    written = _written.set(set()) if _written.get() is None else None
    try:
        instance = create()
        seen = set(_written.get() or ())
    finally:
        if written is not None:
            _written.reset(written)
    if _key(instance) not in seen:
        history_recorded(actor=actor, instance=instance)
    return instance


def history_recorded(*, actor: User | None, instance: models.Model) -> RecordChange | None:
    """Call just after creating `instance`: keeps its first values."""
    return history_record(actor=actor, instance=instance, action=Action.CREATED)


def history_created[M: models.Model](model: type[M], /, *, actor: User | None, **values: Any) -> M:
    """Creates a `model` record of `values`, keeping its first values in its history."""
    instance = model.objects.create(**values)
    history_recorded(actor=actor, instance=instance)
    return instance


def history_saved(
    *, actor: User | None, instance: models.Model, values: Mapping[str, Any]
) -> None:
    """Sets `values` on `instance` and saves it, keeping the change in its history."""
    with history_kept(actor=actor, instance=instance):
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()


def history_deleted(*, actor: User | None, instance: models.Model) -> None:
    """Deletes `instance`, keeping its last values and who deleted it."""
    history_record(actor=actor, instance=instance, action=Action.DELETED)
    instance.delete()
