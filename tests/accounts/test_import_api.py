"""Imports over the API: upload with preview, mapping, start, progress, problems."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import ColumnMapping, ImportJob, SourceAccount
from core.access import Role
from tests import factories

API = "/api/v1/imports/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_file(client, company, content: bytes, name="export.csv", **extra):
    data = {"company": company.pk, "kind": "accounts", "file": SimpleUploadedFile(name, content)}
    return client.post(API, data | extra, format="multipart")


def test_upload_answers_the_preview_and_start_imports_in_the_background(
    ops_user, acquirer, django_capture_on_commit_callbacks
):
    client = client_as(ops_user)
    response = post_file(client, acquirer, b"Id,Name,BillingCountry\n0011,Acme,Germany\n")

    assert response.status_code == 201
    preview = response.json()
    assert preview["profile"] == "salesforce_dataloader"
    assert preview["columns"] == {"crm_id": "Id", "name": "Name", "country": "BillingCountry"}
    assert (preview["total_rows"], preview["new_count"], preview["can_import"]) == (1, 1, True)
    job_id = preview["job"]["id"]

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{API}{job_id}/start/")

    assert started.status_code == 202
    job = client.get(f"{API}{job_id}/").json()
    assert (job["status"], job["progress"], job["created_count"]) == ("succeeded", 100, 1)
    assert SourceAccount.objects.get(crm_id="0011").country == "DE"


def test_unrecognised_file_is_mapped_over_the_api(ops_user, acquirer):
    client = client_as(ops_user)
    preview = post_file(client, acquirer, b"Nummer;Firma\nK1;Acme\n").json()
    assert not preview["can_import"] and preview["mapping_problems"]

    response = client.post(
        f"{API}{preview['job']['id']}/mapping/",
        {"columns": {"crm_id": "Nummer", "name": "Firma"}},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["can_import"]


def test_saved_mapping_is_applied_by_name(ops_user, merger, acquirer):
    ColumnMapping.objects.create(
        merger=merger, name="ERP", kind="accounts", columns={"crm_id": "Nummer", "name": "Firma"}
    )
    preview = post_file(client_as(ops_user), acquirer, b"Nummer,Firma\nK1,Acme\n", mapping="ERP")
    assert preview.json()["can_import"]


def test_problems_are_listed_and_a_file_with_problems_cannot_start(ops_user, acquirer):
    client = client_as(ops_user)
    preview = post_file(client, acquirer, b"crm_id,name,employees\nA1,Acme,many\n").json()
    job_id = preview["job"]["id"]

    problems = client.get(f"{API}{job_id}/problems/").json()["results"]

    assert problems == [
        {
            "row": 2,
            "column": "employees",
            "field": "employees",
            "value": "many",
            "message": "'many' is not a whole number of zero or more.",
        }
    ]
    assert client.post(f"{API}{job_id}/start/").status_code == 409


def test_unreadable_file_is_a_400_naming_the_file(ops_user, acquirer):
    response = post_file(client_as(ops_user), acquirer, b"%PDF-1.4", name="x.pdf")
    assert response.status_code == 400
    assert "Unsupported file type" in response.json()["file"][0]


def test_reps_may_not_import(rep_user, acquirer):
    assert post_file(client_as(rep_user), acquirer, b"crm_id,name\nA,B\n").status_code == 403
    assert client_as(rep_user).get(API).status_code == 403


def test_another_programs_company_and_imports_do_not_exist_for_outsiders(merger, acquirer):
    job = ImportJob.objects.create(
        merger=merger, company=acquirer, kind="accounts", original_name="x.csv"
    )
    other = factories.MergerFactory(name="Other deal")
    outsider = factories.UserFactory(username="other_ops", role=Role.OPS)
    factories.MembershipFactory(merger=other, user=outsider)
    client = client_as(outsider)
    assert client.get(f"{API}{job.pk}/").status_code == 404
    assert post_file(client, acquirer, b"crm_id,name\nA,B\n").status_code == 400
