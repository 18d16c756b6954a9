"""Small programs for the journeys, built with the factories and the services."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Direction, Merger
from tests import factories
from tracker.models import Stage, SynergyTarget

OPEN, WON, LOST = Stage.Outcome.OPEN, Stage.Outcome.WON, Stage.Outcome.LOST
STAGES = (
    (1, "Identified", 10, OPEN),
    (2, "Proposal", 60, OPEN),
    (8, "Closed won", 100, WON),
    (9, "Closed lost", 0, LOST),
)


def sales_stages(merger: Merger) -> dict[str, Stage]:
    """The program's stages by name, as sales ops would set them up."""
    return {
        name: factories.StageFactory(
            merger=merger,
            name=name,
            order=order,
            probability=probability,
            outcome=outcome,
            forecast_category=(
                Stage.Forecast.PIPELINE if outcome == OPEN else Stage.Forecast.CLOSED
            ),
        )
        for order, name, probability, outcome in STAGES
    }


def first_of_month(day: dt.date, months_back: int = 0) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def named(user, first: str, last: str):
    """Faker gives personas random names; journeys read names off the page."""
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def deal(merger: Merger, *, account: str, stage: Stage, amount: str, **fields):
    """An opportunity opened on Day 1 on a new account; `fields` name owner, product, segment."""
    return factories.OpportunityFactory(
        merger=merger,
        account=factories.UnifiedAccountFactory(
            merger=merger, name=account, segment=fields.get("segment")
        ),
        stage=stage,
        outcome=stage.outcome,
        probability=stage.probability,
        direction=Direction.B_TO_A,
        amount=Decimal(amount),
        created_at=timezone.make_aware(dt.datetime.combine(merger.day_one, dt.time(9))),
        **fields,
    )


def monthly_targets(merger: Merger, *, today: dt.date, amount: str) -> None:
    """The deal model's cross-sell target for every month from Day 1 to this one."""
    month = merger.day_one.replace(day=1)
    while month <= today:
        SynergyTarget.objects.create(merger=merger, month=month, cross_sell=Decimal(amount))
        month = first_of_month(month, -1)
