"""The "No segment" line of a breakdown drills down: ?segment=none on the account list,
the pipeline list and the API lists their records without a segment."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services.refresh import merger_analysis_refresh
from tests import factories
from tests.accounts.install_base import account_owning

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(merger, acquirer, acquired, rep):
    """Two accounts owning a mapped product, one in a segment and one without; a deal on each."""
    segment = factories.SegmentFactory(merger=merger, name="Utilities")
    sensor = factories.ProductFactory(company=acquirer, name="Sensor")
    analytics = factories.ProductFactory(company=acquired, name="Analytics")
    factories.ProductMappingFactory(merger=merger, source=sensor, target=analytics)
    segmented = account_owning(merger, acquirer, sensor, segment=segment, name="Segmented")
    unsegmented = account_owning(merger, acquirer, sensor, name="Unsegmented")
    merger_analysis_refresh(merger_id=merger.pk)
    deals = {
        account: factories.OpportunityFactory(
            merger=merger, owner=rep, account=account, segment=account.segment, product=analytics
        )
        for account in (segmented, unsegmented)
    }
    return {"segment": segment, "segmented": segmented, "unsegmented": unsegmented, **deals}


def api_ids(user, path, **params) -> list[int]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"{API}/{path}/", params)
    assert response.status_code == 200, response.content
    return [
        row["account"] if "account" in row else row["id"] for row in response.json()["results"]
    ]


def test_the_api_lists_the_records_without_a_segment(ops_user, merger, world):
    unsegmented, segmented = world["unsegmented"], world["segmented"]
    for path in ("whitespace", "opportunities"):
        assert api_ids(ops_user, path, merger=merger.pk, segment="none") == [unsegmented.pk]
        assert api_ids(ops_user, path, merger=merger.pk, segment=world["segment"].pk) == [
            segmented.pk
        ]
    assert api_ids(ops_user, "accounts", merger=merger.pk, segment="none") == [unsegmented.pk]


def test_the_api_still_refuses_a_segment_that_is_neither_an_id_nor_none(ops_user, merger):
    client = APIClient()
    client.force_authenticate(ops_user)
    response = client.get(f"{API}/whitespace/", {"merger": merger.pk, "segment": "nobody"})
    assert response.status_code == 400


def test_the_account_and_pipeline_lists_filter_to_no_segment(client, ops_user, world):
    client.force_login(ops_user)
    accounts = client.get(reverse("accounts:account_list"), {"segment": "none"})
    assert list(accounts.context["page_obj"].object_list) == [world["unsegmented"]]
    pipeline = client.get(reverse("tracker:pipeline"), {"segment": "none"})
    assert list(pipeline.context["page_obj"].object_list) == [world[world["unsegmented"]]]
    assert pipeline.context["figures"].open_amount == Decimal("20000.00")
    assert b'<option value="none" selected>No segment</option>' in pipeline.content


def test_the_overlap_links_the_no_segment_row_to_its_accounts(client, ops_user, world):
    client.force_login(ops_user)
    response = client.get(reverse("accounts:overlap"))
    assert b"/accounts/?segment=none&amp;status=" in response.content


def test_each_whitespace_total_row_opens_its_own_segments_candidates(client, ops_user, world):
    """Only the "No segment" row opens the candidates without a segment."""
    client.force_login(ops_user)
    url = reverse("accounts:whitespace")
    body = client.get(url).content.decode()
    for name, value, account in (
        ("Utilities", world["segment"].pk, world["segmented"]),
        ("No segment", "none", world["unsegmented"]),
    ):
        link = f'<a href="?segment={value}#whitespace-matrix">{name}</a>'
        assert link in body, name
        matrix = client.get(url, {"segment": value}).context["matrix"]
        assert [row.id for row in matrix.rows] == [account.pk], name
