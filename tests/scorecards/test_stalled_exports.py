"""Exports left queued or running with no sign of life are failed, to be requested again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from scorecards.models import ExportJob
from scorecards.services.exports import export_jobs_fail_stalled
from scorecards.tasks import fail_stalled_exports


@pytest.fixture(autouse=True)
def stalled_after(settings):
    settings.JOB_STALLED_AFTER_MINUTES = 20


def _job(merger, status: str, minutes_ago: int) -> ExportJob:
    job = ExportJob.objects.create(merger=merger, month=merger.day_one, format="pdf")
    ExportJob.objects.filter(pk=job.pk).update(
        status=status, heartbeat_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return job


def test_an_export_silent_for_too_long_fails_with_a_message(merger):
    queued = _job(merger, ExportJob.Status.QUEUED, minutes_ago=25)
    running = _job(merger, ExportJob.Status.RUNNING, minutes_ago=25)

    assert export_jobs_fail_stalled() == 2

    for job in (queued, running):
        job.refresh_from_db()
        assert job.status == ExportJob.Status.FAILED
        assert "Request it again" in job.message
        assert job.finished_at is not None


def test_exports_with_recent_progress_or_already_ended_are_left_alone(merger):
    jobs = [
        _job(merger, ExportJob.Status.RUNNING, minutes_ago=2),
        _job(merger, ExportJob.Status.SUCCEEDED, minutes_ago=600),
    ]

    assert export_jobs_fail_stalled() == 0

    assert [ExportJob.objects.get(pk=job.pk).status for job in jobs] == ["running", "succeeded"]


def test_the_task_runs_the_check_and_beat_runs_it_every_five_minutes(merger):
    _job(merger, ExportJob.Status.QUEUED, minutes_ago=60)

    assert fail_stalled_exports() == 1
    assert (
        celery_app.conf.beat_schedule["fail-stalled-exports"]["task"] == fail_stalled_exports.name
    )
