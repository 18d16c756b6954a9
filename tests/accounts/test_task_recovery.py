"""Background work that cannot start or loses its database: the job says so and can run again.

In-process counterparts of tests/faults (which use real workers, Redis and
PostgreSQL): the same rules, checked on every run of the suite.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from kombu.exceptions import OperationalError as BrokerDown
from rest_framework.test import APIClient

from accounts.models import ImportJob, SourceAccount
from accounts.services import import_upserts
from accounts.services.imports import (
    ImportInterrupted,
    import_enqueue,
    import_job_create,
    import_preview,
    import_run,
)
from accounts.tasks import IMPORT_RETRIES, import_run_task, refresh_account_statuses
from config.celery import app as celery_app
from core import task_queue

CSV = "crm_id,name,website\nK1,Kestrel One,kestrel1.example\nK2,Kestrel Two,kestrel2.example\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def job(merger, acquired, ops_user) -> ImportJob:
    created = import_job_create(
        merger=merger,
        company=acquired,
        kind="accounts",
        uploaded_file=SimpleUploadedFile("accounts.csv", CSV.encode()),
        actor=ops_user,
    )
    assert import_preview(job=created).can_import
    return created


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refuse)


def test_sending_a_task_to_a_broker_that_is_down_answers_false(broker_down):
    assert task_queue.task_send(refresh_account_statuses, 1) is False


def test_an_import_that_cannot_be_queued_fails_with_a_message_and_can_start_again(
    job, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_enqueue(job=job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "task queue could not be reached" in job.message
    assert SourceAccount.objects.count() == 0


def test_the_api_starts_again_an_import_that_failed_without_a_problem_in_its_file(
    job, ops_user, django_capture_on_commit_callbacks
):
    job.status, job.message = ImportJob.Status.FAILED, "The worker stopped."
    job.save()
    client = APIClient()
    client.force_authenticate(ops_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/imports/{job.pk}/start/")

    assert response.status_code == 202
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert SourceAccount.objects.count() == 2


def test_an_import_that_failed_on_problems_in_its_file_cannot_be_started_again(job, ops_user):
    job.status = ImportJob.Status.FAILED
    job.errors = [{"row": 2, "column": "crm_id", "field": "", "value": "", "message": "x"}]
    job.save()
    browser = Client()
    browser.force_login(ops_user)

    page = browser.get(f"/imports/{job.pk}/").content.decode()
    api = APIClient()
    api.force_authenticate(ops_user)

    assert "Run the import again" not in page
    assert api.post(f"/api/v1/imports/{job.pk}/start/").status_code == 409


def test_the_page_of_an_import_that_failed_without_file_problems_offers_to_run_it_again(
    job, ops_user
):
    job.status, job.message = ImportJob.Status.FAILED, "The worker stopped."
    job.save()
    browser = Client()
    browser.force_login(ops_user)

    page = browser.get(f"/imports/{job.pk}/").content.decode()

    assert "The worker stopped." in page
    assert "Run the import again" in page


def cut_connection_once(monkeypatch, times: int = 1):
    """The accounts writer loses its connection `times` times, after writing."""
    writer = import_upserts.WRITERS["accounts"]
    left = {"cuts": times}

    def cut(job, rows):
        result = writer(job, rows)
        if left["cuts"]:
            left["cuts"] -= 1
            raise OperationalError("terminating connection due to administrator command")
        return result

    monkeypatch.setitem(import_upserts.WRITERS, "accounts", cut)


def test_an_import_that_loses_its_connection_writes_nothing_and_waits_for_a_retry(
    job, monkeypatch
):
    cut_connection_once(monkeypatch)
    job.status = ImportJob.Status.QUEUED
    job.save()

    with pytest.raises(ImportInterrupted):
        import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert "connection was lost" in job.message
    assert SourceAccount.objects.count() == 0


@pytest.fixture
def retries_run_in_process():
    """Eager tasks replay their retries at once, unless errors propagate first."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = propagates


def test_the_import_task_retries_a_lost_connection_and_completes_once(
    job, monkeypatch, retries_run_in_process
):
    cut_connection_once(monkeypatch)

    assert import_run_task.delay(job.pk).get() == ImportJob.Status.SUCCEEDED

    assert SourceAccount.objects.count() == 2


def test_the_import_task_gives_up_after_its_retries_and_the_job_can_start_again(
    job, monkeypatch, retries_run_in_process
):
    cut_connection_once(monkeypatch, times=IMPORT_RETRIES + 1)

    assert import_run_task.delay(job.pk).get() == ImportJob.Status.FAILED

    job.refresh_from_db()
    assert "lost on every try" in job.message
    assert job.errors == []
    assert SourceAccount.objects.count() == 0


def test_a_run_that_finds_its_job_still_running_says_the_first_run_stopped(job, monkeypatch):
    job.status = ImportJob.Status.RUNNING
    job.save()
    seen = []
    writer = import_upserts.WRITERS["accounts"]

    def watch(running_job, rows):
        seen.append(ImportJob.objects.get(pk=running_job.pk).message)
        return writer(running_job, rows)

    monkeypatch.setitem(import_upserts.WRITERS, "accounts", watch)

    import_run(job_id=job.pk)

    assert "previous run stopped before it finished" in seen[0]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
