"""A worker killed in the middle of an import or an export loses nothing and half-writes nothing.

The worker process is SIGKILLed while the task is caught in a pause (see
worker_app.py): an import after writing its rows, inside its open transaction;
an export before its file exists. Tasks are acknowledged only when they finish,
so the broker still holds the message; once the visibility timeout has passed,
the next worker takes it again and the job completes, once.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportJob, SourceAccount
from accounts.services.imports import import_enqueue, import_job_create, import_preview
from scorecards.models import ExportJob
from scorecards.services.exports import export_request
from tests.faults.conftest import wait_for, writing_backends

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = 2000
# Short, so the test can wait it out; production keeps the default of an hour.
VISIBILITY_SECONDS = 3
PAUSED = {"FAULT_PAUSE_SECONDS": "60", "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS)}


def accounts_file(rows: int) -> SimpleUploadedFile:
    lines = ["crm_id,name,website"]
    lines += [f"K{n},Kestrel Account {n},kestrel{n}.example" for n in range(rows)]
    return SimpleUploadedFile("accounts.csv", "\n".join(lines).encode())


def previewed_import(merger, company, actor) -> ImportJob:
    job = import_job_create(
        merger=merger,
        company=company,
        kind="accounts",
        uploaded_file=accounts_file(ROWS),
        actor=actor,
    )
    preview = import_preview(job=job)
    assert preview.can_import, preview.mapping_problems
    return job


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def paused(flag):
    """True once a task has reached its pause: the flag is touched just before it sleeps.

    Seeing a writing backend alone is not enough: a session is also briefly idle
    in transaction between two of the writer's own statements."""
    return lambda: flag.exists() and writing_backends()


def status_of(model, pk: int) -> str:
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_an_import_whose_worker_is_killed_writes_nothing_then_runs_again_once(
    merger, acquired, ops_user, media, faults_broker, workers, tmp_path
):
    job = previewed_import(merger, acquired, ops_user)
    worker = workers(faults_broker, FAULT_PAUSE_FLAG=str(tmp_path / "paused"), **PAUSED)

    import_enqueue(job=job)
    wait_for("the import to write its rows and pause", paused(tmp_path / "paused"))
    worker.kill()

    # The killed session's transaction rolled back: not one row of the file.
    assert SourceAccount.objects.filter(company=acquired).count() == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert job.created_count == 0

    time.sleep(VISIBILITY_SECONDS + 1)
    workers(faults_broker, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))

    wait_for("the import to finish", lambda: status_of(ImportJob, job.pk) == "succeeded")
    job.refresh_from_db()
    assert job.created_count == ROWS
    imported = SourceAccount.objects.filter(company=acquired)
    assert imported.count() == imported.values("crm_id").distinct().count() == ROWS


def test_a_redelivered_import_tells_the_user_its_first_run_stopped(
    merger, acquired, ops_user, media, faults_broker, workers, tmp_path
):
    job = previewed_import(merger, acquired, ops_user)
    worker = workers(faults_broker, FAULT_PAUSE_FLAG=str(tmp_path / "paused"), **PAUSED)
    import_enqueue(job=job)
    wait_for("the import to pause", paused(tmp_path / "paused"))
    worker.kill()
    time.sleep(VISIBILITY_SECONDS + 1)

    # Paused once more, now that it runs again, to read what the page shows meanwhile.
    (tmp_path / "paused").unlink()
    workers(faults_broker, FAULT_PAUSE_FLAG=str(tmp_path / "paused"), **PAUSED)
    wait_for("the second run to pause", paused(tmp_path / "paused"))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert "previous run stopped before it finished" in job.message


def test_an_export_whose_worker_is_killed_leaves_no_file_then_is_built_once(
    merger, executive_user, media, faults_broker, workers, tmp_path
):
    worker = workers(faults_broker, FAULT_PAUSE_FLAG=str(tmp_path / "paused"), **PAUSED)

    job = export_request(actor=executive_user, merger=merger, month=merger.day_one, fmt="csv")
    wait_for(
        "the export to start rendering",
        lambda: (
            (tmp_path / "paused").exists()
            and ExportJob.objects.filter(pk=job.pk, progress=50).exists()
        ),
    )
    worker.kill()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING
    assert not job.file
    assert files_under(media / "exports") == []

    time.sleep(VISIBILITY_SECONDS + 1)
    workers(faults_broker, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))

    wait_for("the export to be built", lambda: status_of(ExportJob, job.pk) == "succeeded")
    job.refresh_from_db()
    assert job.file and job.file.size > 0
    assert ExportJob.objects.filter(merger=merger).count() == 1
    assert len(files_under(media / "exports")) == 1
