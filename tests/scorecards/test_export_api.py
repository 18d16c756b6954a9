"""The export API: request a file (202), follow the job, download it."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.access import Role
from scorecards.models import ExportJob
from tests import factories
from tests.scorecards.export_program import MONTH, scored_program

EXPORTS = "/api/v1/exports/"


@pytest.fixture(autouse=True)
def _media_and_throttles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def program(merger, rep):
    return scored_program(merger, rep, ["Food & beverage"])


def client_as(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("rep_user", 403),
        ("leader_user", 202),
        ("executive_user", 202),
        ("ops_user", 202),
        (None, 401),
    ],
)
def test_each_role_may_request_an_export_as_the_rules_say(request, merger, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    response = client_as(user).post(EXPORTS, {"month": "2026-05", "format": "csv"}, format="json")
    assert response.status_code == expected


def test_requested_export_is_followed_and_downloaded(
    program, executive_user, django_capture_on_commit_callbacks
):
    client = client_as(executive_user)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(EXPORTS, {"month": "2026-05", "format": "xlsx"}, format="json")
    assert created.status_code == 202
    assert created.data["status"] == "queued"
    assert created["Location"].endswith(f"{EXPORTS}{created.data['id']}/")

    job = client.get(f"{EXPORTS}{created.data['id']}/").json()
    assert (job["status"], job["progress"], job["month"]) == ("succeeded", 100, "2026-05")
    assert job["filename"] == "sensa-predikt-scorecard-2026-05.xlsx"

    download = client.get(job["download_url"], HTTP_ACCEPT="application/vnd.ms-excel")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="sensa-predikt-scorecard-2026-05.xlsx"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_download_of_an_unfinished_job_is_a_conflict(merger, leader_user):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="pdf", status="running")
    response = client_as(leader_user).get(f"{EXPORTS}{job.pk}/download/")
    assert response.status_code == 409
    assert "running" in response.json()["detail"]


def test_member_of_several_programs_must_name_one(merger, leader_user):
    second = factories.MergerFactory(name="Second deal")
    factories.MembershipFactory(merger=second, user=leader_user)
    client = client_as(leader_user)

    missing = client.post(EXPORTS, {"month": "2026-05", "format": "pdf"}, format="json")
    assert missing.status_code == 400 and "merger" in missing.json()
    named = client.post(
        EXPORTS, {"merger": second.pk, "month": "2026-05", "format": "pdf"}, format="json"
    )
    assert named.status_code == 202 and named.data["merger"] == second.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"month": "May", "format": "pdf"}, "month"),
        ({"month": "2026-05", "format": "docx"}, "format"),
        ({"month": "2025-01", "format": "pdf"}, "month"),
    ],
)
def test_invalid_requests_answer_400_by_field(merger, ops_user, payload, field):
    response = client_as(ops_user).post(EXPORTS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_jobs_of_another_program_are_not_found(merger, outsider_user):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="csv")
    outsider = factories.UserFactory(username="other_exec", role=Role.EXECUTIVE)
    factories.MembershipFactory(merger=outsider_user.mergers.get(), user=outsider)
    client = client_as(outsider)

    assert client.get(f"{EXPORTS}{job.pk}/").status_code == 404
    assert client.get(f"{EXPORTS}{job.pk}/download/").status_code == 404
    assert client.get(EXPORTS).json()["count"] == 0
    foreign = client.post(
        EXPORTS, {"merger": merger.pk, "month": "2026-05", "format": "pdf"}, format="json"
    )
    assert foreign.status_code == 400
