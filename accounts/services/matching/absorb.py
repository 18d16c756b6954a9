"""Absorbing emptied unified accounts into their heirs.

Opportunities and everything else that points at an emptied account follow
it, found through the model's relations so that this app imports no app
built on it.
"""

from collections import defaultdict
from itertools import batched
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import SourceAccount, UnifiedAccount
from accounts.services.matching.rows import update_rows

ABSORB_BATCH = 500


class MergeConflict(ValidationError):
    """Both accounts hold a row that may exist only once per account."""


def _unique_sets_with(model: type[models.Model], field_name: str) -> list[tuple[list[str], Any]]:
    sets = [
        ([f for f in constraint.fields if f != field_name], constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields
    ]
    sets += [
        ([f for f in together if f != field_name], None)
        for together in model._meta.unique_together
        if field_name in together
    ]
    return sets


def _colliding_rows(
    model: type[models.Model], field: models.Field, mapping: dict[int, int]
) -> dict[int, set[int]]:
    """Rows that would break a unique constraint once repointed, by old account id."""
    collisions: dict[int, set[int]] = defaultdict(set)
    for others, condition in _unique_sets_with(model, field.name):
        rows = model._base_manager.filter(
            **{f"{field.attname}__in": {*mapping, *mapping.values()}}
        )
        if condition is not None:
            rows = rows.filter(condition)
        seen: dict[tuple, int] = {}
        # Rows already on a kept account come first, so they are the ones that stay.
        ordered = sorted(
            rows.values_list("pk", field.attname, *others),
            key=lambda row: (row[1] in mapping, row[0]),
        )
        for pk, account_id, *values in ordered:
            key = (mapping.get(account_id, account_id), *values)
            if key in seen:
                collisions[account_id].add(pk)
            else:
                seen[key] = pk
    return collisions


def _relations() -> list[models.ForeignObjectRel]:
    return [
        rel
        for rel in UnifiedAccount._meta.related_objects
        if not rel.many_to_many and rel.related_model is not SourceAccount
    ]


def unified_accounts_absorb(mapping: dict[int, int], *, skip_conflicts: bool) -> set[int]:
    """Repoint everything that refers to each old account onto its heir, then
    delete the old accounts. Rows that may exist once per account and exist on
    both: derived rows (deleted with their account) are dropped; any other
    raises MergeConflict, or with `skip_conflicts` leaves that old account
    in place. Returns the old ids that were absorbed."""
    absorbed: set[int] = set()
    for chunk in batched(sorted(mapping.items()), ABSORB_BATCH):
        absorbed |= _absorb_chunk(dict(chunk), skip_conflicts=skip_conflicts)
    return absorbed


def _absorb_chunk(mapping: dict[int, int], *, skip_conflicts: bool) -> set[int]:
    for rel in _relations():
        collisions = _colliding_rows(rel.related_model, rel.field, mapping)
        if rel.on_delete is models.CASCADE:
            doomed = {pk for pks in collisions.values() for pk in pks}
            rel.related_model._base_manager.filter(pk__in=doomed).delete()
        elif collisions and not skip_conflicts:
            raise MergeConflict(
                _("Both accounts have %(items)s that may exist only once per account.")
                % {"items": rel.related_model._meta.verbose_name_plural}
            )
        else:
            for old in collisions:
                mapping.pop(old, None)
    for rel in _relations():
        rows = rel.related_model._base_manager.filter(
            **{f"{rel.field.attname}__in": list(mapping)}
        ).values_list("pk", rel.field.attname)
        moved = [(mapping[old], pk) for pk, old in rows]
        update_rows(rel.related_model, [rel.field.name], moved)
    UnifiedAccount.objects.filter(id__in=list(mapping)).delete()
    return set(mapping)
