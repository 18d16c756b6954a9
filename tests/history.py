"""Reading and writing the one history in tests: a record's changes field by field."""

import datetime as dt

from django.db.models import Model

from accounts.models import RecordChange
from accounts.selectors.history import FieldLine, changes_of, history_lines
from accounts.services.history import history_entry


def field_lines(
    model: type[Model] | Model,
    object_id: int | None = None,
    *,
    field: str | None = None,
    action: str | None = None,
    created: bool = False,
    **row_filters,
) -> list[FieldLine]:
    """The kept changes of a record (or of every record of a kind), oldest first, one line
    per field; a record instance names itself. Creations (first values) only if `created`."""
    if isinstance(model, Model):
        model, object_id = type(model), model.pk
    ids = None if object_id is None else [object_id]
    rows = changes_of(model, object_ids=ids).filter(**row_filters).select_related("actor")
    if not created:
        rows = rows.exclude(action=RecordChange.Action.CREATED)
    lines = history_lines(rows.order_by("at", "id"))
    return [
        line
        for line in lines
        if (field is None or line.field == field) and (action is None or line.action == action)
    ]


def changes_kept(record: Model) -> list[RecordChange]:
    """A record's kept changes, oldest first."""
    return list(changes_of(type(record), object_ids=[record.pk]).order_by("at", "id"))


def change_kept(
    record: Model,
    *,
    field: str,
    new: str,
    at: dt.datetime,
    old: str = "",
    actor=None,
    action: str = RecordChange.Action.CHANGED,
) -> RecordChange:
    """One change of one field of a record, as its service would keep it."""
    row = history_entry(
        model=type(record),
        object_id=record.pk,
        object_repr=str(record),
        merger_id=getattr(record, "merger_id", None),
        action=action,
        changes={field: [old, new]},
        actor=actor,
        at=at,
    )
    row.save()
    return row
