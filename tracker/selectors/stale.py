"""Stale opportunities: open, and untouched for longer than the program tolerates."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tracker.models import Opportunity, Stage
from tracker.pipeline_math import STALE_AFTER_DAYS


def stale_cutoff(*, today: date, stale_after_days: int = STALE_AFTER_DAYS) -> datetime:
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    return start_of_today - timedelta(days=stale_after_days)


def stale_opportunities(
    *, merger_id: int, today: date, stale_after_days: int = STALE_AFTER_DAYS
) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.filter(
            merger_id=merger_id,
            outcome=Stage.Outcome.OPEN,
            updated_at__lt=stale_cutoff(today=today, stale_after_days=stale_after_days),
        )
        .select_related("account", "product", "stage")
        .order_by("updated_at")
    )


def reps_with_stale_opportunities(
    *, merger_id: int, today: date, stale_after_days: int = STALE_AFTER_DAYS
) -> list[int]:
    stale = stale_opportunities(
        merger_id=merger_id, today=today, stale_after_days=stale_after_days
    )
    return sorted(set(stale.values_list("owner_id", flat=True)))
