"""Redis restarted while work is queued, or down when work is asked for.

A redis-server of the test's own (the CI broker stays untouched), with an
append-only file as production should run it: what was queued before the
restart is still queued after it and a worker completes it. While it is down,
asking for an import or an export answers at once, without a server error,
and the job says that the queue could not be reached; once Redis is back the
same import starts again and completes, and a new export request goes through.
"""

import time

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ImportJob, SourceAccount
from accounts.services.imports import import_enqueue
from scorecards.models import ExportJob
from scorecards.services.exports import export_request
from tests import factories
from tests.faults.conftest import broker_for_this_process, wait_for
from tests.faults.test_worker_killed import ROWS, previewed_import, status_of
from tracker.models import Opportunity

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

API = "/api/v1"
# A request must not hang on a broker that is down.
ANSWER_SECONDS = 10


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_work_queued_before_a_redis_restart_is_done_after_it(
    merger, acquired, ops_user, executive_user, media, redis_server, workers
):
    with broker_for_this_process(redis_server.url):
        job = previewed_import(merger, acquired, ops_user)
        import_enqueue(job=job)
        export = export_request(
            actor=executive_user, merger=merger, month=merger.day_one, fmt="xlsx"
        )
        assert redis_server.queued() == 2

        redis_server.stop()
        redis_server.start()
        assert redis_server.queued() == 2

        workers(redis_server.url)
        wait_for("the import", lambda: status_of(ImportJob, job.pk) == "succeeded")
        wait_for("the export", lambda: status_of(ExportJob, export.pk) == "succeeded")
    assert SourceAccount.objects.filter(company=acquired).count() == ROWS


def test_asking_for_work_while_redis_is_down_fails_the_job_with_a_message_not_a_500(
    merger, acquired, ops_user, executive_user, media, redis_server, workers
):
    job = previewed_import(merger, acquired, ops_user)
    with broker_for_this_process(redis_server.url):
        redis_server.stop()

        started = time.monotonic()
        response = client_as(ops_user).post(f"{API}/imports/{job.pk}/start/")
        exported = client_as(executive_user).post(
            f"{API}/exports/", {"month": merger.day_one.strftime("%Y-%m"), "format": "pdf"}
        )
        assert time.monotonic() - started < 2 * ANSWER_SECONDS

        assert response.status_code == 202
        assert response.json()["status"] == "failed"
        assert "task queue could not be reached" in response.json()["message"]
        assert exported.status_code == 202
        assert exported.json()["status"] == "failed"
        assert "task queue could not be reached" in exported.json()["message"]
        browser = Client()
        browser.force_login(ops_user)
        page = browser.get(f"/imports/{job.pk}/")
        assert page.status_code == 200
        assert "task queue could not be reached" in page.content.decode()
        assert "Run the import again" in page.content.decode()

        redis_server.start()
        workers(redis_server.url)
        again = client_as(ops_user).post(f"{API}/imports/{job.pk}/start/")
        assert again.status_code == 202
        assert again.json()["status"] == "queued"
        wait_for("the import", lambda: status_of(ImportJob, job.pk) == "succeeded")

        retried = client_as(executive_user).post(
            f"{API}/exports/", {"month": merger.day_one.strftime("%Y-%m"), "format": "pdf"}
        )
        assert retried.status_code == 202
        wait_for("the export", lambda: status_of(ExportJob, retried.json()["id"]) == "succeeded")
    assert SourceAccount.objects.filter(company=acquired).count() == ROWS
    assert ExportJob.objects.get(pk=exported.json()["id"]).status == ExportJob.Status.FAILED


def test_a_write_while_redis_is_down_is_saved_and_answered(
    merger, acquired, rep, rep_user, redis_server
):
    """Opportunity writes queue a scores refresh; a broker that is down only delays it."""
    stage = factories.StageFactory(merger=merger)
    account = factories.UnifiedAccountFactory(merger=merger)
    product = factories.ProductFactory(company=acquired)
    with broker_for_this_process(redis_server.url):
        redis_server.stop()
        response = client_as(rep_user).post(
            f"{API}/opportunities/",
            {
                "merger": merger.pk,
                "account": account.pk,
                "product": product.pk,
                "stage": stage.pk,
                "expected_close": "2027-01-31",
                "customer_need": "Replace the old sensors",
            },
            format="json",
        )
        redis_server.start()
    assert response.status_code == 201, response.content
    assert Opportunity.objects.filter(pk=response.json()["id"]).exists()
