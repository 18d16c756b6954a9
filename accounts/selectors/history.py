"""Reads of the one history: a program's activity, and the history of one record.

Most records keep their changes as RecordChange rows. Opportunities and quotas
keep their field changes in logs of their own (the month replay reads the
opportunities'); the tracker registers those logs here at start-up, and both
readers merge them in, so that a reader sees one history either way.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField, Model, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import RecordChange


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
        return [(_label(model, name), *values) for name, values in self.changes.items()]


def _model(record_type: str) -> type[Model] | None:
    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


def _label(model: type[Model] | None, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except (AttributeError, LookupError):
        return name.replace("_", " ").capitalize()


ACTION_LABELS = {
    **dict(RecordChange.Action.choices),
    "reopened": gettext_lazy("Reopened"),
    "overridden": gettext_lazy("Risk override"),
}
VIA_LABELS = dict(RecordChange.Via.choices)


@dataclass(frozen=True)
class LegacyLog:
    """A kind of record whose field changes live in a log of its own.

    `link` is the log's link to the record, `program` the path from the log
    row to the record's program and `record_program` the same from the record;
    `shown_with` the relations that the record's name reads.
    """

    record: type[Model]
    log: type[Model]
    link: str
    program: str
    record_program: str
    shown_with: tuple[str, ...] = ()

    @property
    def record_type(self) -> str:
        return record_type_of(self.record)


_LEGACY: list[LegacyLog] = []


def register_legacy_log(log: LegacyLog) -> None:
    if all(known.record is not log.record for known in _LEGACY):
        _LEGACY.append(log)


def _legacy_for(record_type: str) -> LegacyLog | None:
    return next((log for log in _LEGACY if log.record_type == record_type), None)


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
    found |= {log.record for log in _LEGACY}
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


def _keys(rows: QuerySet, kind: int, at: str) -> QuerySet:
    # Every part of the union names the same three columns in the same order.
    return (
        rows.annotate(kind=Value(kind, output_field=IntegerField()), row=F("id"), when=F(at))
        .values_list("kind", "row", "when")
        .order_by()
    )


def program_activity(
    *,
    merger_ids: Collection[int],
    actor_id: int | None = None,
    record_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    """Keys (kind, id, at) of every kept change in these programs, newest first, filtered by
    person, kind of record and date; `activity_entries` reads a page of them."""
    kept = RecordChange.objects.filter(_when("at", since, until), merger_id__in=merger_ids)
    if actor_id is not None:
        kept = kept.filter(actor_id=actor_id)
    if record_type:
        content_type = _content_type(record_type)
        kept = kept.filter(content_type=content_type) if content_type else kept.none()
    parts = [_keys(kept, 0, "at")]
    for kind, log in enumerate(_LEGACY, start=1):
        if record_type and record_type != log.record_type:
            continue
        rows = log.log.objects.filter(
            _when("changed_at", since, until), **{f"{log.program}__in": merger_ids}
        )
        if actor_id is not None:
            rows = rows.filter(changed_by_id=actor_id)
        parts.append(_keys(rows, kind, "changed_at"))
    return parts[0].union(*parts[1:], all=True).order_by("-when", "-kind", "-row")


def activity_entries(keys: Sequence[tuple[int, int, datetime]]) -> list[HistoryEntry]:
    """The entries of a page of `program_activity`, in its order: a few queries per kind."""
    by_kind: dict[int, list[int]] = {}
    for kind, row, _at in keys:
        by_kind.setdefault(kind, []).append(row)
    found: dict[tuple[int, int], HistoryEntry] = {}
    kept = RecordChange.objects.filter(id__in=by_kind.get(0, [])).select_related("content_type")
    found.update({(0, row.pk): entry_of(row) for row in kept})
    for kind, log in enumerate(_LEGACY, start=1):
        if by_kind.get(kind):
            rows = list(log.log.objects.filter(id__in=by_kind[kind]))
            found.update({(kind, row.pk): entry for row, entry in _legacy_entries(log, rows)})
    return [found[(kind, row)] for kind, row, _at in keys if (kind, row) in found]


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


def _legacy_entries(log: LegacyLog, rows: list[Model]) -> list[tuple[Model, HistoryEntry]]:
    link = f"{log.link}_id"
    records = log.record.objects.filter(pk__in={getattr(row, link) for row in rows})
    names = {record.pk: str(record) for record in records.select_related(*log.shown_with)}
    people = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in={row.changed_by_id for row in rows})
    }
    return [
        (
            row,
            HistoryEntry(
                at=row.changed_at,
                action=getattr(row, "action", RecordChange.Action.CHANGED),
                record_type=log.record_type,
                object_id=getattr(row, link),
                object_repr=names.get(getattr(row, link), ""),
                actor_name=people.get(row.changed_by_id, ""),
                via=row.via,
                changes={row.field: [row.old_value, row.new_value]} if row.field else {},
            ),
        )
        for row in rows
    ]


def record_history(
    *, merger_ids: Collection[int], record_type: str, object_id: int
) -> list[HistoryEntry] | None:
    """The history of one record, newest first; None if it is not one of these programs'.

    A deleted record's program is read from its last kept change.
    """
    content_type = _content_type(record_type)
    if content_type is None:
        return None
    rows = RecordChange.objects.filter(content_type=content_type, object_id=object_id)
    kept = [entry_of(row) for row in rows.select_related("content_type").order_by("-at", "-id")]
    legacy = _legacy_for(record_type)
    program = None
    if legacy is not None:
        record = legacy.record.objects.filter(pk=object_id)
        program = record.values_list(legacy.record_program, flat=True).first()
    if program is None and kept:
        program = rows.order_by("-at", "-id").values_list("merger_id", flat=True).first()
    if program is None or program not in merger_ids:
        return None
    if legacy is not None:
        logged = legacy.log.objects.filter(**{f"{legacy.link}_id": object_id})
        kept += [entry for _row, entry in _legacy_entries(legacy, list(logged))]
    return sorted(kept, key=lambda entry: entry.at, reverse=True)
