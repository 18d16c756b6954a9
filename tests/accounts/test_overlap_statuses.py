import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import LegacyCompany, UnifiedAccount
from accounts.services.overlap import account_statuses_refresh
from accounts.tasks import refresh_account_statuses
from core.task_queue import enqueue_on_commit
from tests import factories

Status = UnifiedAccount.Status
ROLES = (LegacyCompany.Role.ACQUIRER, LegacyCompany.Role.ACQUIRED)


@pytest.fixture
def account(merger):
    return factories.UnifiedAccountFactory(merger=merger, status=Status.NEITHER)


def _source(company, unified, *, customer: bool):
    return factories.SourceAccountFactory(company=company, unified=unified, is_customer=customer)


def _refreshed(account) -> str:
    account.refresh_from_db()
    return account.status


def test_customer_of_both_companies_is_both(merger, acquirer, acquired, account):
    _source(acquirer, account, customer=True)
    _source(acquired, account, customer=True)

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(account) == Status.BOTH


def test_customer_of_the_acquirer_only_is_acquirer_only(merger, acquirer, acquired, account):
    _source(acquirer, account, customer=True)
    _source(acquired, account, customer=False)

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(account) == Status.ACQUIRER_ONLY


def test_customer_of_the_acquired_company_only_is_acquired_only(merger, acquired, account):
    _source(acquired, account, customer=True)

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(account) == Status.ACQUIRED_ONLY


def test_owning_a_product_counts_as_customer_even_without_the_crm_flag(
    merger, acquirer, acquired, account
):
    _source(acquirer, account, customer=True)
    holder = _source(acquired, account, customer=False)
    factories.HoldingFactory(account=holder, product=factories.ProductFactory(company=acquired))

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(account) == Status.BOTH


def test_known_records_without_a_customer_are_prospects(merger, acquirer, acquired, account):
    _source(acquirer, account, customer=False)
    _source(acquired, account, customer=False)

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(account) == Status.PROSPECT


def test_account_without_source_records_is_neither(merger):
    account = factories.UnifiedAccountFactory(merger=merger, status=Status.BOTH)

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(account) == Status.NEITHER


def test_refresh_counts_changed_accounts_and_a_rerun_changes_nothing(merger, acquirer, acquired):
    for _ in range(3):
        _source(acquirer, factories.UnifiedAccountFactory(merger=merger), customer=True)
    factories.UnifiedAccountFactory(merger=merger, status=Status.NEITHER)

    assert account_statuses_refresh(merger_id=merger.pk) == 3
    assert account_statuses_refresh(merger_id=merger.pk) == 0


def test_refresh_leaves_other_programs_alone(merger, acquirer):
    other = factories.MergerFactory(name="Another deal")
    elsewhere = factories.UnifiedAccountFactory(merger=other, status=Status.BOTH)

    account_statuses_refresh(merger_id=merger.pk)

    assert _refreshed(elsewhere) == Status.BOTH


def _customers_of_both(merger, acquirer, acquired, count: int) -> None:
    for _ in range(count):
        account = factories.UnifiedAccountFactory(merger=merger)
        _source(acquirer, account, customer=True)
        _source(acquired, account, customer=True)


def test_refresh_runs_as_many_queries_for_twenty_accounts_as_for_one(merger, acquirer, acquired):
    small = factories.MergerFactory()
    small_companies = [factories.CompanyFactory(merger=small, role=role) for role in ROLES]
    _customers_of_both(small, *small_companies, 1)
    with CaptureQueriesContext(connection) as one:
        assert account_statuses_refresh(merger_id=small.pk) == 1
    _customers_of_both(merger, acquirer, acquired, 20)

    with CaptureQueriesContext(connection) as twenty:
        assert account_statuses_refresh(merger_id=merger.pk) == 20

    assert len(twenty) == len(one)


def test_unknown_merger_changes_nothing(db):
    assert account_statuses_refresh(merger_id=999_999) == 0


def test_task_calls_the_service(merger, acquirer, account):
    _source(acquirer, account, customer=True)

    assert refresh_account_statuses.run(merger.pk) == 1
    assert _refreshed(account) == Status.ACQUIRER_ONLY


def test_refresh_is_enqueued_only_when_the_transaction_commits(
    merger, acquirer, account, django_capture_on_commit_callbacks
):
    _source(acquirer, account, customer=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(refresh_account_statuses, merger.pk)
        assert _refreshed(account) == Status.NEITHER

    assert len(callbacks) == 1
    assert _refreshed(account) == Status.ACQUIRER_ONLY
