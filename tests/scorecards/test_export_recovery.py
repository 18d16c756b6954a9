"""An export or a scores refresh asked for while the task queue is down."""

import pytest
from django.core.cache import cache
from kombu.exceptions import OperationalError as BrokerDown

from scorecards.models import ExportJob
from scorecards.services.exports import export_request
from scorecards.tasks import enqueue_scores_recompute
from tests.scorecards.export_program import MONTH


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refuse)


def test_an_export_that_cannot_be_queued_fails_at_once_with_a_message(
    merger, executive_user, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(actor=executive_user, merger=merger, month=MONTH, fmt="pdf")

    assert job.status == ExportJob.Status.FAILED
    assert "task queue could not be reached" in job.message
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.finished_at is not None


def test_a_scores_refresh_that_cannot_be_queued_is_asked_for_again_by_the_next_change(
    merger, broker_down, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_scores_recompute(merger_id=merger.pk)

    assert cache.get(f"scores-recompute:{merger.pk}") is None
