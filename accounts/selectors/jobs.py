"""Background jobs (imports and exports) as their owners and the beat task see them."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone


def jobs_stalled(*, jobs: QuerySet, now: datetime | None = None) -> QuerySet:
    """Jobs queued or running with no sign of life for JOB_STALLED_AFTER_MINUTES.

    A queued job's message was lost (a broker without persistence restarted) or
    no worker runs; a running one's worker died and Redis will only hand the task
    to another after the visibility timeout.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.JOB_STALLED_AFTER_MINUTES)
    return jobs.filter(status__in=["queued", "running"]).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
