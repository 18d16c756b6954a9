"""Stale opportunities: open, and not moved along for longer than the program tolerates.

The definition is tracker.figures.stale_q; the pipeline page, digests,
dashboards and the six-C Capacity indicator all count with it.
"""

from datetime import date

from django.db.models import QuerySet

from accounts.models import Merger
from tracker.figures import stale_q
from tracker.models import Opportunity


def stale_opportunities(*, merger_id: int, today: date) -> QuerySet[Opportunity]:
    days = Merger.objects.filter(pk=merger_id).values_list("stale_after_days", flat=True).get()
    return (
        Opportunity.objects.filter(stale_q(at=today, days=days), merger_id=merger_id)
        .select_related("account", "product", "stage")
        .order_by("progressed_at")
    )


def reps_with_stale_opportunities(*, merger_id: int, today: date) -> list[int]:
    stale = stale_opportunities(merger_id=merger_id, today=today)
    return sorted(set(stale.order_by().values_list("owner_id", flat=True)))
