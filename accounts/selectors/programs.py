"""What a program is made of: its headline figures and its horizon."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count

from accounts.models import LegacyCompany, Merger, Product, UnifiedAccount


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
    # COUNT(*), not COUNT(id): the rows are counted from the (merger, status, ...)
    # index alone, without reading the program's accounts from the table.
    counts = dict(
        UnifiedAccount.objects.filter(merger=merger)
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))
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


def program_named(*, reference: str) -> Merger | None:
    """The program a command line names, by its exact name or else by its id."""
    found = Merger.objects.filter(name=reference).first()
    if found is None and reference.isdecimal():
        found = Merger.objects.filter(pk=int(reference)).first()
    return found
