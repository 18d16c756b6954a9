"""A real worker consumes a task from the broker and writes to the database.

Runs only where CELERY_BROKER_URL points at a live broker (the PostgreSQL +
Redis part of .ci/run). The test database is transactional so that the worker
thread, on its own connection, sees the rows the test committed.
"""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from celery.worker import state as worker_state
from django.conf import settings

from accounts.models import UnifiedAccount
from accounts.tasks import refresh_account_statuses
from config.celery import app
from tests import factories

# Its own queue, so that a development worker on the same broker cannot take the task.
QUEUE = "crosssell-test-worker"
TIMEOUT_SECONDS = 30
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not BROKER_URL, reason="CELERY_BROKER_URL not set"),
    # Restores the role groups that migrations create, which the flush after the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker():
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        queues=[QUEUE],
        shutdown_timeout=TIMEOUT_SECONDS,
    ) as running:
        yield running


def test_tasks_go_through_the_broker_not_in_process():
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert app.conf.task_always_eager is False


def test_worker_runs_a_task_sent_through_the_broker_and_writes_the_database(
    merger, acquirer, acquired, worker
):
    account = factories.UnifiedAccountFactory(merger=merger, status=UnifiedAccount.Status.NEITHER)
    factories.SourceAccountFactory(company=acquirer, unified=account, is_customer=True)
    factories.SourceAccountFactory(company=acquired, unified=account, is_customer=True)
    done_before = worker_state.total_count.get(refresh_account_statuses.name, 0)

    result = refresh_account_statuses.apply_async(
        args=[merger.pk], queue=QUEUE, ignore_result=False
    )

    assert isinstance(result, AsyncResult)
    assert result.get(timeout=TIMEOUT_SECONDS) == 1
    assert worker_state.total_count[refresh_account_statuses.name] == done_before + 1
    account.refresh_from_db()
    assert account.status == UnifiedAccount.Status.BOTH
