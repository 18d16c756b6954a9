"""Supervision: the misconduct flags a leader looks at, per rep and per team."""

from typing import Any

from django.views.generic import TemplateView

from core.web import ProgramAccessMixin
from tracker.selectors.pipeline import pipeline_scope
from tracker.selectors.supervision import BURST_MIN_OPENED, REOPEN_MIN, THIN_NEED_CHARS
from tracker.selectors.supervision_overview import supervision_overview


class SupervisionView(ProgramAccessMixin, TemplateView):
    """Leaders see their team's reps; executives and sales ops the whole program."""

    template_name = "tracker/supervision.html"
    resource = "supervision"
    section = "pipeline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = pipeline_scope(user=self.request.user, merger=self.merger)
        return super().get_context_data(
            overview=supervision_overview(merger=self.merger, owner_ids=scope.owner_ids),
            scope=scope,
            burst_min=BURST_MIN_OPENED,
            thin_need_chars=THIN_NEED_CHARS,
            reopen_min=REOPEN_MIN,
            **kwargs,
        )
