"""Core win rates: the companies' non-program deals won and lost, entered by sales ops."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from core.signals import program_data_changed
from tests import factories
from tracker.core_win_rate_csv import read_core_win_rate_file
from tracker.models import CoreWinRate
from tracker.quota_math import parse_period
from tracker.selectors.core_win_rates import core_outcomes_within
from tracker.services.core_win_rates import core_win_rate_set, core_win_rates_import_csv

HEADER = "company,period,won,lost,source,notes\n"
COMPANIES = {"sensa instruments": 1, "sensa": 1, "acquirer": 1, "predikt": 2}


def _file(text: str, name: str = "core.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = name
    return data


def _set(actor, merger, company, period="2026-Q1", won=30, lost=70, source="CRM report"):
    return core_win_rate_set(
        actor=actor,
        merger=merger,
        company=company,
        period=parse_period(period),
        won=won,
        lost=lost,
        source=source,
    )


# Reading a file, without a database


def test_every_problem_names_the_file_the_row_and_the_column():
    text = HEADER + "Sensa,2026-13,ten,5,Report,\nNobody,2026-02,1,-1,,\nPredikt,2026-03,0,0,X,\n"
    result = read_core_win_rate_file(
        data=_file(text, "october.csv"), name="october.csv", companies=COMPANIES
    )
    found = {(error.file, error.row, error.column) for error in result.errors}
    assert found == {
        ("october.csv", 2, "period"),
        ("october.csv", 2, "won"),
        ("october.csv", 3, "company"),
        ("october.csv", 3, "lost"),
        ("october.csv", 3, "source"),
        ("october.csv", 4, "won"),
    }
    assert result.lines == []


def test_a_company_is_named_by_name_short_name_or_role_and_periods_never_overlap():
    text = HEADER + (
        "Sensa Instruments,2026-Q1,30,70,Salesforce report,\n"
        "acquirer,2026-02,3,7,Salesforce report,\n"
        "Predikt,2026-Q1,20,80,HubSpot export,first quarter after Day 1\n"
        "predikt,2026-q1,1,1,HubSpot export,\n"
    )
    result = read_core_win_rate_file(data=_file(text), name="core.csv", companies=COMPANIES)
    assert [(e.row, e.column) for e in result.errors] == [(3, "period"), (5, "period")]
    assert "overlaps the period of row 2" in result.errors[0].message
    assert "Row 4 already gives" in result.errors[1].message
    [sensa, predikt] = result.lines
    assert (sensa.company_id, sensa.period.code, sensa.won, sensa.lost) == (1, "2026-Q1", 30, 70)
    assert predikt.notes == "first quarter after Day 1"


def test_missing_columns_are_a_file_level_error():
    result = read_core_win_rate_file(
        data=_file("company,period,won\nSensa,2026-03,1\n"), name="c.csv", companies=COMPANIES
    )
    assert (
        result.file_errors
        and "lost" in result.file_errors[0]
        and "source" in result.file_errors[0]
    )


# Entering and importing


@pytest.mark.django_db
def test_sales_ops_enters_a_record_and_entering_it_again_replaces_it(merger, acquirer, ops_user):
    _set(ops_user, merger, acquirer)
    record = _set(ops_user, merger, acquirer, won=40, lost=60, source="Corrected report")
    assert CoreWinRate.objects.count() == 1
    assert (record.won_count, record.lost_count, record.source) == (40, 60, "Corrected report")
    assert record.entered_by == ops_user


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["rep_user", "leader_user", "executive_user"])
def test_only_sales_ops_enters_core_win_rates(request, merger, acquirer, persona):
    with pytest.raises(PermissionDenied):
        _set(request.getfixturevalue(persona), merger, acquirer)


@pytest.mark.django_db
def test_a_record_needs_decided_deals_a_source_and_a_period_of_its_own(merger, acquirer, ops_user):
    _set(ops_user, merger, acquirer, period="2026-Q1")
    with pytest.raises(ValidationError) as overlap:
        _set(ops_user, merger, acquirer, period="2026-02")
    assert "overlaps the record of 2026-Q1" in str(overlap.value)
    with pytest.raises(ValidationError):
        _set(ops_user, merger, acquirer, period="2026-04", won=0, lost=0)
    with pytest.raises(ValidationError):
        _set(ops_user, merger, acquirer, period="2026-04", source="  ")
    other_program = factories.CompanyFactory()
    with pytest.raises(ValidationError):
        _set(ops_user, merger, other_program, period="2026-04")


@pytest.mark.django_db
def test_a_change_tells_the_scorecard_that_the_data_changed(
    merger, acquirer, ops_user, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, merger_id, **kwargs):
        heard.append(merger_id)

    program_data_changed.connect(receiver, dispatch_uid="core-win-rate-test")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _set(ops_user, merger, acquirer)
    finally:
        program_data_changed.disconnect(dispatch_uid="core-win-rate-test")
    assert heard == [merger.pk]


@pytest.mark.django_db
def test_an_import_is_all_or_nothing_and_a_dry_run_writes_nothing(merger, acquirer, ops_user):
    text = HEADER + "Sensa Instruments,2026-Q1,30,70,Report,\nSensa Instruments,2026-Q2,9,1,,\n"
    result = core_win_rates_import_csv(actor=ops_user, merger=merger, file=_file(text))
    assert [(e.file, e.row, e.column) for e in result.errors] == [("core.csv", 3, "source")]
    assert not CoreWinRate.objects.exists()

    good = HEADER + "Sensa Instruments,2026-Q1,30,70,Report,\n"
    checked = core_win_rates_import_csv(
        actor=ops_user, merger=merger, file=_file(good), dry_run=True
    )
    assert checked.ok and checked.created == 1
    assert not CoreWinRate.objects.exists()

    assert core_win_rates_import_csv(actor=ops_user, merger=merger, file=_file(good)).created == 1
    again = core_win_rates_import_csv(actor=ops_user, merger=merger, file=_file(good))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_an_import_is_refused_where_it_overlaps_a_record_entered_before(
    merger, acquirer, ops_user
):
    _set(ops_user, merger, acquirer, period="2026-Q1")
    text = HEADER + "Sensa Instruments,2026-03,3,7,Report,\n"
    result = core_win_rates_import_csv(actor=ops_user, merger=merger, file=_file(text))
    [error] = result.errors
    assert (error.row, error.column) == (2, "period")
    assert "overlaps the record of 2026-Q1" in error.message


@pytest.mark.django_db
def test_core_outcomes_count_only_periods_wholly_inside_the_months(merger, acquirer, ops_user):
    _set(ops_user, merger, acquirer, period="2025-Q4", won=1, lost=1)
    _set(ops_user, merger, acquirer, period="2026-Q1", won=30, lost=70)
    _set(ops_user, merger, acquirer, period="2026-04", won=5, lost=5)
    _set(ops_user, merger, acquirer, period="2026-Q3", won=9, lost=9)
    outcomes = core_outcomes_within(
        merger=merger, month_from=dt.date(2025, 12, 1), month_to=dt.date(2026, 8, 1)
    )
    assert outcomes == {acquirer.pk: (35, 75)}


# Pages and API


@pytest.mark.django_db
def test_the_page_shows_each_companys_core_win_rate_and_who_entered_it(
    client, merger, acquirer, acquired, ops_user, rep_user
):
    today = dt.date.today()
    month = today.replace(day=1)
    _set(ops_user, merger, acquirer, period=f"{month:%Y-%m}", won=1, lost=3)
    client.force_login(rep_user)
    body = client.get(reverse("tracker:core_win_rates")).text
    assert "25.0%" in body  # 1 of 4 this month
    assert "not measured" in body  # the acquired company has no record
    assert "CRM report" in body
    assert "Enter a company" not in body  # reps read only


@pytest.mark.django_db
def test_sales_ops_enters_a_record_on_the_page(client, merger, acquirer, ops_user):
    client.force_login(ops_user)
    response = client.post(
        reverse("tracker:core_win_rates"),
        {
            "company": acquirer.pk,
            "period": "2026-Q1",
            "won": "30",
            "lost": "70",
            "source": "Salesforce report",
        },
    )
    assert response.status_code == 302
    assert CoreWinRate.objects.get().period_kind == "quarter"
    bad = client.post(
        reverse("tracker:core_win_rates"),
        {"company": acquirer.pk, "period": "2026-02", "won": "1", "lost": "1", "source": "X"},
    )
    assert bad.status_code == 400
    assert "overlaps the record of 2026-Q1" in bad.text


@pytest.mark.django_db
def test_the_import_page_lists_problems_by_file_row_and_column(client, merger, acquirer, ops_user):
    client.force_login(ops_user)
    upload = SimpleUploadedFile("q3.csv", (HEADER + "Sensa,2026-Q3,x,1,Report,\n").encode())
    response = client.post(reverse("tracker:core_win_rate_import"), {"file": upload})
    assert response.status_code == 400
    assert "Nothing was imported from q3.csv" in response.text
    assert '<td>q3.csv</td><td class="num">2</td><td>won</td>' in response.text
    check = SimpleUploadedFile("q3.csv", (HEADER + "Sensa,2026-Q3,x,1,Report,\n").encode())
    report = client.post(
        reverse("tracker:core_win_rate_import"), {"file": check, "action": "check"}
    )
    assert report.text.splitlines()[0] == "file,row,column,problem"
    assert report.text.splitlines()[1].startswith("q3.csv,2,won,")


@pytest.mark.django_db
def test_the_api_lists_creates_and_imports_under_the_same_rules(
    merger, acquirer, ops_user, leader_user
):
    api = APIClient()
    api.force_authenticate(ops_user)
    data = {
        "merger": merger.pk,
        "company": acquirer.pk,
        "period": "2026-03",
        "won_count": 4,
        "lost_count": 6,
        "source": "Salesforce report",
    }
    created = api.post("/api/v1/core-win-rates/", data, format="json")
    assert created.status_code == 201, created.data
    assert created.data["period"] == "2026-03"
    assert created.data["entered_by"] == ops_user.pk
    overlap = api.post("/api/v1/core-win-rates/", {**data, "period": "2026-Q1"}, format="json")
    assert overlap.status_code == 400
    upload = SimpleUploadedFile("api.csv", (HEADER + "Sensa,2026-04,1,,Report,\n").encode())
    imported = api.post(
        "/api/v1/core-win-rates/import/", {"merger": merger.pk, "file": upload}, format="multipart"
    )
    assert imported.status_code == 400
    assert imported.data["errors"][0] == {
        "file": "api.csv",
        "row": 2,
        "column": "lost",
        "message": "Enter a count of deals (0 for none).",
    }
    leader = APIClient()
    leader.force_authenticate(leader_user)
    assert leader.get("/api/v1/core-win-rates/").data["count"] == 1
    assert leader.post("/api/v1/core-win-rates/", data, format="json").status_code == 403
