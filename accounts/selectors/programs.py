"""What a program is made of: its headline figures and its horizon."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from accounts.models import LegacyCompany, Merger, Product, UnifiedAccount


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


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
        horizon_end=add_months(merger.day_one, merger.horizon_months),
        companies=list(LegacyCompany.objects.filter(merger=merger)),
        status_counts=status_counts,
        account_total=sum(status_counts.values()),
        product_count=Product.objects.filter(company__merger=merger).count(),
    )
