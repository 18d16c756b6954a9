"""Starting and running an import: queued once, checked in full, written all or nothing."""

import logging
import time
from functools import partial

from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.imports import columns as cols
from accounts.imports.cleaning import RowError
from accounts.imports.reading import ImportFileError
from accounts.models import ImportJob, LegacyCompany
from accounts.selectors.exchange_rates import rates_of
from accounts.services.bulk_rows import ANALYZE_MIN_ROWS, tables_analyze
from accounts.services.currency import company_amounts_settle
from accounts.services.import_upserts import ANALYZED, WRITERS
from accounts.services.imports.checking import CheckedRows, Progress, known_references, rows_check
from accounts.services.imports.job_status import job_fail, job_set, job_succeed, job_transition
from accounts.services.imports.upload import job_table
from accounts.signals import accounts_imported, analysis_outdated, import_queued
from core.events import event_log

# Logged under the package's name, as before it was split: log searches know that name.
logger = logging.getLogger(__package__)
WRITING = "writing"


class ImportInterrupted(Exception):
    """The run lost its database connection; nothing was written and it can run again."""


class ImportAlreadyStarted(Exception):
    """Someone else started (or failed) the job between reading it and starting it."""


def import_can_start(*, job: ImportJob) -> bool:
    """A clean preview, or a run that failed without a problem in the file (queue,
    database, stopped worker): running it again is safe, it writes all or nothing."""
    startable = (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)
    return job.status in startable and not job.errors and job.total_rows > 0


def import_enqueue(*, job: ImportJob) -> ImportJob:
    """Queues the run once the caller's transaction commits.

    If the task queue cannot be reached the job fails at once with a message
    saying so, and can be started again.
    """
    if job.status not in (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED):
        raise ImportAlreadyStarted(job.pk)
    # Two clicks, two tabs or two API clients may start the job at once: only the
    # one that still finds it as it read it queues a run.
    if not job_transition(
        job, status=ImportJob.Status.QUEUED, message="", finished_at=None, attempt=job.attempt + 1
    ):
        raise ImportAlreadyStarted(job.pk)
    import_queued.send(sender=ImportJob, job=job)
    return job


def import_not_started(*, job: ImportJob) -> None:
    """The task queue could not be reached: the job fails at once, to be started again."""
    message = _(
        "The task queue could not be reached, so the import did not start; nothing "
        "was written. Start it again in a minute."
    )
    job_set(job, status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now())


def import_run(
    *,
    job_id: int,
    attempt: int | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> ImportJob:
    """Checks every row, then writes all of them in one transaction, or none. Idempotent.

    A queued task carries the `attempt` it was sent for. It does nothing once
    the job was started again since, or was failed meanwhile (as stalled): a
    late task must not run beside the new one. The command line runs without.
    """
    job = ImportJob.objects.select_related("company", "merger").get(pk=job_id)
    if job.status == ImportJob.Status.SUCCEEDED:
        return job
    if attempt is not None and not _is_current(job, attempt):
        event_log("import.task_skipped", job=job.pk, attempt=attempt, current=job.attempt)
        return job
    # Still running: its worker stopped mid-run and the queue delivered the task again.
    message = _RERUN if job.status == ImportJob.Status.RUNNING else ""
    if not job_transition(
        job,
        status=ImportJob.Status.RUNNING,
        processed_rows=0,
        errors=[],
        error_count=0,
        message=message,
    ):
        event_log("import.run_skipped", job=job.pk, attempt=attempt, status=job.status)
        return ImportJob.objects.get(pk=job.pk)
    started = time.perf_counter()
    event_log("import.started", job=job.pk, merger=job.merger_id, kind=job.kind)
    try:
        checked = _checked_for_run(job, sheet, progress)
        if checked is None:
            return job
        if progress:
            progress(WRITING, 0, len(checked.rows))
        with transaction.atomic():
            # Imports into one company take turns, so that each upserts against the
            # records the other wrote rather than colliding with them.
            list(LegacyCompany.objects.select_for_update().filter(pk=job.company_id).values("pk"))
            created, updated, unchanged = WRITERS[job.kind](job, checked.rows)
            _converted_at_rates_now(job, checked)
            job_succeed(job, checked.total, created, updated, unchanged, checked.notices)
            if created + updated >= ANALYZE_MIN_ROWS:
                # Before the follow-up: the refresh plans its joins on these statistics.
                transaction.on_commit(partial(tables_analyze, ANALYZED[job.kind]))
            if created or updated:
                _follow_up(job)
        if progress:
            progress(WRITING, len(checked.rows), len(checked.rows))
    except ImportFileError as error:
        job_fail(job, [RowError(None, "", "", "", error.message)], job.total_rows)
    except (OperationalError, InterfaceError) as error:
        # The write rolled back with the connection; a new one records that it will run again.
        logger.warning("import_interrupted job=%s error=%s", job.pk, type(error).__name__)
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        job_set(job, status=ImportJob.Status.QUEUED, processed_rows=0, message=_INTERRUPTED)
        raise ImportInterrupted(job.pk) from error
    except IntegrityError:
        logger.warning("import_conflict job=%s", job.pk)
        job_fail(job, [], job.total_rows, _CONFLICT)
    except DatabaseError:
        logger.exception("import_failed job=%s", job.pk)
        job_fail(
            job, [], job.total_rows, _("The database refused the import; nothing was written.")
        )
    except Exception:
        job_fail(
            job,
            [],
            job.total_rows,
            _("The import stopped on an unexpected error; nothing was written."),
        )
        raise
    finally:
        _log_outcome(job, started)
    return job


def _is_current(job: ImportJob, attempt: int) -> bool:
    waiting = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return job.attempt == attempt and job.status in waiting


_RERUN = _(
    "The previous run stopped before it finished (its worker stopped); nothing of it was "
    "kept. Running it again."
)
_CONFLICT = _(
    "Another import wrote some of the same records at the same moment, so this one "
    "was refused; nothing was written. Start it again: it updates those records."
)
_INTERRUPTED = _(
    "The database connection was lost during the import; nothing was written. It will be "
    "tried again shortly."
)


def import_give_up(*, job_id: int) -> ImportJob:
    """After the last retry of an interrupted run: failed, and free to be started again."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status == ImportJob.Status.QUEUED:
        message = _(
            "The database connection was lost on every try; nothing was written. Start "
            "the import again."
        )
        job_fail(job, [], job.total_rows, message)
    return job


def _log_outcome(job: ImportJob, started: float) -> None:
    succeeded = job.status == ImportJob.Status.SUCCEEDED
    event_log(
        "import.succeeded" if succeeded else "import.failed",
        level=logging.INFO if succeeded else logging.WARNING,
        job=job.pk,
        merger=job.merger_id,
        kind=job.kind,
        rows=job.total_rows,
        created=job.created_count,
        updated=job.updated_count,
        problems=len(job.errors),
        seconds=time.perf_counter() - started,
    )


def _converted_at_rates_now(job: ImportJob, checked: CheckedRows) -> None:
    # A rate saved since the check read the rates was applied before these rows existed.
    rules = checked.currency
    if rules is None or not rules.reporting:
        return
    if rates_of(merger_id=job.merger_id, month=rules.month) != rules.rates:
        company_amounts_settle(
            merger_id=job.merger_id, company_id=job.company_id, month=rules.month
        )


def _checked_for_run(
    job: ImportJob, sheet: str | None, progress: Progress | None
) -> CheckedRows | None:
    """The checked rows, or None after failing the job with every problem."""
    with job_table(job, sheet) as table:
        header = table.header
    mapping = cols.mapping_problems(kind=job.kind, header=header, columns=job.columns)
    if mapping:
        job_fail(job, [RowError(None, "", "", "", message) for message in mapping], 0)
        return None
    profile = cols.detect(kind=job.kind, header=header).profile

    def report(stage: str, done: int, total: int) -> None:
        if done == 0:
            job_set(job, total_rows=total, processed_rows=0)
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                processed_rows=min(done, total), heartbeat_at=timezone.now()
            )
        if progress:
            progress(stage, done, total)

    checked = rows_check(
        job, sheet, profile=profile, known=known_references(job), keep_rows=True, progress=report
    )
    if checked.problem_count:
        job_fail(job, checked.problems, checked.total, problem_count=checked.problem_count)
        return None
    if not checked.total:
        job_fail(job, [], 0, _("The file has a header but no rows."))
        return None
    return checked


def _follow_up(job: ImportJob) -> None:
    """Queue what the new rows change, to run once they commit.

    New or changed CRM records may be other records' customers, so an accounts
    import is followed by matching, which queues the analysis refresh itself
    (and the refresh tells scores the data changed); products and install base
    change only what the analysis derives.
    """
    if job.kind == ImportJob.Kind.ACCOUNTS:
        accounts_imported.send(sender=ImportJob, merger_id=job.merger_id)
    else:
        analysis_outdated.send(sender=ImportJob, merger_id=job.merger_id)
