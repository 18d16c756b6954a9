"""The pipeline list: a rep's own, a leader's team, the whole program; and its bulk action."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from accounts.models import Merger
from core.access import Action, allowed
from core.web import ProgramAccessMixin, back_to_next, program_view
from tracker.pipeline_math import PipelineFigures
from tracker.selectors.metrics import month_to_date_figures
from tracker.selectors.pipeline import reps_covered_by
from tracker.services.bulk import BulkStatus, opportunities_bulk_change
from tracker.views.filters import OpportunityFilter, scoped_opportunity_filter
from tracker.views.forms import BulkForm

PAGE_SIZE = 50
REFUSALS_SHOWN = 20


class PipelineView(ProgramAccessMixin, TemplateView):
    """My opportunities for a rep, the team's for a leader, all for executives and ops."""

    template_name = "tracker/pipeline.html"
    resource = "opportunity"
    section = "pipeline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        scope, filterset = scoped_opportunity_filter(request=self.request, merger=self.merger)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        can_bulk = allowed(user, Action.CHANGE, "opportunity_bulk")
        bulk_form = None
        if can_bulk:
            bulk_form = BulkForm(
                merger=self.merger,
                owners=reps_covered_by(user=user, merger=self.merger),
                initial={"next": self.request.get_full_path()},
            )
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            scope=scope,
            figures=_figures(self.merger, filterset),
            bulk_form=bulk_form,
            can_create=allowed(user, Action.CREATE, "opportunity"),
            can_supervise=allowed(user, Action.VIEW, "supervision"),
            **kwargs,
        )


def _figures(merger: Merger, filterset: OpportunityFilter) -> PipelineFigures:
    """Open, weighted and won this month for the rows in view, every filter applied."""
    return month_to_date_figures(
        merger=merger, opportunities=filterset.qs, today=timezone.localdate()
    )


@program_view("opportunity_bulk", Action.CHANGE)
@require_POST
def pipeline_bulk(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Changes stage or owner of the selected rows, one service call each, and reports back."""
    form = BulkForm(
        request.POST, merger=merger, owners=reps_covered_by(user=request.user, merger=merger)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back_to_next(request, request.POST.get("next"), default="tracker:pipeline")
    data = form.cleaned_data
    outcome = opportunities_bulk_change(
        actor=request.user,
        merger=merger,
        items=data["selected"],
        stage=data.get("stage"),
        owner=data.get("owner"),
        closed_on=data.get("closed_on"),
        lost_reason=data.get("lost_reason") or "",
    )
    changed, refused = outcome.count(BulkStatus.CHANGED), outcome.refused
    messages.success(
        request,
        ngettext("%(count)d opportunity changed.", "%(count)d opportunities changed.", changed)
        % {"count": changed},
    )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)d opportunity was refused; nothing was written for it:",
                "%(count)d opportunities were refused; nothing was written for them:",
                len(refused),
            )
            % {"count": len(refused)},
        )
        for result in refused[:REFUSALS_SHOWN]:
            messages.warning(
                request,
                _("#%(id)s: %(reason)s") % {"id": result.opportunity_id, "reason": result.message},
            )
    return back_to_next(request, data.get("next"), default="tracker:pipeline")
