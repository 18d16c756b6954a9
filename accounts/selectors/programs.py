"""The programs a user works on, and which one their pages show."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accounts.access import User, merger_ids_for
from accounts.models import LegacyCompany, Merger, Product, UnifiedAccount

# The session remembers the program a user last switched to.
CURRENT_PROGRAM_SESSION_KEY = "current_merger_id"


def programs_for(*, user: User) -> QuerySet[Merger]:
    return Merger.objects.filter(pk__in=merger_ids_for(user)).only("id", "name")


def current_merger(request: HttpRequest) -> Merger | None:
    """The program chosen in the session, else the user's first; None without one.

    Cached on the request: the layout and the view both ask for it.
    """
    if hasattr(request, "_current_merger"):
        return request._current_merger
    ids = merger_ids_for(request.user)
    chosen = request.session.get(CURRENT_PROGRAM_SESSION_KEY) if ids else None
    mergers = Merger.objects.filter(pk__in=ids)
    merger = None
    if chosen in ids:
        merger = mergers.filter(pk=chosen).first()
    if merger is None and ids:
        merger = mergers.order_by("name", "pk").first()
    request._current_merger = merger
    return merger


def current_merger_set(*, request: HttpRequest, merger_id: int) -> Merger | None:
    """Switches the session to a program the user belongs to; None if they do not."""
    if merger_id not in merger_ids_for(request.user):
        return None
    merger = Merger.objects.filter(pk=merger_id).first()
    if merger is not None:
        request.session[CURRENT_PROGRAM_SESSION_KEY] = merger.pk
        request._current_merger = merger
    return merger


@dataclass(frozen=True)
class ProgramOverview:
    merger: Merger
    horizon_end: dt.date
    companies: list[LegacyCompany]
    status_counts: dict[str, int]
    account_total: int
    product_count: int


def program_overview(*, merger: Merger) -> ProgramOverview:
    """Headline figures of a program in a fixed number of queries."""
    counts = dict(
        UnifiedAccount.objects.filter(merger=merger)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    status_counts = {status: counts.get(status, 0) for status in UnifiedAccount.Status.values}
    return ProgramOverview(
        merger=merger,
        horizon_end=merger.day_one + relativedelta(months=merger.horizon_months),
        companies=list(LegacyCompany.objects.filter(merger=merger)),
        status_counts=status_counts,
        account_total=sum(status_counts.values()),
        product_count=Product.objects.filter(company__merger=merger).count(),
    )
