"""Reference data written through the API goes through the services: history and what follows."""

import pytest
from rest_framework.test import APIClient

from accounts.models import LegacyCompany, RecordChange, UnifiedAccount, WhitespaceCell
from accounts.services.whitespace import whitespace_refresh
from tests import factories
from tests.accounts.install_base import account_owning

API = "/api/v1"


@pytest.fixture
def ops(ops_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(ops_user)
    return client


@pytest.fixture
def mapped_candidate(merger, acquirer, acquired):
    """An owner of the gateway with the mapped training as its one candidate."""
    gateway = factories.ProductFactory(company=acquirer, name="Gateway")
    training = factories.ProductFactory(company=acquired, name="Training")
    owner = account_owning(merger, acquirer, gateway)
    factories.ProductMappingFactory(merger=merger, source=gateway, target=training)
    return owner, training


def test_deactivating_a_product_through_the_api_refreshes_the_whitespace(
    ops, merger, mapped_candidate, django_capture_on_commit_callbacks
):
    owner, training = mapped_candidate
    whitespace_refresh(merger_id=merger.pk)
    assert WhitespaceCell.objects.filter(account=owner, product=training).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = ops.patch(f"{API}/products/{training.pk}/", {"is_active": False}, format="json")

    assert response.status_code == 200, response.content
    assert not WhitespaceCell.objects.filter(account=owner, product=training).exists()
    change = RecordChange.objects.get(content_type__model="product", object_id=training.pk)
    assert change.changes["is_active"] == ["true", "false"]


def test_renaming_a_product_leaves_the_whitespace_alone(
    ops, mapped_candidate, django_capture_on_commit_callbacks
):
    _, training = mapped_candidate
    with django_capture_on_commit_callbacks() as callbacks:
        response = ops.patch(f"{API}/products/{training.pk}/", {"name": "Onboarding"})

    assert response.status_code == 200
    assert callbacks == []


def test_a_product_created_through_the_api_is_checked_and_kept_in_history(ops, acquirer):
    response = ops.post(
        f"{API}/products/", {"company": acquirer.pk, "code": "GW-1", "name": "Gateway"}
    )
    assert response.status_code == 201, response.content
    assert RecordChange.objects.filter(
        content_type__model="product", action="created", object_id=response.json()["id"]
    ).exists()


def test_deleting_a_product_refreshes_the_analysis(
    ops, mapped_candidate, django_capture_on_commit_callbacks
):
    owner, _ = mapped_candidate
    gateway = owner.sources.get().holdings.get().product
    with django_capture_on_commit_callbacks() as callbacks:
        response = ops.delete(f"{API}/products/{gateway.pk}/")

    assert response.status_code == 204
    assert len(callbacks) == 1  # its holdings went with it: statuses and whitespace follow


def test_a_company_is_created_by_its_service(ops, merger, acquirer):
    response = ops.post(
        f"{API}/companies/",
        {"merger": merger.pk, "name": " Cleaned ", "short_name": "C", "role": "acquired"},
    )
    assert response.status_code == 201, response.content
    assert LegacyCompany.objects.get(pk=response.json()["id"]).name == "Cleaned"


def test_a_company_with_crm_data_is_refused_as_a_conflict(ops, acquirer):
    factories.ProductFactory(company=acquirer)
    response = ops.delete(f"{API}/companies/{acquirer.pk}/")

    assert response.status_code == 409
    assert LegacyCompany.objects.filter(pk=acquirer.pk).exists()


def test_deleting_a_segment_refreshes_the_analysis(
    ops, merger, django_capture_on_commit_callbacks
):
    segment = factories.SegmentFactory(merger=merger)
    with django_capture_on_commit_callbacks() as callbacks:
        assert ops.delete(f"{API}/segments/{segment.pk}/").status_code == 204

    assert len(callbacks) == 1
    assert RecordChange.objects.filter(content_type__model="segment", action="deleted").exists()


def test_an_account_written_through_the_api_keeps_its_history_and_hand_segment(
    ops, merger, django_capture_on_commit_callbacks
):
    segment = factories.SegmentFactory(merger=merger)
    response = ops.post(
        f"{API}/accounts/", {"merger": merger.pk, "name": "Acme", "segment": segment.pk}
    )
    assert response.status_code == 201, response.content
    account = UnifiedAccount.objects.get(pk=response.json()["id"])
    assert (account.segment, account.segment_source) == (segment, "manual")

    with django_capture_on_commit_callbacks() as callbacks:
        response = ops.patch(f"{API}/accounts/{account.pk}/", {"country": "DE"})
    assert response.status_code == 200
    assert len(callbacks) == 1  # the country places the account in a region's segment
    actions = RecordChange.objects.filter(
        content_type__model="unifiedaccount", object_id=account.pk
    )
    assert sorted(actions.values_list("action", flat=True)) == ["changed", "created"]

    with django_capture_on_commit_callbacks():
        assert ops.delete(f"{API}/accounts/{account.pk}/").status_code == 204
    assert not UnifiedAccount.objects.filter(pk=account.pk).exists()
