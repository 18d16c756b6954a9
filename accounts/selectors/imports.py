"""Reads of imports: recent jobs, saved mappings, a job's progress."""

from typing import Any

from django.db.models import QuerySet

from accounts.models import ColumnMapping, ImportJob, Merger

RECENT_IMPORTS = 20


def imports_recent(*, merger: Merger, limit: int = RECENT_IMPORTS) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(merger=merger)
        .select_related("company", "created_by")
        .defer("errors", "columns")
        .order_by("-created_at", "-pk")[:limit]
    )


def column_mappings_for(*, merger: Merger, kind: str | None = None) -> QuerySet[ColumnMapping]:
    mappings = ColumnMapping.objects.filter(merger=merger).order_by("name")
    return mappings.filter(kind=kind) if kind else mappings


def import_progress(*, job: ImportJob) -> dict[str, Any]:
    """Where a job stands, for its page and the status endpoint that the page polls."""
    finished = job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED)
    writing = job.status == ImportJob.Status.RUNNING and job.processed_rows >= job.total_rows > 0
    percent = (
        100 if finished else (job.processed_rows * 100 // job.total_rows if job.total_rows else 0)
    )
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "processed_rows": job.processed_rows,
        "total_rows": job.total_rows,
        "progress": percent,
        "writing": writing,
        "finished": finished,
        "succeeded": job.status == ImportJob.Status.SUCCEEDED,
        "created_count": job.created_count,
        "updated_count": job.updated_count,
        "message": job.message,
    }
