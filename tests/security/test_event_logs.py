"""Operational events: one key=value line each, for imports, matching, exports and denials."""

import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.imports.columns import ACCOUNTS
from accounts.services.imports import import_job_create, import_preview, import_run
from accounts.services.matching import accounts_match, match_candidate_confirm
from config.log_format import JsonFormatter
from core.events import event_line
from scorecards.models import ExportJob
from scorecards.services.exports import export_run
from tests import factories
from tests.security.probe import client_for
from tests.security.world import World, world_build

EVENTS = "crosssell.events"


def events(caplog, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if getattr(record, "event", None) == name]


@pytest.fixture(autouse=True)
def _capture(caplog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger=EVENTS)


@pytest.fixture
def world(merger, acquirer, acquired, team, rep) -> World:
    return world_build(merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep)


def test_a_line_starts_with_the_event_and_quotes_what_people_typed(rep_user):
    line = event_line(
        "access.denied", {"user": rep_user, "path": '/a b"\nevent=forged', "seconds": 1.23456}
    )

    assert line.startswith("event=access.denied user=rep ")
    assert "\\n" in line and "\n" not in line
    assert 'path="/a b\\"\\nevent=forged"' in line
    assert line.endswith("seconds=1.235")


def test_an_import_logs_its_start_and_its_outcome(caplog, merger, acquirer):
    upload = SimpleUploadedFile("crm.csv", b"crm_id,name\nA1,Acme\nA2,Globex\n")
    job = import_job_create(
        merger=merger, company=acquirer, kind=ACCOUNTS, uploaded_file=upload, actor=None
    )
    import_preview(job=job)
    import_run(job_id=job.pk)

    [started] = events(caplog, "import.started")
    [succeeded] = events(caplog, "import.succeeded")
    assert started.event_fields == {"job": job.pk, "merger": merger.pk, "kind": ACCOUNTS}
    assert succeeded.event_fields["rows"] == 2 and succeeded.event_fields["created"] == 2
    assert succeeded.event_fields["seconds"] >= 0
    assert f"event=import.succeeded job={job.pk} merger={merger.pk}" in succeeded.getMessage()


def test_a_failed_import_is_a_warning(caplog, merger, acquirer):
    upload = SimpleUploadedFile("crm.csv", b"crm_id,name\nA1,\n")
    job = import_job_create(
        merger=merger, company=acquirer, kind=ACCOUNTS, uploaded_file=upload, actor=None
    )
    import_run(job_id=job.pk)

    [failed] = events(caplog, "import.failed")
    assert failed.levelno == logging.WARNING
    assert failed.event_fields["problems"] >= 1


def test_matching_logs_the_run_and_each_human_decision(caplog, world, ops_user):
    match_candidate_confirm(candidate=world.candidate, actor=ops_user)
    accounts_match(merger=world.merger)

    [run] = events(caplog, "matching.run")
    assert run.event_fields["merger"] == world.merger.pk
    assert {"auto", "review", "seconds"} <= set(run.event_fields)
    [decision] = events(caplog, "match.decision")
    assert decision.event_fields["action"] == "confirm"
    assert "by=ops" in decision.getMessage()


def test_an_export_logs_its_start_and_its_outcome(caplog, world, ops_user):
    job = ExportJob.objects.create(
        merger=world.merger, month=world.score.month, format="csv", requested_by=ops_user
    )
    export_run(job_id=job.pk)

    assert events(caplog, "export.started")
    [succeeded] = events(caplog, "export.succeeded")
    assert succeeded.event_fields["format"] == "csv" and succeeded.event_fields["bytes"] > 0


def test_a_failed_export_is_a_warning(caplog, world, monkeypatch):
    monkeypatch.setitem(export_run.__globals__["RENDERERS"], "csv", lambda report: 1 / 0)
    job = ExportJob.objects.create(merger=world.merger, month=world.score.month, format="csv")
    export_run(job_id=job.pk)

    [failed] = events(caplog, "export.failed")
    assert failed.levelno == logging.WARNING
    assert failed.event_fields["error"] == "ZeroDivisionError"


def test_a_page_refusal_names_user_role_action_resource_and_path(caplog, rep_user):
    response = client_for(rep_user).get(reverse("accounts:imports"))

    assert response.status_code == 403
    [denied] = events(caplog, "access.denied")
    assert denied.levelno == logging.WARNING
    assert denied.getMessage() == (
        "event=access.denied user=rep role=rep action=create resource=import "
        "method=GET path=/imports/"
    )


def test_an_api_refusal_is_logged_once_without_the_browsable_forms(caplog, rep_user, world):
    client = APIClient()
    client.force_authenticate(rep_user)
    client.get(reverse("api:opportunity-list"), HTTP_ACCEPT="text/html")
    assert not events(caplog, "access.denied")

    response = client.delete(reverse("api:segment-detail", args=[world.segment.pk]))

    assert response.status_code == 403
    [denied] = events(caplog, "access.denied")
    assert denied.event_fields["resource"] == "segment"
    assert denied.event_fields["action"] == "delete"


def test_a_lockout_is_logged(caplog, client, settings, db):
    settings.LOGIN_FAILURE_LIMIT = 2
    factories.UserFactory(username="ann")
    for _ in range(2):
        client.post(reverse("login"), {"username": "ann", "password": "wrong"})

    [locked] = events(caplog, "login.locked")
    assert locked.event_fields["by"] == "username" and locked.event_fields["subject"] == "ann"


def test_the_json_format_keeps_event_fields_as_fields(caplog, rep_user):
    client_for(rep_user).get(reverse("accounts:imports"))
    [denied] = events(caplog, "access.denied")

    line = json.loads(JsonFormatter().format(denied))

    assert line["event"] == "access.denied" and line["level"] == "WARNING"
    assert (line["user"], line["resource"], line["path"]) == ("rep", "import", "/imports/")
