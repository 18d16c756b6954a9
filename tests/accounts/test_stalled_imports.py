"""Imports left queued or running with no sign of life are failed, to be started again."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import ImportJob, SourceAccount
from accounts.services.imports import (
    import_can_start,
    import_enqueue,
    import_job_create,
    import_jobs_fail_stalled,
    import_preview,
    import_run,
)
from accounts.tasks import fail_stalled_imports
from config.celery import app as celery_app

CSV = "crm_id,name\nK1,Kestrel One\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_STALLED_AFTER_MINUTES = 20


@pytest.fixture
def job(merger, acquired, ops_user) -> ImportJob:
    created = import_job_create(
        merger=merger,
        company=acquired,
        kind="accounts",
        uploaded_file=SimpleUploadedFile("accounts.csv", CSV.encode()),
        actor=ops_user,
    )
    import_preview(job=created)
    return created


def _left(job: ImportJob, status: str, minutes_ago: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, heartbeat_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_an_import_queued_with_no_worker_for_too_long_fails_and_can_start_again(job):
    _left(job, ImportJob.Status.QUEUED, minutes_ago=21)

    assert import_jobs_fail_stalled() == 1

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "No worker started this import" in job.message
    assert job.finished_at is not None
    assert import_can_start(job=job)


def test_a_running_import_that_stopped_answering_fails_and_says_nothing_was_kept(job):
    _left(job, ImportJob.Status.RUNNING, minutes_ago=45)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=1)

    import_jobs_fail_stalled()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "nothing of it was kept" in job.message
    assert job.processed_rows == 0


def test_an_import_with_recent_progress_is_left_running(job):
    _left(job, ImportJob.Status.RUNNING, minutes_ago=3)

    assert import_jobs_fail_stalled() == 0

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


@pytest.mark.parametrize(
    "status", [ImportJob.Status.PREVIEWED, ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED]
)
def test_imports_that_wait_for_a_person_or_have_ended_are_never_touched(job, status):
    _left(job, status, minutes_ago=600)

    assert import_jobs_fail_stalled() == 0

    job.refresh_from_db()
    assert job.status == status


def test_a_job_never_heard_from_counts_from_its_creation(job):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.QUEUED,
        heartbeat_at=None,
        created_at=timezone.now() - timedelta(hours=2),
    )

    assert import_jobs_fail_stalled() == 1


def test_queueing_an_import_is_a_sign_of_life(job):
    import_enqueue(job=job)
    job.refresh_from_db()

    assert job.heartbeat_at is not None
    assert timezone.now() - job.heartbeat_at < timedelta(minutes=1)


def test_beat_runs_the_check_every_five_minutes():
    entry = celery_app.conf.beat_schedule["fail-stalled-imports"]

    assert entry["task"] == fail_stalled_imports.name
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_a_late_task_of_an_import_failed_as_stalled_writes_nothing(job):
    import_enqueue(job=job)
    _left(job, ImportJob.Status.QUEUED, minutes_ago=30)
    import_jobs_fail_stalled()

    import_run(job_id=job.pk, attempt=1)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not SourceAccount.objects.filter(crm_id="K1").exists()


def test_a_late_task_of_an_earlier_start_does_not_run_beside_the_new_one(job):
    import_enqueue(job=job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)
    job.refresh_from_db()
    import_enqueue(job=job)

    import_run(job_id=job.pk, attempt=1)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.QUEUED

    import_run(job_id=job.pk, attempt=2)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.SUCCEEDED
    assert SourceAccount.objects.filter(crm_id="K1").count() == 1
