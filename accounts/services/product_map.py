"""Writes of the product map: directed pairs "owners of P are candidates for Q".

Every change re-materialises the whitespace once the transaction commits, so
the candidates always follow the map.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger, Product, ProductMapping
from accounts.services.history import history_deleted, history_kept, history_recorded
from accounts.signals import whitespace_outdated
from core.access import User

EDITABLE_FIELDS = frozenset({"source", "target", "relation", "reason", "validated_with_customers"})


def _validate(*, merger_id: int, source: Product, target: Product, exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if source.company.merger_id != merger_id:
        errors["source"] = _("The source product belongs to another program.")
    if target.company.merger_id != merger_id:
        errors["target"] = _("The target product belongs to another program.")
    if source.pk == target.pk:
        errors["target"] = _("A product cannot be mapped to itself.")
    if errors:
        raise ValidationError(errors)
    duplicate = ProductMapping.objects.filter(source=source, target=target)
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise ValidationError({"target": _("This pair is already in the product map.")})


def _validate_choices(mapping: ProductMapping) -> None:
    mapping.full_clean(exclude=["merger", "source", "target", "created_by"], validate_unique=False)


@transaction.atomic
def product_mapping_create(
    *,
    actor: User,
    merger: Merger,
    source: Product,
    target: Product,
    relation: str,
    reason: str,
    validated_with_customers: bool = False,
) -> ProductMapping:
    _validate(merger_id=merger.pk, source=source, target=target, exclude_pk=None)
    mapping = ProductMapping(
        merger=merger,
        source=source,
        target=target,
        relation=relation,
        reason=reason,
        validated_with_customers=validated_with_customers,
        created_by=actor if actor.is_authenticated else None,
    )
    _validate_choices(mapping)
    mapping.save()
    history_recorded(actor=actor, instance=mapping)
    whitespace_outdated.send(sender=Merger, merger_id=merger.pk)
    return mapping


@transaction.atomic
def product_mapping_update(
    *, actor: User, mapping: ProductMapping, **fields: Any
) -> ProductMapping:
    """Changes any of EDITABLE_FIELDS; the pair stays within the mapping's program."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with history_kept(actor=actor, instance=mapping):
        for name, value in fields.items():
            setattr(mapping, name, value)
        _validate(
            merger_id=mapping.merger_id,
            source=mapping.source,
            target=mapping.target,
            exclude_pk=mapping.pk,
        )
        _validate_choices(mapping)
        mapping.save()
    whitespace_outdated.send(sender=Merger, merger_id=mapping.merger_id)
    return mapping


@transaction.atomic
def product_mapping_delete(*, actor: User, mapping: ProductMapping) -> None:
    merger_id = mapping.merger_id
    # The whitespace cells it produced cascade with it; the refresh then lets
    # any other mapping to the same product take their place.
    history_deleted(actor=actor, instance=mapping)
    whitespace_outdated.send(sender=Merger, merger_id=merger_id)
