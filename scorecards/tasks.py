"""Celery tasks of the scorecards app: each takes ids and calls one service.

The `enqueue_*` functions are the one place these tasks are queued from:
`connect` wires them at start-up to the signals the services send, so no
service imports this module.
"""

from datetime import date
from functools import partial
from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Merger
from core.signals import program_data_changed
from core.task_queue import enqueue_on_commit, task_send
from scorecards.services.exports import (
    export_jobs_fail_stalled,
    export_not_started,
    export_run,
    monthly_exports_send,
    previous_month,
)
from scorecards.services.month_close import month_close, months_to_close
from scorecards.services.scores import (
    program_data_changed_record,
    scores_recompute,
)
from scorecards.signals import export_requested

RECOMPUTE_DEBOUNCE_SECONDS = 60


@shared_task(name="scorecards.recompute_scores", acks_late=True)
def recompute_scores(merger_id: int, month: str) -> int:
    return scores_recompute(merger_id=merger_id, month=date.fromisoformat(month)).changed_scores


@shared_task(name="scorecards.close_months", acks_late=True)
def close_months(merger_id: int) -> int:
    """Closes every ended month of the program not closed yet, in order; idempotent."""
    months = months_to_close(merger_id=merger_id)
    for month in months:
        month_close(merger_id=merger_id, month=month)
    return len(months)


@shared_task(name="scorecards.close_due_months")
def close_due_months() -> int:
    """Beat, daily: each program's ended months get their snapshot and frozen scores."""
    queued = 0
    for merger_id in Merger.objects.values_list("id", flat=True):
        if months_to_close(merger_id=merger_id):
            close_months.delay(merger_id)
            queued += 1
    return queued


@shared_task(name="scorecards.recompute_current_month_scores")
def recompute_current_month_scores() -> int:
    """Beat, daily: each running program's scores of the month, as of the new day.

    An open month's stored scores are a day's (stale deals and windows move with
    the date), so without this the first viewer of each day would wait for the
    whole program to be scored on the fly, seconds on a large program.
    """
    today = timezone.localdate()
    month = today.replace(day=1).isoformat()
    queued = 0
    for merger_id in Merger.objects.filter(day_one__lte=today).values_list("id", flat=True):
        recompute_scores.delay(merger_id, month)
        queued += 1
    return queued


@shared_task(name="scorecards.run_export", acks_late=True)
def run_export(job_id: int) -> str:
    return export_run(job_id=job_id).status


@shared_task(name="scorecards.send_monthly_export", acks_late=True)
def send_monthly_export(merger_id: int, month: str) -> int:
    return monthly_exports_send(merger_id=merger_id, month=date.fromisoformat(month))


@shared_task(name="scorecards.send_monthly_exports")
def send_monthly_exports() -> int:
    """Beat, on the 1st: last month's board pack to each program's executives."""
    month = previous_month()
    queued = 0
    for merger_id, day_one in Merger.objects.values_list("id", "day_one"):
        if day_one.replace(day=1) <= month:
            send_monthly_export.delay(merger_id, month.isoformat())
            queued += 1
    return queued


def enqueue_scores_recompute(*, merger_id: int, **signal_kwargs) -> None:
    """Recompute this month's scores after a data change commits, at most once a minute.

    Connected to core.signals.program_data_changed, which the services of
    every app send after they write. The change is noted first, so that pages
    score the month on the fly until the recompute has stored fresh scores.
    """
    program_data_changed_record(merger_id=merger_id)
    key = f"scores-recompute:{merger_id}"
    if not cache.add(key, 1, RECOMPUTE_DEBOUNCE_SECONDS):
        return
    month = timezone.localdate().replace(day=1).isoformat()
    # The data change is saved either way; a queue that is down only delays the scores.
    enqueue_on_commit(
        recompute_scores,
        merger_id,
        month,
        countdown=RECOMPUTE_DEBOUNCE_SECONDS,
        on_not_sent=partial(cache.delete, key),
    )


def scores_recompute_send(*, merger_id: int, month: date) -> bool:
    """Queue a recompute of one month's scores now; False if the queue cannot be reached."""
    return task_send(recompute_scores, merger_id, month.isoformat())


@shared_task(name="scorecards.fail_stalled_exports")
def fail_stalled_exports() -> int:
    return export_jobs_fail_stalled()


def enqueue_export_run(*, job: Any, **signal_kwargs: Any) -> None:
    """The build of a requested export; a queue that cannot be reached fails the job."""
    enqueue_on_commit(run_export, job.pk, on_not_sent=partial(export_not_started, job=job))


def connect() -> None:
    """Wires the signals the scorecards follow to their tasks (ScorecardsConfig.ready)."""
    program_data_changed.connect(
        enqueue_scores_recompute, dispatch_uid="scorecards.recompute_on_change"
    )
    export_requested.connect(enqueue_export_run, dispatch_uid="scorecards.enqueue_export_run")
