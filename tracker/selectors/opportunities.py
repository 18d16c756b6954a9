"""Reads of opportunities and their history, scoped to the programs a user belongs to."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, QuerySet, Sum

from accounts.models import Holding, Kind, Product, ProductMapping, RecordChange
from accounts.selectors.history import (
    ACTION_LABELS,
    FieldLine,
    changes_of,
    history_lines,
    shown_value,
)
from core.access import User
from core.programs import merger_ids_for
from tracker.models import Opportunity, Rep
from tracker.opportunity_rules import CurrentSpend, RuleWarning, opportunity_warnings

Did = RecordChange.Action
# What an opportunity's API representation and its history rows show.
_RELATED = ("account", "product__company", "stage", "owner__user")


def opportunities_visible_to(*, user: User) -> QuerySet[Opportunity]:
    """Every opportunity of the user's programs; reads are not narrowed by owner."""
    return Opportunity.objects.filter(merger_id__in=merger_ids_for(user)).select_related(*_RELATED)


def opportunity_history(*, opportunity: Opportunity) -> list[FieldLine]:
    """The deal's changes field by field, newest first: a creation as one line, a reopening
    on its stage line (its other fields moved with it as plain changes)."""
    rows = changes_of(Opportunity, object_ids=[opportunity.pk]).select_related("actor")
    return [deal_line(line) for line in history_lines(rows)]


def deal_line(line: FieldLine) -> FieldLine:
    """A line of a deal's history as its lists show it."""
    if line.action == Did.CREATED:
        return replace(line, field="", old_value="", new_value="")
    if line.action == Did.REOPENED and line.field != "stage":
        return replace(line, action=Did.CHANGED)
    return line


def rep_of(*, user: User, merger_id: int) -> Rep | None:
    """The user's own seller record in a program, if they sell in it."""
    if not user.is_authenticated:
        return None
    return Rep.objects.filter(user=user, merger_id=merger_id, is_active=True).first()


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    action_label: str
    field: str
    field_label: str
    old_value: str
    new_value: str
    actor: str
    at: datetime


def _field_label(field: str) -> str:
    if not field:
        return ""
    try:
        return str(Opportunity._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # a field renamed since the row was written
        return field


def _shown(field: str, kept: str) -> str:
    return shown_value(Opportunity, field, kept) or ""


def opportunity_timeline(*, opportunity: Opportunity) -> list[TimelineEntry]:
    """Every recorded change, newest first, as a person reads it: one query."""
    return [
        TimelineEntry(
            action=change.action,
            action_label=str(ACTION_LABELS.get(change.action, change.action)),
            field=change.field,
            field_label=_field_label(change.field),
            old_value=_shown(change.field, change.old_value),
            new_value=_shown(change.field, change.new_value),
            actor=change.changed_by_name,
            at=change.changed_at,
        )
        for change in opportunity_history(opportunity=opportunity)
    ]


@dataclass(frozen=True)
class LastChange:
    actor: str
    at: datetime


def opportunity_last_change(*, opportunity_id: int) -> LastChange | None:
    """Who wrote the opportunity last, and when: what a refused stale save tells the user."""
    change = changes_of(Opportunity, object_ids=[opportunity_id]).first()
    if change is None:
        return None
    return LastChange(actor=change.actor_name, at=change.at)


def account_current_spend(*, account_id: int, product: Product) -> CurrentSpend | None:
    """The account's annual revenue on the product over all its CRM records.

    For a product the account does not own, the revenue of the product it
    upgrades from (product map relation "upgrade"), the largest if several.
    """
    owned = Holding.objects.filter(account__unified_id=account_id, product=product).aggregate(
        total=Sum("annual_revenue"), records=Count("id")
    )
    if owned["records"]:
        return CurrentSpend(amount=owned["total"], product_name=product.name)
    predecessor = (
        Holding.objects.filter(
            account__unified_id=account_id,
            product__maps_to__target=product,
            product__maps_to__relation=ProductMapping.Relation.UPGRADE,
        )
        .values("product__name")
        .annotate(total=Sum("annual_revenue"))
        .order_by("-total", "product__name")
        .first()
    )
    if predecessor is None:
        return None
    return CurrentSpend(
        amount=predecessor["total"], product_name=predecessor["product__name"], upgraded_from=True
    )


def opportunity_warnings_for(*, opportunity: Opportunity) -> list[RuleWarning]:
    """The rule-of-thumb warnings of this opportunity; reads the install base only for upsells."""
    spend = None
    if opportunity.kind == Kind.UPSELL and opportunity.amount > 0:
        spend = account_current_spend(
            account_id=opportunity.account_id, product=opportunity.product
        )
    return opportunity_warnings(
        kind=opportunity.kind,
        amount=opportunity.amount,
        current_spend=spend,
        typical_core_deal=opportunity.owner.typical_core_deal,
    )
