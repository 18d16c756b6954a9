"""The names a page of replayed deals shows, each kind read once for the whole page.

A replay (tracker.deal_replay) keeps ids as they stood; the wins, a closed month's
open deals and the credited deals show names. Each kind is read on first use, in
one query, so a page's query count does not grow with its rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from accounts.models import Direction, Kind, Product, Segment, UnifiedAccount
from tracker.deal_replay import DealState
from tracker.models import Opportunity, Rep, Stage

DIRECTIONS = dict(Direction.choices)
KINDS = dict(Kind.choices)


@dataclass(frozen=True)
class ReplayedNames:
    states: Sequence[DealState]

    @cached_property
    def accounts(self) -> dict[int, str]:
        ids = {state.account_id for state in self.states}
        # A dict by id: not sorted by name, the accounts' default order.
        return dict(UnifiedAccount.objects.filter(pk__in=ids).order_by().values_list("pk", "name"))

    @cached_property
    def products(self) -> dict[int, Product]:
        ids = {state.product_id for state in self.states}
        return Product.objects.select_related("company").in_bulk(ids)

    @cached_property
    def owners(self) -> dict[int, Rep]:
        ids = {state.owner_id for state in self.states}
        return Rep.objects.select_related("user", "team").in_bulk(ids)

    @cached_property
    def stages(self) -> dict[int, str]:
        ids = {state.stage_id for state in self.states}
        return dict(Stage.objects.filter(pk__in=ids).values_list("pk", "name"))

    @cached_property
    def segments(self) -> dict[int, str]:
        ids = {state.segment_id for state in self.states}
        return dict(Segment.objects.filter(pk__in=ids).values_list("pk", "name"))

    @cached_property
    def existing(self) -> set[int]:
        """The deals not deleted since."""
        ids = [state.id for state in self.states]
        return set(Opportunity.objects.filter(pk__in=ids).order_by().values_list("pk", flat=True))

    def product_name(self, state: DealState) -> str:
        product = self.products.get(state.product_id)
        return product.name if product else ""

    def owner_name(self, state: DealState) -> str:
        owner = self.owners.get(state.owner_id)
        return str(owner) if owner else ""

    @staticmethod
    def direction(state: DealState) -> str:
        return str(DIRECTIONS.get(state.direction, state.direction))
