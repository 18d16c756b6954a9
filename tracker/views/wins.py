"""The celebrate page: the month's won cross-sell deals, with who won them and why."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView

from core.access import Action, allowed
from core.dates import date_plausible
from core.web import ProgramAccessMixin
from tracker.models import Opportunity
from tracker.pipeline_math import add_months, month_end
from tracker.selectors.pipeline import pipeline_scope
from tracker.selectors.wins import closed_month_wins, wins_feed, wins_figures
from tracker.views.wins_forms import WinsFilterForm

WINS_SHOWN = 100


def _month(raw: str | None, *, today: dt.date) -> dt.date:
    """The first of the month named YYYY-MM, or of the current month."""
    try:
        month = dt.datetime.strptime(raw or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    if not date_plausible(month):
        return today.replace(day=1)
    return min(month, today.replace(day=1))


class WinsView(ProgramAccessMixin, TemplateView):
    template_name = "tracker/wins.html"
    resource = "opportunity"
    section = "pipeline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        month = _month(self.request.GET.get("month"), today=today)
        form = WinsFilterForm(self.request.GET or None, merger=self.merger)
        # A dashboard's slice (segment, team, rep, direction, company): its wins of the month
        # add up to what the slice's impact chart shows for it.
        where = form.where()
        # A closed month's wins and figures as its snapshot froze them, as the dashboard
        # and the board pack show them; a later edit is a restatement, not a new past.
        frozen = closed_month_wins(merger=self.merger, month=month, where=where)
        if frozen is None:
            last_day = month_end(month)
            # Filtered once: the list and its totals read the same deals.
            deals = where.apply(Opportunity.objects.all())
            wins = wins_feed(
                merger_id=self.merger.pk,
                limit=WINS_SHOWN,
                closed_from=month,
                closed_to=last_day,
                opportunities=deals,
            )
            totals = wins_figures(
                merger=self.merger,
                closed_from=month,
                closed_to=last_day,
                today=today,
                opportunities=deals,
            )
        else:
            wins, totals = frozen.wins[:WINS_SHOWN], frozen.figures
        next_month = add_months(month, 1)
        return super().get_context_data(
            wins=wins,
            totals=totals,
            frozen_at=frozen.frozen_at if frozen else None,
            filter={"form": form},
            slice_query=urlencode(form.slice_params()),
            month=month,
            previous_month=add_months(month, -1),
            next_month=next_month if next_month <= today else None,
            currency=self.merger.reporting_currency,
            scope=pipeline_scope(user=self.request.user, merger=self.merger),
            can_supervise=allowed(self.request.user, Action.VIEW, "supervision"),
            **kwargs,
        )
