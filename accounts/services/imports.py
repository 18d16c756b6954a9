"""Imports of CRM exports: upload, preview, and an all-or-nothing run.

A run checks the whole file before it writes anything; one bad row fails the
job with the full list of problems and nothing is written. Otherwise all rows
are written in one transaction, matched to existing records by the CRM's own
id, and every changed field of an existing record is kept as an ImportChange.
"""

import csv
import io
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files import File
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
from django.utils.translation import ngettext

from accounts.imports import columns as cols
from accounts.imports.cleaning import CurrencyRules, Formats, RowCleaner, RowError, sniff_formats
from accounts.imports.parsing import as_text, crm_key
from accounts.imports.reading import ImportFileError, Table, open_table
from accounts.models import (
    ColumnMapping,
    Holding,
    ImportJob,
    LegacyCompany,
    Merger,
    Segment,
)
from accounts.selectors.exchange_rates import rates_of
from accounts.selectors.jobs import jobs_stalled
from accounts.services.bulk_rows import ANALYZE_MIN_ROWS, tables_analyze
from accounts.services.import_upserts import ANALYZED, WRITERS, account_ids, product_ids
from accounts.signals import accounts_imported, analysis_outdated, import_queued
from core.access import User
from core.events import event_log
from core.spreadsheet import cell_text

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 20
# A preview runs in the upload request: it checks this many rows and no more, so the
# request's work is bounded whatever the file; the run checks every row again anyway.
PREVIEW_ROWS = 10_000
RAW_SAMPLE_ROWS = 5
PROGRESS_EVERY = 5000
# A file with more problems than this has a systemic fault (wrong mapping, wrong file):
# the job keeps the first ones and the count, so that its pages stay small.
MAX_STORED_ERRORS = 1_000

type Progress = Callable[[str, int, int], None]

CHECKING = "checking"
WRITING = "writing"


@dataclass
class Preview:
    job: ImportJob
    header: list[str]
    profile: str
    profile_label: str
    columns: dict[str, str]
    mapping_problems: list[str]
    ignored: dict[str, str]
    raw_sample: list[list[str]]
    formats: list[str] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)
    problem_count: int = 0
    # Read but not refused: ambiguous currency symbols, rows waiting for a rate.
    notices: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    new_count: int = 0
    existing_count: int = 0
    # Only the first PREVIEW_ROWS rows were checked; the file has more.
    partial: bool = False

    @property
    def can_import(self) -> bool:
        return not self.mapping_problems and not self.problem_count and self.total_rows > 0

    @property
    def fields(self) -> tuple[cols.Field, ...]:
        return cols.fields_of(self.job.kind)


@dataclass
class _Checked:
    """The outcome of reading and checking every row of a file."""

    header: list[str]
    formats: Formats
    total: int = 0
    problems: list[RowError] = field(default_factory=list)
    problem_count: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    keys: set[Any] = field(default_factory=set)
    partial: bool = False
    notices: list[RowError] = field(default_factory=list)


# Upload and mapping


def import_job_create(
    *,
    merger: Merger,
    company: LegacyCompany,
    kind: str,
    uploaded_file: Any,
    actor: User | None,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    default_currency: str = "",
    missing_rate: str = ImportJob.MissingRate.WAIT,
) -> ImportJob:
    """Stores the file once it can be read; the mapping is detected unless given.

    `default_currency` reads amounts that carry none (blank: the reporting
    currency); `missing_rate` says whether a row without a rate waits or is refused.

    Raises ImportFileError (nothing stored) when the file cannot be read.
    """
    if company.merger_id != merger.pk:
        raise ValueError("The company belongs to another program.")
    if kind not in cols.KINDS:
        raise ValueError(f"Unknown kind of data {kind!r}.")
    name = os.path.basename(getattr(uploaded_file, "name", "") or "upload.csv")
    uploaded_file.seek(0)
    with open_table(data=uploaded_file, name=name, max_bytes=_max_bytes(), sheet=sheet) as table:
        detected = cols.detect(kind=kind, header=table.header)
    uploaded_file.seek(0)
    job = ImportJob(
        merger=merger,
        company=company,
        kind=kind,
        original_name=name[:255],
        columns=dict(columns) if columns is not None else detected.columns,
        default_currency=default_currency,
        missing_rate=missing_rate,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    job.file.save(name, File(uploaded_file, name=name), save=False)
    job.save()
    return job


def column_mapping_save(
    *, merger: Merger, kind: str, name: str, columns: dict[str, str], actor: User | None
) -> ColumnMapping:
    """Saves (or replaces) a named mapping for later files of this kind."""
    known = {f.key for f in cols.fields_of(kind)}
    unknown = sorted(set(columns) - known)
    if unknown:
        raise ValueError(f"Unknown fields {unknown} for {kind}.")
    mapping, _created = ColumnMapping.objects.update_or_create(
        merger=merger,
        name=name,
        defaults={
            "kind": kind,
            "columns": {key: column for key, column in columns.items() if column},
            "created_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    return mapping


def import_header(*, job: ImportJob, sheet: str | None = None) -> list[str]:
    """The column names of a job's file, for choosing a mapping."""
    with _table(job, sheet) as table:
        return table.header


def _max_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


@contextmanager
def _table(job: ImportJob, sheet: str | None) -> Iterator[Table]:
    with job.file.open("rb") as data:
        table = open_table(data=data, name=job.original_name, max_bytes=_max_bytes(), sheet=sheet)
        try:
            yield table
        finally:
            table.close()


# Preview


def import_preview(
    *,
    job: ImportJob,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    save: bool = True,
) -> Preview:
    """What an import would do: mapping, a cleaned sample, every problem.

    Writes no records; with `save` the job keeps the mapping, row count and
    problem list (for the error report), otherwise nothing at all is written.
    """
    if columns is not None:
        job.columns = {key: column for key, column in columns.items() if column}
    try:
        preview = _preview(job, sheet)
    except ImportFileError as error:
        preview = Preview(job, [], "", "", job.columns, [error.message], {}, [])
    if not save:
        return preview
    job.status = ImportJob.Status.PREVIEWED
    job.total_rows = preview.total_rows
    job.processed_rows = 0
    job.errors = [
        *(
            {"row": None, "column": "", "field": "", "value": "", "message": message}
            for message in preview.mapping_problems
        ),
        *(problem.as_dict() for problem in preview.problems),
    ]
    job.error_count = len(preview.mapping_problems) + preview.problem_count
    job.message = _summary_of_preview(preview)
    job.save(
        update_fields=[
            "columns",
            "status",
            "total_rows",
            "processed_rows",
            "errors",
            "error_count",
            "message",
        ]
    )
    return preview


def _preview(job: ImportJob, sheet: str | None) -> Preview:
    with _table(job, sheet) as table:
        header = table.header
        raw_sample = [
            [as_text(cell) for cell in cells]
            for _number, cells in _take(table.rows, RAW_SAMPLE_ROWS)
        ]
    detected = cols.detect(kind=job.kind, header=header)
    preview = Preview(
        job=job,
        header=header,
        profile=detected.profile,
        profile_label=detected.profile_label,
        columns=dict(job.columns),
        mapping_problems=cols.mapping_problems(kind=job.kind, header=header, columns=job.columns),
        ignored=detected.ignored,
        raw_sample=raw_sample,
    )
    if preview.mapping_problems:
        return preview
    known = _known(job)
    checked = _check(
        job, sheet, profile=detected.profile, known=known, keep_rows=False, limit=PREVIEW_ROWS
    )
    preview.partial = checked.partial
    preview.formats = checked.formats.describe(job.columns)
    preview.sample = checked.sample
    preview.problems = checked.problems
    preview.notices = checked.notices
    preview.problem_count = checked.problem_count
    preview.total_rows = checked.total
    preview.new_count, preview.existing_count = _new_and_existing(job, checked, known)
    return preview


def _take(rows: Iterator, count: int) -> list:
    taken = []
    for row in rows:
        taken.append(row)
        if len(taken) >= count:
            break
    return taken


def _summary_of_preview(preview: Preview) -> str:
    if preview.mapping_problems:
        return _("The column mapping needs attention before the rows can be checked.")
    if preview.problem_count:
        return ngettext(
            "%(count)d problem found; fix the file or the mapping and upload it again.",
            "%(count)d problems found; fix the file or the mapping and upload it again.",
            preview.problem_count,
        ) % {"count": preview.problem_count}
    if preview.partial:
        return _(
            "The first %(rows)d rows are ready: %(new)d new, %(existing)d already known; "
            "the rest are checked when the import runs."
        ) % {
            "rows": preview.total_rows,
            "new": preview.new_count,
            "existing": preview.existing_count,
        }
    return _("%(rows)d rows ready: %(new)d new, %(existing)d already known.") % {
        "rows": preview.total_rows,
        "new": preview.new_count,
        "existing": preview.existing_count,
    }


# Checking


def _known(job: ImportJob) -> dict[str, Any]:
    """What references in the file may point to, as plain data for the cleaner."""
    if job.kind == cols.ACCOUNTS:
        names = Segment.objects.filter(merger_id=job.merger_id).values_list("name", flat=True)
        return {"segment": {name.casefold(): name for name in names}}
    if job.kind == cols.INSTALL_BASE:
        return {
            "account": account_ids(job.company_id),
            "product": product_ids(job.company_id),
        }
    return {}


def _check(
    job: ImportJob,
    sheet: str | None,
    *,
    profile: str,
    known: dict[str, Any],
    keep_rows: bool,
    progress: Progress | None = None,
    limit: int | None = None,
) -> _Checked:
    """Two passes: settle number and date notation per column, then check every row
    (or the first `limit` rows)."""
    partial = False

    def bounded(rows):
        nonlocal partial
        for done, row in enumerate(rows):
            if limit is not None and done >= limit:
                partial = True
                return
            yield row

    with _table(job, sheet) as table:
        total = 0

        def counted(rows):
            nonlocal total
            for row in bounded(rows):
                total += 1
                yield row

        formats = sniff_formats(
            kind=job.kind,
            header=table.header,
            columns=job.columns,
            rows=counted(table.rows),
            default_decimal="," if table.delimiter == ";" else ".",
            default_day_first=not profile.startswith("salesforce"),
        )
    checked = _Checked(header=table.header, formats=formats, total=total, partial=partial)
    if progress:
        progress(CHECKING, 0, total)
    with _table(job, sheet) as table:
        cleaner = RowCleaner(
            kind=job.kind,
            header=table.header,
            columns=job.columns,
            formats=formats,
            known=known,
            currency=_currency_rules(job),
        )
        for done, (number, cells) in enumerate(bounded(table.rows), start=1):
            values, errors = cleaner.clean(number, cells)
            if errors:
                checked.problem_count += len(errors)
                room = MAX_STORED_ERRORS - len(checked.problems)
                checked.problems.extend(errors[: max(room, 0)])
            elif keep_rows:
                checked.rows.append(values)
            if len(checked.sample) < SAMPLE_ROWS:
                checked.sample.append({"row": number, "values": values, "errors": errors})
            if progress and done % PROGRESS_EVERY == 0:
                progress(CHECKING, min(done, total), total)
            if not keep_rows and not errors:
                checked.keys.add(_key_of(job.kind, values))
    checked.notices = cleaner.notices
    if progress:
        progress(CHECKING, total, total)
    return checked


def _currency_rules(job: ImportJob) -> CurrencyRules:
    """The file's amounts convert at the rates of the month it is imported in."""
    month = timezone.localdate().replace(day=1)
    rates = rates_of(merger_id=job.merger_id, month=month)
    reporting = job.merger.reporting_currency
    return CurrencyRules(
        reporting=reporting,
        default=job.default_currency or reporting,
        month=month,
        rates=rates,
        refuse_missing=job.missing_rate == ImportJob.MissingRate.REFUSE,
    )


def _key_of(kind: str, values: dict[str, Any]) -> Any:
    if kind == cols.ACCOUNTS:
        return crm_key(values["crm_id"])
    if kind == cols.PRODUCTS:
        return values["code"]
    return (crm_key(values["account_crm_id"]), values["product_code"])


def _new_and_existing(job: ImportJob, checked: _Checked, known: dict[str, Any]) -> tuple[int, int]:
    keys = checked.keys
    if job.kind == cols.ACCOUNTS:
        existing = set(account_ids(job.company_id))
    elif job.kind == cols.PRODUCTS:
        existing = set(product_ids(job.company_id))
    else:
        accounts, products = known["account"], known["product"]
        owned = set(
            Holding.objects.filter(account__company_id=job.company_id).values_list(
                "account_id", "product_id"
            )
        )
        existing = {key for key in keys if (accounts[key[0]], products[key[1]]) in owned}
    found = len(keys & existing)
    return len(keys) - found, found


# Running


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
    if not _transition(
        job, status=ImportJob.Status.QUEUED, message="", finished_at=None, attempt=job.attempt + 1
    ):
        raise ImportAlreadyStarted(job.pk)
    import_queued.send(sender=ImportJob, job=job)
    return job


def _transition(job: ImportJob, **values: Any) -> bool:
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


def import_not_started(*, job: ImportJob) -> None:
    """The task queue could not be reached: the job fails at once, to be started again."""
    message = _(
        "The task queue could not be reached, so the import did not start; nothing "
        "was written. Start it again in a minute."
    )
    _set(job, status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now())


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
    if not _transition(
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
            _succeed(job, checked.total, created, updated, unchanged, checked.notices)
            if created + updated >= ANALYZE_MIN_ROWS:
                # Before the follow-up: the refresh plans its joins on these statistics.
                transaction.on_commit(partial(tables_analyze, ANALYZED[job.kind]))
            if created or updated:
                _follow_up(job)
        if progress:
            progress(WRITING, len(checked.rows), len(checked.rows))
    except ImportFileError as error:
        _fail(job, [RowError(None, "", "", "", error.message)], job.total_rows)
    except (OperationalError, InterfaceError) as error:
        # The write rolled back with the connection; a new one records that it will run again.
        logger.warning("import_interrupted job=%s error=%s", job.pk, type(error).__name__)
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        _set(job, status=ImportJob.Status.QUEUED, processed_rows=0, message=_INTERRUPTED)
        raise ImportInterrupted(job.pk) from error
    except IntegrityError:
        logger.warning("import_conflict job=%s", job.pk)
        _fail(job, [], job.total_rows, _CONFLICT)
    except DatabaseError:
        logger.exception("import_failed job=%s", job.pk)
        _fail(job, [], job.total_rows, _("The database refused the import; nothing was written."))
    except Exception:
        _fail(
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
        _fail(job, [], job.total_rows, message)
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


def _checked_for_run(
    job: ImportJob, sheet: str | None, progress: Progress | None
) -> _Checked | None:
    """The checked rows, or None after failing the job with every problem."""
    with _table(job, sheet) as table:
        header = table.header
    mapping = cols.mapping_problems(kind=job.kind, header=header, columns=job.columns)
    if mapping:
        _fail(job, [RowError(None, "", "", "", message) for message in mapping], 0)
        return None
    profile = cols.detect(kind=job.kind, header=header).profile

    def report(stage: str, done: int, total: int) -> None:
        if done == 0:
            _set(job, total_rows=total, processed_rows=0)
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                processed_rows=min(done, total), heartbeat_at=timezone.now()
            )
        if progress:
            progress(stage, done, total)

    checked = _check(
        job, sheet, profile=profile, known=_known(job), keep_rows=True, progress=report
    )
    if checked.problem_count:
        _fail(job, checked.problems, checked.total, problem_count=checked.problem_count)
        return None
    if not checked.total:
        _fail(job, [], 0, _("The file has a header but no rows."))
        return None
    return checked


def _set(job: ImportJob, **values: Any) -> None:
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


def _fail(
    job: ImportJob,
    problems: list[RowError],
    total: int,
    message: str = "",
    problem_count: int = 0,
) -> None:
    count = problem_count or len(problems)
    _set(
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


def _succeed(
    job: ImportJob,
    total: int,
    created: int,
    updated: int,
    unchanged: int,
    notices: list[RowError] = (),
) -> None:
    _set(
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


# Error report


def import_error_report_csv(*, job: ImportJob) -> str:
    """Every problem of a job, one per line, for a spreadsheet (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("field"), _("value"), _("message")])
    for problem in job.errors:
        # The file's own column names and values come back here: never as formulas.
        writer.writerow(
            [
                problem.get("row") or "",
                cell_text(problem.get("column", "")),
                cell_text(problem.get("field", "")),
                cell_text(problem.get("value", "")),
                cell_text(problem.get("message", "")),
            ]
        )
    left_out = job.error_count - len(job.errors)
    if left_out > 0:
        message = ngettext(
            "%(count)d more problem is not listed: only the first %(kept)d are kept.",
            "%(count)d more problems are not listed: only the first %(kept)d are kept.",
            left_out,
        ) % {"count": left_out, "kept": len(job.errors)}
        writer.writerow(["", "", "", "", message])
    return out.getvalue()
