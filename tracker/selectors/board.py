"""The pipeline board: open deals in columns by stage, a bounded number of cards each."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from accounts.models import ZERO
from tracker.models import Opportunity, Stage
from tracker.selectors.pipeline import path_stages_of
from tracker.stage_path import PathStage, next_stage

CARDS_PER_COLUMN = 12
_CARD_RELATED = ("account", "product__company", "owner__user", "owner__team")


@dataclass(frozen=True)
class BoardColumn:
    stage: PathStage
    count: int
    amount: Decimal
    cards: list[Opportunity]
    # Where the card's "move on" button takes a deal of this column.
    next_stage: PathStage | None

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def pipeline_board(
    *, merger_id: int, opportunities: QuerySet[Opportunity], per_column: int = CARDS_PER_COLUMN
) -> list[BoardColumn]:
    """One column per open stage of the given deals, in three queries whatever the data:
    the stages, each column's count and amount, and the first cards of every column
    (soonest expected close first) picked by a window function in the database."""
    stages = path_stages_of(merger_id=merger_id)
    open_deals = opportunities.filter(outcome=Stage.Outcome.OPEN).order_by()
    totals = {
        row["stage_id"]: row
        for row in open_deals.values("stage_id").annotate(n=Count("pk"), amount=Sum("amount"))
    }
    ranked = (
        open_deals.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("stage_id")],
                order_by=[F("expected_close").asc(), F("amount").desc(), F("pk").asc()],
            )
        )
        .filter(place__lte=per_column)
        .select_related(*_CARD_RELATED)
        .order_by("stage_id", "place")
    )
    cards: dict[int, list[Opportunity]] = {}
    for card in ranked:
        cards.setdefault(card.stage_id, []).append(card)
    return [
        BoardColumn(
            stage=stage,
            count=totals.get(stage.id, {}).get("n", 0),
            amount=totals.get(stage.id, {}).get("amount") or ZERO,
            cards=cards.get(stage.id, []),
            next_stage=next_stage(stages, current_id=stage.id),
        )
        for stage in stages
        if stage.outcome == Stage.Outcome.OPEN
    ]
