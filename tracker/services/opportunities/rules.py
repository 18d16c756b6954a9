"""The rules an opportunity must keep: its own values, its dates, its program, and one
open opportunity per account and product.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ZERO, Direction, Kind
from tracker.models import MAX_CUSTOMER_NEED, Opportunity
from tracker.services.opportunities.errors import DuplicateOpen, Problems
from tracker.services.opportunities.shared import LOST, OPEN, WON


def opportunity_problems(
    *,
    outcome: str,
    amount: Decimal,
    probability: int,
    closed_on: dt.date | None,
    lost_reason: str,
    customer_need: str,
    kind: str,
    direction: str,
    today: dt.date,
) -> Problems:
    """The rules an opportunity's own values must satisfy, by field; empty if none broken."""
    problems: Problems = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not customer_need.strip():
        add("customer_need", _("Say why the customer needs it."))
    elif len(customer_need) > MAX_CUSTOMER_NEED:
        add(
            "customer_need",
            _("Say it in at most %(max)d characters.") % {"max": MAX_CUSTOMER_NEED},
        )
    if kind not in Kind.values:
        add("kind", _("Unknown kind."))
    if direction not in Direction.values:
        add("direction", _("Unknown direction."))
    if amount < ZERO:
        add("amount", _("The amount cannot be negative."))
    if not 0 <= probability <= 100:
        add("probability", _("The probability is a percentage from 0 to 100."))
    if outcome == WON:
        if amount <= ZERO:
            add("amount", _("A won opportunity needs an amount above zero."))
        if closed_on is None:
            add("closed_on", _("A won opportunity needs a close date."))
        if probability != 100:
            add("probability", _("A won opportunity has a probability of 100%."))
    elif outcome == LOST:
        if not lost_reason.strip():
            add("lost_reason", _("A lost opportunity needs a reason."))
        if probability != 0:
            add("probability", _("A lost opportunity has a probability of 0%."))
    elif closed_on is not None:
        add("closed_on", _("An open opportunity has no close date."))
    if closed_on is not None and closed_on > today:
        add("closed_on", _("The close date cannot be in the future."))
    return problems


def validate(
    opportunity: Opportunity, *, new_product: bool, extra: Problems | None = None
) -> None:
    """Refuses the opportunity with every broken rule by field (and `extra`'s), then a
    second open one for its account and product."""
    problems = _program_problems(opportunity, new_product=new_product)
    for field, messages in _date_problems(opportunity, today=timezone.localdate()).items():
        problems.setdefault(field, []).extend(messages)
    for field, messages in (extra or {}).items():
        problems.setdefault(field, []).extend(messages)
    for field, messages in opportunity_problems(
        outcome=opportunity.outcome,
        amount=opportunity.amount,
        probability=opportunity.probability,
        closed_on=opportunity.closed_on,
        lost_reason=opportunity.lost_reason,
        customer_need=opportunity.customer_need,
        kind=opportunity.kind,
        direction=opportunity.direction,
        today=timezone.localdate(),
    ).items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    _raise_if_duplicate(opportunity)


# How far from the program's Day 1 and from today a deal's dates may lie.
DATE_SLACK_YEARS = 10


def opportunity_date_range(*, day_one: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates an opportunity may name: Day 1 - 10 years to today + 10 years."""
    return _years_from(day_one, -DATE_SLACK_YEARS), _years_from(today, DATE_SLACK_YEARS)


def _years_from(day: dt.date, years: int) -> dt.date:
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def _date_problems(opportunity: Opportunity, *, today: dt.date) -> Problems:
    first, last = opportunity_date_range(day_one=opportunity.merger.day_one, today=today)
    message = _("Give a date from %(first)s to %(last)s.") % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    return {
        field: [message]
        for field in ("expected_close", "closed_on")
        if (value := getattr(opportunity, field)) is not None and not first <= value <= last
    }


def _program_problems(opportunity: Opportunity, *, new_product: bool) -> Problems:
    problems: Problems = {}
    elsewhere = _("It belongs to another program.")
    merger_ids = {
        "account": opportunity.account.merger_id,
        "product": opportunity.product.company.merger_id,
        "owner": opportunity.owner.merger_id,
        "stage": opportunity.stage.merger_id,
    }
    for field, merger_id in merger_ids.items():
        if merger_id != opportunity.merger_id:
            problems[field] = [elsewhere]
    if not opportunity.owner.is_active and "owner" not in problems:
        problems["owner"] = [_("The owner is no longer an active rep.")]
    if new_product and not opportunity.product.is_active and "product" not in problems:
        problems["product"] = [_("The product is no longer offered.")]
    return problems


def _first_open_id(opportunity: Opportunity) -> int | None:
    if opportunity.outcome != OPEN:
        return None
    return (
        Opportunity.objects.filter(
            account_id=opportunity.account_id, product_id=opportunity.product_id, outcome=OPEN
        )
        .exclude(pk=opportunity.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _raise_if_duplicate(opportunity: Opportunity) -> None:
    problems = _duplicate_problems(opportunity)
    if problems:
        raise DuplicateOpen(problems, existing_id=_first_open_id(opportunity))


def _duplicate_problems(opportunity: Opportunity) -> Problems:
    first = _first_open_id(opportunity)
    if first is None:
        return {}
    message = _(
        "This account already has an open opportunity for this product: #%(id)s. "
        "Work on that one instead."
    ) % {"id": first}
    return {"product": [message]}


@contextmanager
def duplicate_guard(opportunity: Opportunity) -> Iterator[None]:
    """A concurrent duplicate passes the check and meets the DB constraint instead."""
    try:
        yield
    except IntegrityError:
        problems = _duplicate_problems(opportunity)
        if problems:
            raise DuplicateOpen(problems, existing_id=_first_open_id(opportunity)) from None
        raise
