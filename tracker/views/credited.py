"""The deals behind a rep's or a team's credited cross-sell won, from the quota board and
the compensation page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Merger
from core.web import check_object_access, get_program_object_or_404, program_view
from tracker.frozen_notes import credited_deals_notes
from tracker.models import Rep, Team
from tracker.quota_math import Period
from tracker.selectors.credited_deals import CreditedDeals, credited_deals, team_credited_deals
from tracker.views.quota_forms import chosen_period, period_label


@program_view("quota", section="quotas")
def credited_deals_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    rep = get_program_object_or_404(
        request, Rep.objects.filter(merger=merger).select_related("user", "team", "merger"), pk=pk
    )
    # Whoever may see the rep's attainment on the quota board may see what makes it up.
    check_object_access(request, "quota", rep)
    period = chosen_period(request.GET.get("period"), today=timezone.localdate())
    credited = credited_deals(
        merger=merger, rep=rep, first=period.start, last_month=period.last_month
    )
    return _render(request, merger, period, credited)


@program_view("quota", section="quotas")
def team_credited_deals_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    team = get_program_object_or_404(
        request, Team.objects.filter(merger=merger).select_related("merger"), pk=pk
    )
    check_object_access(request, "quota", team)
    period = chosen_period(request.GET.get("period"), today=timezone.localdate())
    credited = team_credited_deals(
        merger=merger, team=team, first=period.start, last_month=period.last_month
    )
    return _render(request, merger, period, credited)


def _render(
    request: HttpRequest, merger: Merger, period: Period, credited: CreditedDeals
) -> HttpResponse:
    return render(
        request,
        "tracker/credited_deals.html",
        {
            "merger": merger,
            "period": period,
            "period_label": period_label(period),
            "credited": credited,
            "of_team": isinstance(credited.subject, Team),
            "frozen_notes": credited_deals_notes(
                frozen_months=credited.frozen_months,
                listed=credited.frozen_listed,
                frozen=credited.frozen_figure,
                of_team=isinstance(credited.subject, Team),
                credits_kept=credited.credits_kept,
            ),
        },
    )
