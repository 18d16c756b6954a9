"""A rep's home: the landing page of someone who sells in the program."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Merger
from accounts.selectors.whitespace import cell_opportunity_url
from core.access import Role, User, roles_of
from core.web import program_view
from tracker.selectors.home import own_rep_of, rep_home
from tracker.services.home import home_visit_record


def rep_landing(*, user: User, merger: Merger) -> str | None:
    """Reps land on their home; leaders, executives and ops on the program overview."""
    if roles_of(user) != {Role.REP} or own_rep_of(user=user, merger=merger) is None:
        return None
    return reverse("tracker:rep_home")


@program_view("opportunity", section="pipeline")
def rep_home_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    rep = own_rep_of(user=request.user, merger=merger)
    context: dict[str, Any] = {"merger": merger, "rep": rep}
    if rep is not None:
        home = rep_home(user=request.user, merger=merger, rep=rep)
        context["home"] = home
        context["whitespace"] = [(cell, cell_opportunity_url(cell)) for cell in home.whitespace]
        context["currency"] = merger.reporting_currency
    return render(request, "tracker/rep_home.html", context)


@require_POST
@program_view("opportunity", section="pipeline")
def rep_home_seen(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """What the home showed is seen: the next visit counts changes from now."""
    home_visit_record(user=request.user, merger=merger)
    if request.POST.get("beacon"):
        return HttpResponse(status=204)
    return redirect("tracker:rep_home")
