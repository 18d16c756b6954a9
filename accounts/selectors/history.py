"""Reads of the one history: a program's activity, and the history of one record."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
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


def record_type_of(model: type[Model]) -> str:
    """How the API and the filters name a kind of record: "tracker.team". Pure."""
    return model._meta.label_lower


def record_types(*, merger_ids: Collection[int]) -> list[tuple[str, str]]:
    """(record type, its name) of the kinds of record changed in these programs."""
    ids = (
        RecordChange.objects.filter(merger_id__in=merger_ids)
        .values_list("content_type_id", flat=True)
        .distinct()
        .order_by()
    )
    found = [ContentType.objects.get_for_id(pk).model_class() for pk in ids]
    return sorted(
        (record_type_of(model), str(model._meta.verbose_name).capitalize())
        for model in found
        if model is not None
    )


def _content_type(record_type: str) -> ContentType | None:
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        return None
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def program_activity(
    *,
    merger_ids: Collection[int],
    actor_id: int | None = None,
    record_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[RecordChange]:
    """Every kept change in these programs, newest first, filtered by person, kind and date."""
    rows = RecordChange.objects.filter(merger_id__in=merger_ids).select_related("content_type")
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    if record_type:
        content_type = _content_type(record_type)
        rows = rows.filter(content_type=content_type) if content_type else rows.none()
    if since is not None:
        rows = rows.filter(at__gte=_start_of(since))
    if until is not None:
        rows = rows.filter(at__lt=_start_of(until + timedelta(days=1)))
    return rows.order_by("-at", "-id")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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

    Opportunities and quotas keep their field changes in their own logs (the
    month replay reads the opportunities'); those rows come in here too.
    """
    content_type = _content_type(record_type)
    if content_type is None:
        return None
    rows = RecordChange.objects.filter(content_type=content_type, object_id=object_id)
    kept = [entry_of(row) for row in rows.select_related("content_type").order_by("-at", "-id")]
    legacy = _LEGACY.get(record_type)
    program = legacy.program_of(object_id) if legacy else None
    if program is None and kept:
        program = rows.order_by("-at", "-id").values_list("merger_id", flat=True).first()
    if program is None or program not in merger_ids:
        return None
    entries = kept + (legacy.entries(object_id) if legacy else [])
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


@dataclass(frozen=True)
class _LegacyLog:
    """A record kind whose field changes live in a log of its own."""

    model: str
    log: str
    link: str
    program_path: str

    def program_of(self, object_id: int) -> int | None:
        record = apps.get_model(self.model).objects.filter(pk=object_id)
        return record.values_list(self.program_path, flat=True).first()

    def entries(self, object_id: int) -> list[HistoryEntry]:
        rows = (
            apps.get_model(self.log)
            .objects.filter(**{f"{self.link}_id": object_id})
            .select_related("changed_by")
            .order_by("-changed_at", "-id")
        )
        return [
            HistoryEntry(
                at=row.changed_at,
                action=getattr(row, "action", RecordChange.Action.CHANGED),
                record_type=self.model.lower(),
                object_id=object_id,
                object_repr="",
                actor_name=_name(row.changed_by),
                via=row.via,
                changes={row.field: [row.old_value, row.new_value]} if row.field else {},
            )
            for row in rows
        ]


def _name(user: Model | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


_LEGACY = {
    "tracker.opportunity": _LegacyLog(
        "tracker.Opportunity", "tracker.OpportunityChange", "opportunity", "merger_id"
    ),
    "tracker.quota": _LegacyLog("tracker.Quota", "tracker.QuotaChange", "quota", "rep__merger_id"),
}
