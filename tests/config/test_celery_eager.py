from unittest import mock

from celery.result import EagerResult

from accounts.models import UnifiedAccount
from accounts.tasks import refresh_account_statuses
from config.celery import app
from tests import factories


def test_tasks_outside_broker_tests_run_in_process_without_touching_a_broker(merger, acquirer):
    account = factories.UnifiedAccountFactory(merger=merger)
    factories.SourceAccountFactory(company=acquirer, unified=account, is_customer=True)
    refused = AssertionError("a test outside the broker tests connected to a broker")

    with mock.patch("kombu.Connection._establish_connection", side_effect=refused):
        result = refresh_account_statuses.delay(merger.pk)

    assert app.conf.task_always_eager is True
    assert isinstance(result, EagerResult)
    account.refresh_from_db()
    assert account.status == UnifiedAccount.Status.ACQUIRER_ONLY
