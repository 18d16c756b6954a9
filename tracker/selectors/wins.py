"""The wins feed: recent realized synergy (won cross-company deals), to celebrate."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from accounts.models import Merger
from tracker.figures import closed_in_q, realized_q
from tracker.models import Opportunity, Stage
from tracker.pipeline_math import PipelineFigures
from tracker.selectors.metrics import SYNERGY, Dimension, pipeline_figures


@dataclass(frozen=True)
class Win:
    opportunity_id: int
    rep: str
    team: str
    account: str
    product: str
    amount: Decimal
    closed_on: date
    direction: str
    customer_need: str


def wins_feed(
    *,
    merger_id: int,
    limit: int = 10,
    closed_from: date | None = None,
    closed_to: date | None = None,
    owner_ids: list[int] | None = None,
    opportunities: QuerySet[Opportunity] | None = None,
) -> list[Win]:
    """The newest wins; of `opportunities` only, where a filtered page narrows its deals."""
    deals = Opportunity.objects if opportunities is None else opportunities
    won = deals.filter(
        realized_q(closed_from=closed_from, closed_to=closed_to), merger_id=merger_id
    )
    if owner_ids is not None:
        won = won.filter(owner_id__in=owner_ids)
    rows = won.select_related("owner__user", "owner__team", "account", "product").order_by(
        "-closed_on", "-amount", "-id"
    )[:limit]
    return [_win(row) for row in rows]


def wins_figures(
    *, merger: Merger, closed_from: date, closed_to: date, today: date | None = None
) -> PipelineFigures:
    """The program's won figures of the period, as pipeline_figures counts them.

    Only the period's won deals are read, through the index on outcome and
    closing date, instead of every deal of the program: the open figures of the
    result stay zero, so this suits a page that shows wins only.
    """
    won = Opportunity.objects.filter(
        closed_in_q(closed_from=closed_from, closed_to=closed_to), outcome=Stage.Outcome.WON
    )
    figures = pipeline_figures(
        merger=merger,
        by=Dimension.PROGRAM,
        closed_from=closed_from,
        closed_to=closed_to,
        today=today,
        where=SYNERGY,
        opportunities=won,
    )
    return figures.get("program", PipelineFigures())


def wins_frozen(*, merger_id: int, frozen: list[dict]) -> list[Win]:
    """The wins a month-end snapshot kept, with the amount and date they had then."""
    rows = Opportunity.objects.filter(
        merger_id=merger_id, pk__in=[win["id"] for win in frozen]
    ).select_related("owner__user", "owner__team", "account", "product")
    by_id = {row.pk: row for row in rows}
    return [
        replace(
            _win(by_id[win["id"]]),
            amount=Decimal(win["amount"]),
            closed_on=date.fromisoformat(win["closed_on"]),
        )
        for win in frozen
        if win["id"] in by_id
    ]


def _win(row: Opportunity) -> Win:
    return Win(
        opportunity_id=row.pk,
        rep=str(row.owner),
        team=row.owner.team.name if row.owner.team else "",
        account=row.account.name,
        product=row.product.name,
        amount=row.amount,
        closed_on=row.closed_on,
        direction=row.get_direction_display(),
        customer_need=row.customer_need,
    )
