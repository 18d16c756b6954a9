"""What the generated requests of test_schemathesis.py found, kept fixed one by one."""

import pytest
import yaml
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import UnifiedAccount
from scorecards.models import ExportJob
from tests import factories

API = "/api/v1"


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/schema/").content)


def responses(schema: dict, method: str, path: str) -> dict:
    return schema["paths"][path][method]["responses"]


def test_an_api_url_that_matches_no_route_answers_json_not_the_html_page(db):
    response = Client().get(f"{API}/opportunities/1.5/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_url_that_matches_no_route_still_answers_the_html_page(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_exports_filter_by_format_instead_of_choosing_a_renderer(merger, executive_user):
    ExportJob.objects.create(merger=merger, month="2026-05-01", format="pdf")
    ExportJob.objects.create(merger=merger, month="2026-05-01", format="csv")

    response = client_as(executive_user).get(f"{API}/exports/", {"format": "pdf"})

    assert response.status_code == 200
    assert [job["format"] for job in response.json()["results"]] == ["pdf"]


def test_a_nul_character_in_a_search_is_refused_with_an_object_body(merger, rep_user):
    response = client_as(rep_user).get(f"{API}/accounts/", {"search": "ac\x00me"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_an_account_without_a_segment_lists_its_segment_name_as_null(merger, rep_user):
    factories.UnifiedAccountFactory(merger=merger, segment=None, status=UnifiedAccount.Status.BOTH)

    response = client_as(rep_user).get(
        f"{API}/overlap/accounts/", {"merger": merger.pk, "status": "both"}
    )

    assert response.status_code == 200
    assert response.json()["results"][0]["segment_name"] is None


def test_a_lost_database_connection_answers_503_with_a_message(merger, rep_user, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("tracker.api.views.opportunities_visible_to", lost)

    response = client_as(rep_user).get(f"{API}/opportunities/")

    assert response.status_code == 503
    assert "could not be reached" in response.json()["detail"]
    assert response["Retry-After"]


# The schema lists each refusal where the endpoint can give it, and only there.


def test_a_paged_list_documents_404_for_a_page_past_the_end(schema):
    assert "404" in responses(schema, "get", f"{API}/segments/")


def test_a_list_with_filters_documents_400_for_a_bad_filter_value(schema):
    assert "400" in responses(schema, "get", f"{API}/opportunities/")


def test_starting_an_import_reads_no_input_so_documents_no_400(schema):
    assert "400" not in responses(schema, "post", f"{API}/imports/{{id}}/start/")


def test_a_delete_documents_409_only_where_other_records_can_hold_the_object(schema):
    assert "409" in responses(schema, "delete", f"{API}/products/{{id}}/")
    assert "409" not in responses(schema, "delete", f"{API}/segments/{{id}}/")


def test_a_400_that_an_endpoint_declares_also_allows_field_errors(schema):
    declared = responses(schema, "post", f"{API}/quotas/import/")["400"]
    body = declared["content"]["application/json"]["schema"]

    assert len(body["anyOf"]) == 2


@pytest.mark.parametrize("path", ["overlap", "pipeline-metrics", "payouts"])
def test_a_summary_endpoint_documents_one_object_not_a_page_of_them(schema, path):
    body = responses(schema, "get", f"{API}/{path}/")["200"]["content"]["application/json"]

    assert "$ref" in body["schema"]
    assert "Paginated" not in body["schema"]["$ref"]


def test_an_id_filter_beyond_64_bits_is_refused_before_the_database(merger, rep_user):
    response = client_as(rep_user).get(f"{API}/segments/", {"merger": 2**70})

    assert response.status_code == 400
    assert "merger" in response.json()
