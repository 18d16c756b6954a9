"""Reads of the companies' core (non-program) win rates that sales ops enters."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import LegacyCompany, Merger
from accounts.percent import percent
from tracker.figures import win_rate
from tracker.models import CoreWinRate, Quota
from tracker.pipeline_math import add_months


def core_win_rates_of(*, merger: Merger) -> QuerySet[CoreWinRate]:
    """Every record of the program, newest period first, with who entered it."""
    return (
        CoreWinRate.objects.filter(merger=merger)
        .select_related("company", "entered_by")
        # "acquirer" sorts after "acquired": descending puts the acquirer first.
        .order_by("-period_start", "-company__role", "company__name")
    )


def core_outcomes_within(
    *, merger: Merger, month_from: date, month_to: date
) -> dict[int, tuple[int, int]]:
    """{company id: (won, lost)} over the records whose whole period lies in the months.

    A quarter counts once all three of its months are inside the range, so a
    window of twelve months never takes in deals from outside it.
    """
    rows = _within(merger, month_from, month_to)
    return {row["company_id"]: (row["won"], row["lost"]) for row in rows}


def _within(merger: Merger, month_from: date, month_to: date) -> list[dict]:
    inside = Q(period_kind=Quota.Period.MONTH, period_start__lte=month_to) | Q(
        period_kind=Quota.Period.QUARTER, period_start__lte=add_months(month_to, -2)
    )
    return list(
        CoreWinRate.objects.filter(inside, merger=merger, period_start__gte=month_from)
        .values("company_id")
        .annotate(won=Sum("won_count"), lost=Sum("lost_count"), periods=Count("id"))
        .order_by()
    )


@dataclass(frozen=True)
class CompanyCoreRate:
    company: LegacyCompany
    won: int
    lost: int
    periods: int

    @property
    def win_rate(self) -> Decimal | None:
        return win_rate(won=self.won, lost=self.lost)

    @property
    def win_rate_pct(self) -> Decimal | None:
        return percent(self.win_rate)


def core_win_rate_summary(
    *, merger: Merger, month_from: date, month_to: date
) -> list[CompanyCoreRate]:
    """Each company's core win rate over the months, and how many records make it."""
    counts = {row["company_id"]: row for row in _within(merger, month_from, month_to)}
    return [
        CompanyCoreRate(
            company=company,
            won=counts.get(company.pk, {}).get("won") or 0,
            lost=counts.get(company.pk, {}).get("lost") or 0,
            periods=counts.get(company.pk, {}).get("periods") or 0,
        )
        # The acquirer first ("acquirer" sorts after "acquired").
        for company in LegacyCompany.objects.filter(merger=merger).order_by("-role", "name")
    ]
