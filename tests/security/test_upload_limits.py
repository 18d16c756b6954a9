"""Uploads over the size limit are refused before anything reads them; wrong types clearly.

Both ways in are checked for both uploads: the import and quota pages (a page
with the reason) and the API (413 or 400 with the reason in JSON).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ImportJob
from tests.security.probe import client_for

ROWS = b"rep,period,core,cross_sell\n" + b"ann,2026-03,1,1\n" * 80_000  # about 1.3 MB


@pytest.fixture(autouse=True)
def _one_megabyte(settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def unread(monkeypatch):
    """Fails the test if the multipart body is parsed at all."""

    def parse(self):
        raise AssertionError("the upload was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _import_form(company, content: bytes, name: str = "crm.csv") -> dict:
    return {"company": company.pk, "kind": "accounts", "file": SimpleUploadedFile(name, content)}


def test_an_oversized_import_is_refused_on_the_page_before_it_is_read(ops_user, acquirer, unread):
    response = client_for(ops_user).post(reverse("accounts:imports"), _import_form(acquirer, ROWS))

    assert response.status_code == 413
    assert "The file is larger than 1 MB" in response.text
    assert reverse("accounts:imports") in response.text
    assert not ImportJob.objects.exists()


def test_an_oversized_import_is_refused_by_the_api_with_413(ops_user, acquirer, unread):
    response = api_as(ops_user).post(
        reverse("api:import-list"), _import_form(acquirer, ROWS), format="multipart"
    )

    assert response.status_code == 413
    assert "larger than 1 MB" in response.json()["detail"]


def test_an_oversized_quota_file_is_refused_on_the_page(merger, ops_user, unread):
    upload = SimpleUploadedFile("quotas.csv", ROWS)
    response = client_for(ops_user).post(reverse("tracker:quota_import"), {"file": upload})

    assert response.status_code == 413
    assert "larger than 1 MB" in response.text


def test_an_oversized_quota_file_is_refused_by_the_api(merger, ops_user, unread):
    data = {"merger": merger.pk, "file": SimpleUploadedFile("quotas.csv", ROWS)}
    response = api_as(ops_user).post(reverse("api:quota-import-file"), data, format="multipart")

    assert response.status_code == 413


def test_an_oversized_json_body_is_refused_before_a_parser_reads_it(settings, merger, ops_user):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"merger": merger.pk, "name": "x" * 2000})
    response = client_for(ops_user).post(
        reverse("api:segment-list"), body, content_type="application/json"
    )

    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("crm.exe", b"MZ\x90\x00", "Unsupported file type"),
        ("crm.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old Excel files (.xls)"),
        ("crm.xlsx", b"crm_id,name\nA1,Acme\n", "not a valid Excel workbook"),
    ],
)
def test_an_import_of_an_unsupported_type_is_refused_with_the_reason(
    name, content, message, ops_user, acquirer
):
    page = client_for(ops_user).post(
        reverse("accounts:imports"), _import_form(acquirer, content, name)
    )
    api = api_as(ops_user).post(
        reverse("api:import-list"), _import_form(acquirer, content, name), format="multipart"
    )

    assert page.status_code == 400 and message in page.text
    assert api.status_code == 400 and message in api.json()["file"][0]
    assert not ImportJob.objects.exists()


def test_a_quota_file_of_an_unsupported_type_is_refused_with_the_reason(merger, ops_user):
    page = client_for(ops_user).post(
        reverse("tracker:quota_import"), {"file": SimpleUploadedFile("quotas.exe", b"MZ")}
    )
    api = api_as(ops_user).post(
        reverse("api:quota-import-file"),
        {"merger": merger.pk, "file": SimpleUploadedFile("quotas.exe", b"MZ")},
        format="multipart",
    )

    assert "Unsupported file type" in page.text
    assert api.status_code == 400
    assert "Unsupported file type" in api.json()["file_errors"][0]
