"""The pipeline board: columns per open stage, a card per deal, one click to move it on."""

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from core.access import Action, allowed
from core.web import ProgramAccessMixin
from tracker.selectors.board import CARDS_PER_COLUMN, pipeline_board
from tracker.selectors.pipeline import (
    ScopeKind,
    opportunities_for_list,
    pipeline_scope,
    reps_of,
)
from tracker.views.filters import OpportunityFilter

# The board shows every open stage side by side, sorted by close date: these
# filters of the list mean nothing here.
_LIST_ONLY_FILTERS = ("outcome", "stage", "sort")


class BoardView(ProgramAccessMixin, TemplateView):
    template_name = "tracker/board.html"
    resource = "opportunity"
    section = "pipeline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        scope = pipeline_scope(user=user, merger=self.merger)
        owners = None
        if scope.kind is not ScopeKind.MINE:
            owners = reps_of(merger_id=self.merger.pk)
            if scope.owner_ids is not None:
                owners = owners.filter(pk__in=scope.owner_ids)
        filterset = OpportunityFilter(
            self.request.GET or None,
            queryset=opportunities_for_list(merger_id=self.merger.pk, owner_ids=scope.owner_ids),
            merger=self.merger,
            owners=owners,
            user=user,
        )
        for name in _LIST_ONLY_FILTERS:
            del filterset.filters[name]
        columns = pipeline_board(merger_id=self.merger.pk, opportunities=filterset.qs)
        movable = {
            card.pk
            for column in columns
            for card in column.cards
            if allowed(user, Action.CHANGE, "opportunity", card)
        }
        return super().get_context_data(
            filter=filterset,
            columns=columns,
            movable=movable,
            per_column=CARDS_PER_COLUMN,
            scope=scope,
            list_query=self.request.GET.urlencode(),
            today=timezone.localdate(),
            currency=self.merger.reporting_currency,
            can_supervise=allowed(user, Action.VIEW, "supervision"),
            **kwargs,
        )
