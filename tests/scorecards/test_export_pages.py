"""Export pages: the panel on the scorecard, the job page with its progress, the download."""

import pytest
from django.urls import reverse

from core.access import Role
from scorecards.models import ExportJob
from tests import factories
from tests.scorecards.export_program import MONTH, scored_program

ROLE_STATUS = {
    "rep_user": 403,
    "leader_user": 302,
    "executive_user": 302,
    "ops_user": 302,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def program(merger, rep):
    return scored_program(merger, rep, ["Food & beverage"])


def _request(client, fmt="xlsx", month="2026-05"):
    return client.post(reverse("scorecards:exports"), {"month": month, "format": fmt})


@pytest.mark.parametrize(("persona", "expected"), ROLE_STATUS.items())
def test_each_role_may_request_an_export_as_the_rules_say(
    client, request, program, persona, expected
):
    client.force_login(request.getfixturevalue(persona))
    assert _request(client).status_code == expected


def test_scorecard_page_offers_the_export_panel_to_exporters_only(client, leader_user, rep_user):
    client.force_login(leader_user)
    assert reverse("scorecards:exports") in client.get(reverse("scorecards:scorecard")).text
    client.force_login(rep_user)
    page = client.get(reverse("scorecards:scorecard"))
    assert page.status_code == 200
    assert reverse("scorecards:exports") not in page.text


def test_request_leads_to_a_job_page_that_polls_and_offers_the_file(
    client, program, executive_user, django_capture_on_commit_callbacks
):
    client.force_login(executive_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, fmt="pdf")
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("scorecards:export_detail", args=[job.pk])

    page = client.get(response["Location"]).text
    assert reverse("scorecards:export_status", args=[job.pk]) in page
    assert "js/job_progress.js" in page
    assert "<script>" not in page
    status = client.get(reverse("scorecards:export_status", args=[job.pk])).json()
    assert status["status"] == "succeeded" and status["progress"] == 100
    assert status["download_url"] == reverse("scorecards:export_download", args=[job.pk])

    download = client.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="sensa-predikt-scorecard-2026-05.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_unfinished_job_shows_progress_and_no_download(client, merger, leader_user):
    job = ExportJob.objects.create(
        merger=merger, month=MONTH, format="csv", status="running", progress=50
    )
    client.force_login(leader_user)

    status = client.get(reverse("scorecards:export_status", args=[job.pk])).json()
    assert (status["progress"], status["finished"], status["download_url"]) == (50, False, None)
    assert 'value="50"' in client.get(reverse("scorecards:export_detail", args=[job.pk])).text
    assert client.get(reverse("scorecards:export_download", args=[job.pk])).status_code == 404


def test_month_before_day_one_is_refused_on_the_form(client, merger, ops_user):
    client.force_login(ops_user)
    response = _request(client, month="2025-06")
    assert response.status_code == 400
    assert "The program starts in" in response.text
    assert not ExportJob.objects.exists()


def test_jobs_of_another_program_do_not_exist_for_its_outsiders(client, merger):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="csv")
    other = factories.MergerFactory(name="Another deal")
    outsider = factories.UserFactory(username="other_exec", role=Role.EXECUTIVE)
    factories.MembershipFactory(merger=other, user=outsider)
    client.force_login(outsider)

    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(reverse(f"scorecards:{name}", args=[job.pk])).status_code == 404


def test_export_list_shows_the_programs_recent_jobs(client, merger, leader_user):
    ExportJob.objects.create(merger=merger, month=MONTH, format="xlsx", requested_by=leader_user)
    client.force_login(leader_user)
    page = client.get(reverse("scorecards:exports")).text
    assert "May 2026" in page and "XLSX" in page


def test_export_list_survives_a_job_whose_requester_was_deleted(client, merger, leader_user):
    ExportJob.objects.create(merger=merger, month=MONTH, format="pdf", requested_by=None)
    client.force_login(leader_user)
    response = client.get(reverse("scorecards:exports"))
    assert response.status_code == 200
    assert "–" in response.text
