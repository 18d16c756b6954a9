"""{% record_history_of record as entries %}: the history a record's page shows."""

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model

from accounts.selectors.history import (
    HistoryEntry,
    login_history,
    record_history,
    record_type_of,
)
from core.access import Action, allowed
from core.programs import merger_ids_for

register = template.Library()

SHOWN = 20


@register.simple_tag(takes_context=True)
def record_history_of(context: template.Context, record: Model | None) -> list[HistoryEntry]:
    """The newest changes of `record`; none for a new record or a user who may not read history."""
    request = context.get("request")
    if record is None or record.pk is None or request is None:
        return []
    if not allowed(request.user, Action.VIEW, "history"):
        return []
    if isinstance(record, AbstractBaseUser):
        if not allowed(request.user, Action.VIEW, "user"):
            return []
        entries = login_history(merger_ids=merger_ids_for(request.user), person_id=record.pk)
        return entries[:SHOWN]
    entries = record_history(
        merger_ids=merger_ids_for(request.user),
        record_type=record_type_of(type(record)),
        object_id=record.pk,
    )
    return (entries or [])[:SHOWN]
