from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.models import UnifiedAccount
from accounts.selectors.programs import ProgramOverview, program_overview
from core import panels
from core.charts import Chart
from core.web import ProgramAccessMixin

# One colour per customer status, shared with the CSS palette.
STATUS_COLORS = {
    UnifiedAccount.Status.ACQUIRER_ONLY: "var(--color-acquirer)",
    UnifiedAccount.Status.ACQUIRED_ONLY: "var(--color-acquired)",
    UnifiedAccount.Status.BOTH: "var(--color-both)",
    UnifiedAccount.Status.PROSPECT: "var(--color-prospect)",
    UnifiedAccount.Status.NEITHER: "var(--color-greenfield)",
}


def status_chart(overview: ProgramOverview) -> Chart:
    labels = [str(label) for label in UnifiedAccount.Status.labels]
    counts = [overview.status_counts[status] for status in UnifiedAccount.Status.values]
    return Chart(
        id="status-chart",
        title=_("Unified accounts by customer status"),
        figure={
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "x": counts,
                    "y": labels,
                    "marker": {"color": [STATUS_COLORS[s] for s in UnifiedAccount.Status]},
                    "hovertemplate": "%{y}: %{x}<extra></extra>",
                }
            ],
            "layout": {"yaxis": {"autorange": "reversed"}, "xaxis": {"rangemode": "tozero"}},
        },
        columns=[_("Customer status"), _("Accounts")],
        rows=list(zip(labels, counts, strict=True)),
    )


class HomeView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/home.html"
    resource = "merger"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A rep's home is their own desk; ?overview shows the program's overview.
        if "overview" not in request.GET:
            landing = panels.landing_for(user=request.user, merger=self.merger)
            if landing:
                return redirect(landing)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        overview = program_overview(merger=self.merger)
        return super().get_context_data(
            overview=overview,
            chart=status_chart(overview) if overview.account_total else None,
            panels=panels.panels_for(panels.HOME, user=self.request.user, merger=self.merger),
            top_panels=panels.panels_for(
                panels.HOME_TOP, user=self.request.user, merger=self.merger
            ),
            **kwargs,
        )
