"""A database connection cut in the middle of a task or a request: rolled back, then retried.

The server ends the session with pg_terminate_backend, as a failover, a
restart or an idle-session killer would.
"""

import time

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from werkzeug.test import Client as WSGIClient

from accounts.models import Direction, ImportJob, SourceAccount
from accounts.services.imports import import_enqueue
from config.wsgi import application
from tests import factories
from tests.faults.conftest import sql, wait_for, writing_backends
from tests.faults.test_worker_killed import ROWS, paused, previewed_import, status_of
from tests.history import changes_kept
from tracker.models import Opportunity

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

API = "/api/v1"


def terminate(pid: int) -> None:
    assert sql("SELECT pg_terminate_backend(%s)", pid) == [(True,)]


def test_an_import_whose_connection_is_cut_writes_nothing_then_retries_and_completes(
    merger, acquired, ops_user, media, faults_broker, workers, tmp_path
):
    job = previewed_import(merger, acquired, ops_user)
    worker = workers(
        faults_broker, FAULT_PAUSE_SECONDS="3", FAULT_PAUSE_FLAG=str(tmp_path / "paused")
    )

    import_enqueue(job=job)
    wait_for("the import to write its rows and pause", paused(tmp_path / "paused"))
    [pid] = writing_backends()
    terminate(pid)

    # Told, while it waits for its retry, that nothing was written.
    wait_for(
        "the job to wait for its retry",
        lambda: ImportJob.objects.filter(pk=job.pk, status="queued").exists(),
    )
    job.refresh_from_db()
    assert "connection was lost" in job.message
    assert SourceAccount.objects.filter(company=acquired).count() == 0

    wait_for("the retry to finish", lambda: status_of(ImportJob, job.pk) == "succeeded")
    imported = SourceAccount.objects.filter(company=acquired)
    assert imported.count() == imported.values("crm_id").distinct().count() == ROWS
    assert "Retry in" in worker.output()


@pytest.fixture
def opportunity(merger, rep, acquired):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=factories.ProductFactory(company=acquired),
        stage=factories.StageFactory(merger=merger),
        direction=Direction.A_TO_B,
    )


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_request_whose_connection_is_cut_mid_write_saves_nothing_and_the_next_one_works(
    rep_user, opportunity
):
    url = f"{API}/opportunities/{opportunity.pk}/"
    change = {"version": opportunity.version, "next_step": "Call the plant manager"}
    history = len(changes_kept(opportunity))

    def cut_before_history(execute, statement, params, many, context):
        # The opportunity row is updated by now, in the same transaction.
        if statement.startswith('INSERT INTO "accounts_recordchange"'):
            terminate(connection.connection.info.backend_pid)
        return execute(statement, params, many, context)

    with connection.execute_wrapper(cut_before_history):
        cut = client_as(rep_user).patch(url, change, format="json")

    assert cut.status_code == 503
    assert "nothing was saved" in cut.json()["detail"]
    opportunity.refresh_from_db()
    assert opportunity.next_step != "Call the plant manager"
    assert len(changes_kept(opportunity)) == history

    again = client_as(rep_user).patch(url, change, format="json")

    assert again.status_code == 200
    opportunity.refresh_from_db()
    assert opportunity.next_step == "Call the plant manager"
    assert len(changes_kept(opportunity)) == history + 1


def test_a_kept_connection_the_server_dropped_is_replaced_before_the_next_request(
    rep_user, opportunity
):
    """CONN_HEALTH_CHECKS: with connections kept between requests, as in production."""
    token = Token.objects.create(user=rep_user).key
    browser = WSGIClient(application)
    headers = {"Authorization": f"Token {token}"}
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        assert browser.get(f"{API}/opportunities/", headers=headers).status_code == 200
        assert connection.connection is not None  # kept for the next request
        terminate(connection.connection.info.backend_pid)
        time.sleep(0.2)

        response = browser.get(f"{API}/opportunities/", headers=headers)
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept
        connection.close()

    assert response.status_code == 200
    assert response.json["count"] == Opportunity.objects.count()
