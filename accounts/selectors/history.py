"""Reads of the one history: a program's activity, the history of one record, and its
changes field by field (`history_lines`) for the pages and APIs that list them so.

Every business record keeps its changes as RecordChange rows (accounts.services.history).
"""

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateField, DateTimeField, Model, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from accounts.models import ProgramMembership, RecordChange
from accounts.models.fields import MoneyField
from accounts.templatetags.formatting import amount


@dataclass(frozen=True)
class HistoryEntry:
    """One change of one record, whichever log it was kept in."""

    at: datetime
    action: str
    record_type: str
    object_id: int
    object_repr: str
    actor_name: str
    via: str
    changes: dict[str, list] = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action.capitalize()))

    @property
    def via_label(self) -> str:
        return str(VIA_LABELS.get(self.via, self.via))

    @property
    def type_label(self) -> str:
        model = _model(self.record_type)
        return str(model._meta.verbose_name).capitalize() if model else self.record_type

    @property
    def lines(self) -> list[tuple[str, str | None, str | None]]:
        """(field's name as the pages show it, from, to) for each changed field."""
        model = _model(self.record_type)
        return [
            (field_label(model, name), *(shown_value(model, name, value) for value in values))
            for name, values in in_field_order(model, self.changes)
        ]


def in_field_order(model: type[Model] | None, changes: dict) -> list[tuple[str, list]]:
    """A change's fields in the order the model declares them: PostgreSQL's jsonb keeps
    keys in its own order (shortest first), so the stored order cannot be relied on."""
    if model is None:
        return sorted(changes.items())
    order = _field_positions(model)
    return sorted(changes.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


@cache
def _field_positions(model: type[Model]) -> dict[str, int]:
    return {field.name: i for i, field in enumerate(model._meta.get_fields())}


def _model(record_type: str) -> type[Model] | None:
    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


# History keeps a linked record as "Name (#id)".
ID_SUFFIX = re.compile(r" \(#\d+\)$")


def shown_value(model: type[Model] | None, name: str, kept: str | None) -> str | None:
    """A kept value as the rest of the product shows it, in the reader's language: an
    amount grouped ("11 000" in Russian), a date or time in the reader's format.

    History keeps text as written (accounts.services.history.as_text: "11000.00",
    "2026-12-06", "Proposal (#4)"); it is formatted here, when read, where the field says
    what it is. A linked record reads as its name: the id is for the record, not the reader."""
    if not kept or model is None:
        return kept
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return kept
    if field.is_relation:
        return ID_SUFFIX.sub("", kept)
    try:
        if isinstance(field, MoneyField):
            return amount(Decimal(kept))
        if isinstance(field, DateTimeField):
            moment = datetime.fromisoformat(kept)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, DateField):
            return date_format(date.fromisoformat(kept), "SHORT_DATE_FORMAT")
    except (InvalidOperation, ValueError):
        pass
    return kept


# Kept values that are no field of their model: a login's roles are its role groups.
KEPT_LABELS = {"roles": gettext_lazy("Roles")}


def field_label(model: type[Model] | None, name: str) -> str:
    """A kept field's name as the reader reads it: the field's own, in their language."""
    if name in KEPT_LABELS:
        return str(KEPT_LABELS[name])
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except (AttributeError, LookupError, FieldDoesNotExist):
        return name.replace("_", " ").capitalize()


ACTION_LABELS = {
    **dict(RecordChange.Action.choices),
    "reopened": gettext_lazy("Reopened"),
    "overridden": gettext_lazy("Risk override"),
}
VIA_LABELS = dict(RecordChange.Via.choices)


def record_type_of(model: type[Model]) -> str:
    """How the API and the filters name a kind of record: "accounts.segment". Pure."""
    return model._meta.label_lower


def record_types(*, merger_ids: Collection[int]) -> list[tuple[str, str]]:
    """(record type, its name) of the kinds of record changed in these programs."""
    ids = (
        RecordChange.objects.filter(merger_id__in=merger_ids)
        .values_list("content_type_id", flat=True)
        .distinct()
        .order_by()
    )
    found = {ContentType.objects.get_for_id(pk).model_class() for pk in ids}
    return sorted(
        (record_type_of(model), str(model._meta.verbose_name).capitalize())
        for model in found
        if model is not None
    )


def _content_type(record_type: str) -> ContentType | None:
    model = _model(record_type)
    return ContentType.objects.get_for_model(model, for_concrete_model=False) if model else None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _when(column: str, since: date | None, until: date | None) -> Q:
    when = Q()
    if since is not None:
        when &= Q(**{f"{column}__gte": _start_of(since)})
    if until is not None:
        when &= Q(**{f"{column}__lt": _start_of(until + timedelta(days=1))})
    return when


def program_activity(
    *,
    merger_ids: Collection[int],
    actor_id: int | None = None,
    record_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[RecordChange]:
    """Every kept change in these programs, newest first, filtered by person, kind of
    record and date; `activity_entries` reads a page of them."""
    kept = RecordChange.objects.filter(_when("at", since, until), merger_id__in=merger_ids)
    if actor_id is not None:
        kept = kept.filter(actor_id=actor_id)
    if record_type:
        content_type = _content_type(record_type)
        kept = kept.filter(content_type=content_type) if content_type else kept.none()
    return kept.select_related("content_type").order_by("-at", "-id")


def activity_entries(rows: Sequence[RecordChange]) -> list[HistoryEntry]:
    """The entries of a page of `program_activity`, in its order."""
    return [entry_of(row) for row in rows]


def entry_of(row: RecordChange) -> HistoryEntry:
    return HistoryEntry(
        at=row.at,
        action=row.action,
        record_type=f"{row.content_type.app_label}.{row.content_type.model}",
        object_id=row.object_id,
        object_repr=row.object_repr,
        actor_name=row.actor_name,
        via=row.via,
        changes=row.changes,
    )


def record_history(
    *, merger_ids: Collection[int], record_type: str, object_id: int
) -> list[HistoryEntry] | None:
    """The history of one record, newest first; None if it is not one of these programs'.

    The program is read from the record's last kept change, so a deleted record's
    history reads as a living one's.
    """
    content_type = _content_type(record_type)
    if content_type is None:
        return None
    rows = list(
        RecordChange.objects.filter(content_type=content_type, object_id=object_id)
        .select_related("content_type")
        .order_by("-at", "-id")
    )
    if not rows or rows[0].merger_id not in merger_ids:
        return None
    return [entry_of(row) for row in rows]


@dataclass(frozen=True)
class FieldLine:
    """One field of one kept change, as the per-record lists show them."""

    id: int
    object_id: int
    object_repr: str
    action: str
    field: str
    old_value: str
    new_value: str
    changed_by: Model | None
    changed_by_name: str
    changed_at: datetime
    via: str

    @property
    def changed_by_id(self) -> int | None:
        return getattr(self.changed_by, "pk", None)


def history_lines(rows: Iterable[RecordChange]) -> list[FieldLine]:
    """Each changed field of each change, in the rows' order; a change without fields (a
    creation kept without values) is one line with an empty field. Read the rows with
    select_related("actor")."""
    lines = []
    for row in rows:
        model = ContentType.objects.get_for_id(row.content_type_id).model_class()
        for name, (old, new) in in_field_order(model, row.changes or {"": [None, None]}):
            lines.append(
                FieldLine(
                    id=row.pk,
                    object_id=row.object_id,
                    object_repr=row.object_repr,
                    action=row.action,
                    field=name,
                    old_value="" if old is None else old,
                    new_value="" if new is None else new,
                    changed_by=row.actor,
                    changed_by_name=row.actor_name,
                    changed_at=row.at,
                    via=row.via,
                )
            )
    return lines


def changes_of(model: type[Model], *, object_ids: Iterable[int] | None = None) -> QuerySet:
    """The kept changes of one kind of record (of `object_ids`), newest first."""
    # By the kind's id as a literal, not a join on its name: PostgreSQL then knows from
    # its statistics how rare the kind is and reads the history's index by kind, instead
    # of walking every change of the program newest first (4 s for a kind with none).
    kind = ContentType.objects.get_for_model(model, for_concrete_model=False)
    rows = RecordChange.objects.filter(content_type_id=kind.pk)
    if object_ids is not None:
        rows = rows.filter(object_id__in=object_ids)
    return rows.order_by("-at", "-id")


def import_job_changes(*, job: Model, limit: int) -> tuple[list[FieldLine], int]:
    """The first `limit` fields an import changed, and how many fields it changed."""
    rows = RecordChange.objects.filter(import_job=job).order_by("pk")
    lines = history_lines(rows.select_related("actor")[:limit])[:limit]
    counted = rows.values_list("changes", flat=True).iterator(chunk_size=2000)
    return lines, sum(len(changes) for changes in counted)


def login_history(*, merger_ids: Collection[int], person_id: int) -> list[HistoryEntry]:
    """A login's changes, newest first, if the person belongs to one of these programs.

    A login belongs to no one program, so its changes are kept once, with none;
    only those who manage people read them (the person's page checks that).
    """
    member = ProgramMembership.objects.filter(user_id=person_id, merger_id__in=merger_ids)
    if not member.exists():
        return []
    rows = (
        RecordChange.objects.filter(
            content_type=ContentType.objects.get_for_model(get_user_model()),
            object_id=person_id,
            merger__isnull=True,
        )
        .select_related("content_type")
        .order_by("-at", "-id")
    )
    return [entry_of(row) for row in rows]
