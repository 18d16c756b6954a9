"""What the services that edit a record by keyword share."""

from collections.abc import Collection
from typing import Any

from django.db import models


def fields_assigned(
    instance: models.Model, fields: dict[str, Any], editable: Collection[str]
) -> set[str]:
    """Sets `fields` on `instance`; returns the names whose value changed.

    A name outside `editable` is a programming error, not the user's: the
    forms and serializers offer only editable fields.
    """
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = {name for name, value in fields.items() if getattr(instance, name) != value}
    for name, value in fields.items():
        setattr(instance, name, value)
    return changed
