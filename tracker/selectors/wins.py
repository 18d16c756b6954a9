"""The wins feed: recent realized synergy (won cross-company deals), to celebrate."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.figures import realized_q
from tracker.models import Opportunity


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
) -> list[Win]:
    won = Opportunity.objects.filter(
        realized_q(closed_from=closed_from, closed_to=closed_to), merger_id=merger_id
    )
    if owner_ids is not None:
        won = won.filter(owner_id__in=owner_ids)
    rows = won.select_related("owner__user", "owner__team", "account", "product").order_by(
        "-closed_on", "-amount", "-id"
    )[:limit]
    return [
        Win(
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
        for row in rows
    ]
