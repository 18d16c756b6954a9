"""What follows a CRM write: imports, matching, the analysis refresh and the news for scores.

Tasks run eagerly in tests, so executing the on-commit callbacks runs the
whole chain as a worker would, one link after the other.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import tasks
from accounts.imports.columns import ACCOUNTS, INSTALL_BASE, PRODUCTS
from accounts.models import Merger, SourceAccount, UnifiedAccount, WhitespaceCell
from accounts.services.imports import import_job_create, import_preview, import_run
from accounts.services.matching import accounts_match
from accounts.services.refresh import merger_analysis_refresh
from core.signals import program_data_changed
from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def heard():
    """Merger ids `program_data_changed` was sent with."""
    merger_ids: list[int] = []

    def receiver(sender, merger_id, **kwargs):
        merger_ids.append(merger_id)

    program_data_changed.connect(receiver, dispatch_uid="test-data-flow")
    yield merger_ids
    program_data_changed.disconnect(dispatch_uid="test-data-flow")


@pytest.fixture
def queued(monkeypatch):
    """Tasks enqueued, by name, without running them."""
    names: list[str] = []
    for task in (tasks.match_accounts_task, tasks.refresh_merger_analysis):
        monkeypatch.setattr(task, "delay", lambda *args, name=task.name: names.append(name))
    return names


def started(merger, company, kind: str, content: str):
    job = import_job_create(
        merger=merger,
        company=company,
        kind=kind,
        uploaded_file=SimpleUploadedFile("export.csv", content.encode()),
        actor=None,
    )
    preview = import_preview(job=job)
    assert preview.can_import, [str(p) for p in preview.problems] + preview.mapping_problems
    return job


@pytest.fixture
def acme_installed(acquirer, acquired):
    """The acquirer sells Acme a sensor; the map says sensor owners want analytics."""
    account = factories.SourceAccountFactory(
        company=acquirer, crm_id="A1", name="Acme Corp.", website="acme.com", is_customer=True
    )
    sensor = factories.ProductFactory(company=acquirer, code="SNS-1")
    analytics = factories.ProductFactory(company=acquired, code="PDK-1")
    factories.HoldingFactory(account=account, product=sensor)
    factories.ProductMappingFactory(
        merger=acquirer.merger, source=sensor, target=analytics, relation="complementary"
    )
    return account


def test_an_accounts_import_matches_then_refreshes_the_analysis_then_tells_scores(
    merger, acquired, acme_installed, heard, django_capture_on_commit_callbacks
):
    job = started(
        merger, acquired, ACCOUNTS, "crm_id,name,website\nB1,ACME Corporation,acme.com\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        import_run(job_id=job.pk)

    imported = SourceAccount.objects.get(crm_id="B1")
    acme_installed.refresh_from_db()
    assert imported.unified_id == acme_installed.unified_id is not None
    account = UnifiedAccount.objects.get(pk=imported.unified_id)
    assert account.status == UnifiedAccount.Status.ACQUIRER_ONLY
    assert account.connection_strength is not None
    assert WhitespaceCell.objects.filter(account=account, product__code="PDK-1").exists()
    assert heard == [merger.pk]


def test_an_accounts_import_queues_matching_and_matching_queues_the_refresh(
    merger, acquired, queued, django_capture_on_commit_callbacks
):
    job = started(merger, acquired, ACCOUNTS, "crm_id,name\nB1,Acme\n")

    with django_capture_on_commit_callbacks(execute=True):
        import_run(job_id=job.pk)

    assert queued == [tasks.match_accounts_task.name]

    with django_capture_on_commit_callbacks(execute=True):
        accounts_match(merger=merger)

    assert queued == [tasks.match_accounts_task.name, tasks.refresh_merger_analysis.name]


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        (PRODUCTS, "code,name\nSNS-2,Edge gateway\n"),
        (INSTALL_BASE, "account_crm_id,product_code,annual_revenue\nA1,SNS-1,500\n"),
    ],
)
def test_a_products_or_install_base_import_queues_only_the_analysis_refresh(
    merger, acquirer, acme_installed, queued, kind, content, django_capture_on_commit_callbacks
):
    job = started(merger, acquirer, kind, content)

    with django_capture_on_commit_callbacks(execute=True):
        import_run(job_id=job.pk)

    assert queued == [tasks.refresh_merger_analysis.name]


def test_an_install_base_import_refreshes_statuses_and_tells_scores(
    merger, acquired, heard, django_capture_on_commit_callbacks
):
    record = factories.SourceAccountFactory(company=acquired, crm_id="B1", name="Acme")
    accounts_match(merger=merger)
    factories.ProductFactory(company=acquired, code="PDK-1")
    job = started(
        merger,
        acquired,
        INSTALL_BASE,
        "account_crm_id,product_code,annual_revenue\nB1,PDK-1,900\n",
    )

    with django_capture_on_commit_callbacks(execute=True):
        import_run(job_id=job.pk)

    record.refresh_from_db()
    assert record.unified.status == UnifiedAccount.Status.ACQUIRED_ONLY
    assert heard == [merger.pk]


def test_an_import_that_changes_nothing_queues_nothing(
    merger, acquirer, queued, django_capture_on_commit_callbacks
):
    content = "crm_id,name,website\nA1,Acme,acme.com\n"
    import_run(job_id=started(merger, acquirer, ACCOUNTS, content).pk)
    again = started(merger, acquirer, ACCOUNTS, content)

    with django_capture_on_commit_callbacks(execute=True):
        import_run(job_id=again.pk)

    again.refresh_from_db()
    assert (again.status, again.created_count, again.updated_count) == ("succeeded", 0, 0)
    assert queued == []


def test_a_failed_import_queues_nothing(
    merger, acquirer, queued, django_capture_on_commit_callbacks
):
    factories.SourceAccountFactory(company=acquirer, crm_id="A1", name="Acme")
    product = factories.ProductFactory(company=acquirer, code="SNS-1")
    job = started(merger, acquirer, INSTALL_BASE, "account_crm_id,product_code\nA1,SNS-1\n")
    product.delete()  # gone between the preview and the run

    with django_capture_on_commit_callbacks(execute=True):
        import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == job.Status.FAILED
    assert queued == []


def test_the_refresh_tells_scores_only_after_it_commits(
    merger, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        merger_analysis_refresh(merger_id=merger.pk)
        assert heard == []

    for callback in callbacks:
        callback()
    assert heard == [merger.pk]


def test_a_refresh_told_not_to_notify_stays_quiet(
    merger, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        merger_analysis_refresh(merger_id=merger.pk, notify=False)

    assert heard == []


def test_a_refresh_of_an_unknown_program_tells_nobody(
    db, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        merger_analysis_refresh(merger_id=Merger.objects.count() + 1000)

    assert heard == []
