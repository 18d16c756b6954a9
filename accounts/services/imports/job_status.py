"""How an import job's status is written: compare-and-set starts, failure, success, stalls."""

import logging
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.imports.cleaning import RowError
from accounts.models import ImportJob
from accounts.selectors.jobs import jobs_stalled
from accounts.services.imports.checking import MAX_STORED_ERRORS
from core.events import event_log


def job_transition(job: ImportJob, **values: Any) -> bool:
    """Compare-and-set: writes `values` only if the job's status, attempt and last sign of
    life are still those read into `job` (one UPDATE ... WHERE); False if another start,
    run or stall check changed it first."""
    values["heartbeat_at"] = timezone.now()
    written = ImportJob.objects.filter(
        pk=job.pk, status=job.status, attempt=job.attempt, heartbeat_at=job.heartbeat_at
    ).update(**values)
    if written:
        for name, value in values.items():
            setattr(job, name, value)
    return bool(written)


def job_set(job: ImportJob, **values: Any) -> None:
    values["heartbeat_at"] = timezone.now()
    for name, value in values.items():
        setattr(job, name, value)
    job.save(update_fields=list(values))


def import_jobs_fail_stalled(*, now: datetime | None = None) -> int:
    """Fails imports queued or running with no sign of life for long; returns how many.

    Nothing of such a run was kept (a run writes in one transaction), so the job
    can be started again. Should the lost task still run later, it runs as a
    fresh start and the import upserts by CRM id: nothing is written twice.
    """
    stalled = jobs_stalled(jobs=ImportJob.objects.all(), now=now)
    now = now or timezone.now()
    queued = stalled.filter(status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.FAILED,
        message=_STALLED_QUEUED,
        finished_at=now,
        heartbeat_at=now,
    )
    running = stalled.filter(status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.FAILED,
        message=_STALLED_RUNNING,
        processed_rows=0,
        finished_at=now,
        heartbeat_at=now,
    )
    if queued or running:
        event_log("import.stalled", level=logging.WARNING, queued=queued, running=running)
    return queued + running


_STALLED_QUEUED = _(
    "No worker started this import; its task was probably lost. Nothing was written. "
    "Start it again."
)
_STALLED_RUNNING = _(
    "This import stopped answering (its worker probably stopped); nothing of it was kept. "
    "Start it again."
)


def job_fail(
    job: ImportJob,
    problems: list[RowError],
    total: int,
    message: str = "",
    problem_count: int = 0,
) -> None:
    count = problem_count or len(problems)
    job_set(
        job,
        status=ImportJob.Status.FAILED,
        errors=[problem.as_dict() for problem in problems[:MAX_STORED_ERRORS]],
        error_count=count,
        total_rows=total,
        processed_rows=total,
        finished_at=timezone.now(),
        message=message
        or ngettext(
            "%(count)d problem found; nothing was written.",
            "%(count)d problems found; nothing was written.",
            count,
        )
        % {"count": count},
    )


def job_succeed(
    job: ImportJob,
    total: int,
    created: int,
    updated: int,
    unchanged: int,
    notices: list[RowError] = (),
) -> None:
    job_set(
        job,
        notices=[notice.as_dict() for notice in notices],
        status=ImportJob.Status.SUCCEEDED,
        total_rows=total,
        processed_rows=total,
        created_count=created,
        updated_count=updated,
        errors=[],
        error_count=0,
        finished_at=timezone.now(),
        message=_("%(rows)d rows imported: %(new)d new, %(updated)d updated, %(same)d unchanged.")
        % {"rows": total, "new": created, "updated": updated, "same": unchanged},
    )
