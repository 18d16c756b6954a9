"""A job starts once: its status changes by compare-and-set, whoever else reads it."""

import pytest
from django.db import IntegrityError

from accounts.imports.columns import ACCOUNTS
from accounts.models import ImportJob, SourceAccount
from accounts.services.import_upserts import WRITERS
from accounts.services.imports import (
    ImportAlreadyStarted,
    import_enqueue,
    import_preview,
    import_run,
)
from tests.accounts.test_import_service import create


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def previewed(merger, acquirer):
    job = create(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\nA2,Beta\n")
    import_preview(job=job)
    return job


def test_two_starts_of_one_job_read_at_once_queue_one_run(
    previewed, django_capture_on_commit_callbacks, caplog
):
    first = ImportJob.objects.get(pk=previewed.pk)
    second = ImportJob.objects.get(pk=previewed.pk)  # read before the first start

    with django_capture_on_commit_callbacks(execute=True):
        import_enqueue(job=first)
        with pytest.raises(ImportAlreadyStarted):
            import_enqueue(job=second)

    job = ImportJob.objects.get(pk=previewed.pk)
    assert (job.status, job.attempt) == (ImportJob.Status.SUCCEEDED, 1)
    assert caplog.text.count("event=import.started") == 1


def test_a_run_that_finds_its_job_changed_since_it_was_read_does_not_run(previewed, monkeypatch):
    import_enqueue(job=ImportJob.objects.get(pk=previewed.pk))
    stale = ImportJob.objects.select_related("company", "merger").get(pk=previewed.pk)
    # Another delivery of the same task took the job between this run's read and its start.
    ImportJob.objects.filter(pk=previewed.pk).update(status=ImportJob.Status.RUNNING)
    monkeypatch.setattr(
        ImportJob.objects, "select_related", lambda *names: _Returning(stale), raising=False
    )

    job = import_run(job_id=previewed.pk, attempt=1)

    assert job.status == ImportJob.Status.RUNNING
    assert not SourceAccount.objects.exists()


class _Returning:
    def __init__(self, job):
        self.job = job

    def get(self, **_lookup):
        return self.job


def test_the_start_page_names_a_start_that_came_first(client, ops_user, previewed):
    client.force_login(ops_user)
    stale = ImportJob.objects.get(pk=previewed.pk)
    import_enqueue(job=ImportJob.objects.get(pk=previewed.pk))
    ImportJob.objects.filter(pk=stale.pk).update(status=ImportJob.Status.PREVIEWED)
    # The page read the job as previewed; the start below finds it changed (new attempt).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("accounts.views.imports._job", lambda request, pk, light=False: stale)
        response = client.post(f"/imports/{stale.pk}/start/", follow=True)
    assert response.status_code == 200
    assert "started meanwhile" in response.content.decode()


def test_a_write_refused_as_a_duplicate_names_the_conflict(previewed, monkeypatch):
    def collide(job, rows):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setitem(WRITERS, ACCOUNTS, collide)

    job = import_run(job_id=previewed.pk)

    assert job.status == ImportJob.Status.FAILED
    assert "Another import wrote some of the same records" in job.message
    assert "unexpected" not in job.message
