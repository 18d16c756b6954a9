"""Scorecard exports: requested by leaders and executives, built in the background.

A request creates an ExportJob and queues its build once the request commits;
the build reports its progress on the job so pages can show a progress bar, and
records a failure on the job instead of losing it in a worker log. The monthly
board pack is mailed to the program's executives once per month: its jobs
(report "monthly-email") are the record that it went out.
"""

import logging
import time
from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts.models import Merger
from accounts.selectors.jobs import jobs_stalled
from core.access import GROUP_NAMES, Action, Role, allowed
from core.events import event_log
from core.programs import merger_ids_for
from scorecards.exports.renderers import (
    CONTENT_TYPES,
    RENDERERS,
    export_filename,
    filename_for,
)
from scorecards.models import ExportJob
from scorecards.selectors.program import program_month_problem
from scorecards.selectors.report import ScorecardReport, scorecard_report
from scorecards.signals import export_requested
from tracker.pipeline_math import add_months

logger = logging.getLogger(__name__)

SCORECARD = "scorecard"
MONTHLY_EMAIL = "monthly-email"
MONTHLY_FORMATS = (ExportJob.Format.XLSX, ExportJob.Format.PDF)
REPORTS: dict[str, Callable[..., ScorecardReport]] = {
    SCORECARD: scorecard_report,
    MONTHLY_EMAIL: scorecard_report,
}
MESSAGE_MAX = 500


def export_request(
    *,
    actor: AbstractBaseUser,
    merger: Merger,
    month: date,
    fmt: str,
    report: str = SCORECARD,
) -> ExportJob:
    """Creates the job and queues its build when the surrounding transaction commits."""
    if not allowed(actor, Action.EXPORT, "scorecard") or merger.pk not in merger_ids_for(actor):
        raise PermissionDenied
    month = month.replace(day=1)
    _validate(merger=merger, month=month, fmt=fmt, report=report)
    with transaction.atomic():
        job = ExportJob.objects.create(
            merger=merger,
            report=report,
            month=month,
            format=fmt,
            requested_by=actor,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        export_requested.send(sender=ExportJob, job=job)
    return job


def export_not_started(*, job: ExportJob) -> None:
    """The task queue could not be reached: the job fails with a message, to be asked again."""
    _progress(
        job,
        status=ExportJob.Status.FAILED,
        message=_(
            "The task queue could not be reached, so the export did not start. "
            "Request it again in a minute."
        ),
        finished_at=timezone.now(),
    )


def _validate(*, merger: Merger, month: date, fmt: str, report: str) -> None:
    errors: dict[str, str] = {}
    if fmt not in ExportJob.Format.values:
        errors["format"] = _("Choose CSV, XLSX or PDF.")
    if report != SCORECARD:
        errors["report"] = _("Only the scorecard can be exported.")
    if problem := program_month_problem(merger=merger, month=month):
        errors["month"] = problem
    if errors:
        raise ValidationError(errors)


def export_run(*, job_id: int) -> ExportJob:
    """Builds the job's file; a finished job is left as it is (the task may run twice)."""
    job = ExportJob.objects.select_related("merger").get(pk=job_id)
    if job.status == ExportJob.Status.SUCCEEDED and job.file:
        return job
    with translation.override(job.language):
        return _build(job)


def _build(job: ExportJob) -> ExportJob:
    started = time.perf_counter()
    fields = {"job": job.pk, "merger": job.merger_id, "format": job.format, "month": job.month}
    event_log("export.started", **fields)
    try:
        _progress(job, status=ExportJob.Status.RUNNING, progress=10, message="")
        report = REPORTS[job.report](merger=job.merger, month=job.month)
        _progress(job, progress=50)
        content = RENDERERS[job.format](report)
        _progress(job, progress=90)
        job.file.save(export_filename(report, job.format), ContentFile(content), save=False)
        _progress(
            job,
            status=ExportJob.Status.SUCCEEDED,
            progress=100,
            file=job.file.name,
            finished_at=timezone.now(),
        )
        event_log(
            "export.succeeded",
            **fields,
            bytes=len(content),
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:
        # Recorded on the job for the person waiting on it; the worker log keeps the trace.
        logger.exception("export job=%s failed", job.pk)
        event_log(
            "export.failed",
            level=logging.WARNING,
            **fields,
            error=type(exc).__name__,
            seconds=time.perf_counter() - started,
        )
        _progress(
            job,
            status=ExportJob.Status.FAILED,
            message=_failure_message(exc),
            finished_at=timezone.now(),
        )
    return job


def _progress(job: ExportJob, **fields) -> None:
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    # Written at once, outside any transaction, so that the status page sees each step.
    ExportJob.objects.filter(pk=job.pk).update(**fields)


def export_jobs_fail_stalled(*, now: datetime | None = None) -> int:
    """Fails exports queued or running with no sign of life for long; returns how many.

    An export writes its file last, so a stalled one left none; it can be
    requested again.
    """
    now = now or timezone.now()
    count = jobs_stalled(jobs=ExportJob.objects.all(), now=now).update(
        status=ExportJob.Status.FAILED,
        message=_(
            "This export stopped before its file was written (its task was lost or its "
            "worker stopped). Request it again."
        ),
        finished_at=now,
        heartbeat_at=now,
    )
    if count:
        event_log("export.stalled", level=logging.WARNING, jobs=count)
    return count


def _failure_message(exc: Exception) -> str:
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    message = _("The export could not be built (%(detail)s). Try again, or tell sales ops.")
    return (message % {"detail": detail})[:MESSAGE_MAX]


def export_download_name(*, job: ExportJob) -> str:
    return filename_for(program=job.merger.name, month=job.month, fmt=job.format)


def export_content_type(*, job: ExportJob) -> str:
    return CONTENT_TYPES[job.format]


# The monthly board pack


def previous_month(*, today: date | None = None) -> date:
    return add_months((today or timezone.localdate()).replace(day=1), -1)


def program_executives(*, merger: Merger) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(
            groups__name=GROUP_NAMES[Role.EXECUTIVE],
            memberships__merger=merger,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def monthly_exports_send(*, merger_id: int, month: date) -> int:
    """Mails the month's XLSX and PDF to the executives once; the number of recipients."""
    month = month.replace(day=1)
    saved: list[str] = []
    try:
        with transaction.atomic():
            merger = Merger.objects.select_for_update().get(pk=merger_id)
            if _monthly_sent(merger, month):
                return 0
            by_language = _by_language(program_executives(merger=merger))
            for language, recipients in by_language.items():
                with translation.override(language):
                    report = scorecard_report(merger=merger, month=month)
                    files = {fmt: RENDERERS[fmt](report) for fmt in MONTHLY_FORMATS}
                    for fmt, content in files.items():
                        job = _monthly_job(merger, month, fmt, report, content, language)
                        saved.append(job.file.name)
                    _monthly_mail(report, files, recipients)
    except Exception:
        # The jobs rolled back, so the next run sends again; their files must go too.
        for name in saved:
            default_storage.delete(name)
        raise
    return sum(len(recipients) for recipients in by_language.values())


def _by_language(executives: QuerySet) -> dict[str, list[str]]:
    """Each executive's e-mail under the language they chose (the site's, if none)."""
    grouped: dict[str, list[str]] = {}
    for email, language in executives.values_list("email", "preference__language"):
        grouped.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    return grouped


def _monthly_sent(merger: Merger, month: date) -> bool:
    return ExportJob.objects.filter(
        merger=merger,
        report=MONTHLY_EMAIL,
        month=month,
        status=ExportJob.Status.SUCCEEDED,
    ).exists()


def _monthly_job(
    merger: Merger, month: date, fmt: str, report: ScorecardReport, content: bytes, language: str
) -> ExportJob:
    job = ExportJob(
        merger=merger,
        report=MONTHLY_EMAIL,
        month=month,
        format=fmt,
        status=ExportJob.Status.SUCCEEDED,
        progress=100,
        language=language,
    )
    job.file.save(export_filename(report, fmt), ContentFile(content), save=False)
    job.save()
    # auto_now_add sets created_at on save; the build finished with it.
    ExportJob.objects.filter(pk=job.pk).update(finished_at=job.created_at)
    return job


def _monthly_mail(report: ScorecardReport, files: dict[str, bytes], recipients: list) -> None:
    month_label = date_format(report.month, "F Y")
    subject = _("%(program)s: cross-sell scorecard for %(month)s") % {
        "program": report.program,
        "month": month_label,
    }
    body = render_to_string(
        "scorecards/email/monthly_exports.txt",
        {
            "report": report,
            "month_label": month_label,
            "figures": _headline(report),
            "site_url": settings.SITE_URL,
        },
    )
    message = EmailMessage(subject=subject, body=body, to=recipients)
    for fmt, content in files.items():
        message.attach(export_filename(report, fmt), content, CONTENT_TYPES[fmt])
    message.send()


def _headline(report: ScorecardReport) -> dict[str, str]:
    [program] = report.section("program").records()
    gap = program["gap_pct"]
    return {
        "target_to_date": number_format(program["target_to_date"], 0, force_grouping=True),
        "realized": number_format(program["realized"], 0, force_grouping=True),
        "forecast": number_format(program["forecast"], 0, force_grouping=True),
        "gap": "" if gap is None else f"{number_format(gap * 100, 1)}%",
        "currency": report.currency,
    }
