"""The pipeline board: columns per open stage, a card per deal, one click to move it on."""

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from core.access import Action, allowed
from core.web import ProgramAccessMixin
from tracker.selectors.board import CARDS_PER_COLUMN, pipeline_board
from tracker.views.filters import scoped_opportunity_filter

# The board shows every open stage side by side, sorted by close date: these
# filters of the list mean nothing here.
_LIST_ONLY_FILTERS = ("outcome", "stage", "closed_on_after", "closed_on_before", "sort")


class BoardView(ProgramAccessMixin, TemplateView):
    template_name = "tracker/board.html"
    resource = "opportunity"
    section = "pipeline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        scope, filterset = scoped_opportunity_filter(request=self.request, merger=self.merger)
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
