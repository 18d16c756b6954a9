"""Every CSV and XLSX the app writes keeps formula-like text as text.

The files: scorecard exports (CSV, XLSX), the import error report, the quota
import check report and the quota template. Each is fetched the way a user
gets it, with names and values that start like formulas.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.access import Role
from core.spreadsheet import FORMULA_TRIGGERS, cell_text, neutralise
from scorecards.models import ExportJob
from scorecards.services.exports import export_run
from tests import factories
from tests.security.probe import client_for
from tests.security.world import World, world_build

TRIGGERS = ("=", "+", "-", "@")


def formula(kind: str) -> str:
    trigger = TRIGGERS[sum(map(ord, kind)) % len(TRIGGERS)]
    return f'{trigger}HYPERLINK("http://evil.example","{kind}")'


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formulas(cells: list[str]) -> None:
    live = [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    assert not live, live


@pytest.fixture
def world(settings, tmp_path, merger, acquirer, acquired, team, rep) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_build(
        merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep, name=formula
    )


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_text_starting_like_a_formula_gets_an_apostrophe(trigger):
    assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"


def test_numbers_and_plain_text_are_left_alone():
    assert cell_text(-5) == -5
    assert cell_text("Acme - North") == "Acme - North"
    assert cell_text(None) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_scorecard_exports_keep_formula_names_as_text(fmt, world, ops_user):
    job = ExportJob.objects.create(
        merger=world.merger, month=world.score.month, format=fmt, requested_by=ops_user
    )
    export_run(job_id=job.pk)
    response = client_for(ops_user).get(reverse("scorecards:export_download", args=[job.pk]))
    content = b"".join(response.streaming_content)

    if fmt == "csv":
        cells = csv_cells(content)
    else:
        workbook = load_workbook(io.BytesIO(content))
        typed = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
        assert not [cell for cell in typed if cell.data_type == "f"]
        cells = [cell.value for cell in typed if isinstance(cell.value, str)]
    assert f"'{world.segment.name}" in cells
    assert_no_formulas(cells)


def test_the_import_error_report_keeps_file_values_as_text(world, ops_user):
    response = client_for(ops_user).get(
        reverse("accounts:import_errors", args=[world.import_job.pk])
    )
    cells = csv_cells(response.content)

    assert f"'{formula('Value')}" in cells
    assert_no_formulas(cells)


def test_the_quota_check_report_keeps_rep_names_as_text(merger, rep, ops_user):
    upload = SimpleUploadedFile(
        "quotas.csv", b"rep,period,core,cross_sell\n=cmd|' /C calc'!A0,2026-03,1,1\n"
    )
    response = client_for(ops_user).post(
        reverse("tracker:quota_import"), {"file": upload, "action": "check"}
    )
    cells = csv_cells(response.content)

    assert any("cmd" in cell for cell in cells)
    assert_no_formulas(cells)


def test_the_quota_template_keeps_usernames_as_text(merger, team, acquirer, ops_user):
    user = factories.UserFactory(username="@evil", role=Role.REP)
    factories.MembershipFactory(merger=merger, user=user)
    factories.RepFactory(merger=merger, user=user, team=team, company=acquirer)
    response = client_for(ops_user).get(reverse("tracker:quota_template"))
    cells = csv_cells(response.content)

    assert "'@evil" in cells
    assert_no_formulas(cells)
