"""Importing teams and reps from files: all or nothing, problems by file, row and column."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import ProgramMembership
from core.access import Role, roles_of
from tracker.models import Rep, Team
from tracker.org_csv import read_reps, read_teams
from tracker.services.org_import import org_import

User = get_user_model()
TODAY = dt.date(2026, 3, 1)
# As an HR export gives them: a team above the others, a leader to invite.
TEAMS = """team,reports_to,region,leader,leader_first_name,leader_last_name
Europe,,EMEA,eva.berg@sensa.example,Eva,Berg
DACH,Europe,EMEA,,,
North America,,NA,leader,,
"""
REPS = """Email,Full Name,Team,Company,Motion,Start Date,Typical Core Deal
jonas.weber@sensa.example,Jonas Weber,DACH,Sensa,Farmer,2024-04-01,"85,000"
lea.koch@predikt.example,Lea Koch,DACH,acquired,hunter,01/09/2025,40000
rep@example.com,Rita Rep,North America,Sensa,,,
"""


def _file(text: str, name: str) -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = name
    return data


def _import(actor, merger, teams=TEAMS, reps=REPS, **kwargs):
    return org_import(
        actor=actor,
        merger=merger,
        teams_file=_file(teams, "teams.csv") if teams is not None else None,
        reps_file=_file(reps, "reps.csv") if reps is not None else None,
        today=TODAY,
        **kwargs,
    )


def test_reading_splits_full_names_and_reads_dates_and_amounts():
    sheet, lines = read_reps(
        data=_file(REPS, "reps.csv"),
        name="reps.csv",
        companies={"sensa": 1, "acquired": 2},
        today=TODAY,
    )
    assert sheet.ok
    jonas = lines[0]
    assert (jonas.first_name, jonas.last_name, jonas.company_id) == ("Jonas", "Weber", 1)
    assert jonas.typical_core_deal == 85000
    assert lines[1].start_date == dt.date(2025, 9, 1)
    assert lines[2].start_date == TODAY  # no date: from today
    assert lines[2].motion == "farmer"


def test_every_problem_is_reported_by_file_row_and_column():
    teams = "team,reports_to\nEurope,\neurope,\n,Europe\n"
    sheet, _lines = read_teams(data=_file(teams, "teams.csv"), name="teams.csv")
    assert [(e.file, e.row, e.column) for e in sheet.errors] == [
        ("teams.csv", 3, "team"),
        ("teams.csv", 4, "team"),
    ]
    reps = "email,company,motion,start_date\nnot-an-email,Nobody,poacher,31/02/2026\n"
    sheet, _lines = read_reps(
        data=_file(reps, "reps.csv"), name="reps.csv", companies={}, today=TODAY
    )
    assert sorted(e.column for e in sheet.errors) == ["company", "email", "motion", "start_date"]
    assert all(e.row == 2 for e in sheet.errors)


def test_a_file_without_its_columns_is_refused_whole():
    sheet, lines = read_reps(
        data=_file("name,team\nA,B\n", "reps.csv"), name="reps.csv", companies={}, today=TODAY
    )
    assert not lines
    assert "email" in sheet.file_errors[0] and "company" in sheet.file_errors[0]


def test_the_import_builds_teams_people_and_reps(
    ops_user, merger, acquirer, acquired, rep_user, leader_user
):
    result = _import(ops_user, merger)
    assert result.ok, result.errors

    europe, dach = Team.objects.get(name="Europe"), Team.objects.get(name="DACH")
    assert dach.parent == europe
    eva = User.objects.get(email="eva.berg@sensa.example")
    assert europe.leader == eva and roles_of(eva) == {Role.LEADER}
    assert not eva.has_usable_password()
    assert Team.objects.get(name="North America").leader == leader_user
    jonas = Rep.objects.get(user__email="jonas.weber@sensa.example")
    assert (jonas.team, jonas.company, jonas.start_date) == (dach, acquirer, dt.date(2024, 4, 1))
    assert roles_of(jonas.user) == {Role.REP}
    assert Rep.objects.get(user__email="lea.koch@predikt.example").company == acquired
    # An existing login is reused, and keeps its roles.
    assert Rep.objects.get(user=rep_user).team.name == "North America"
    assert ProgramMembership.objects.filter(merger=merger).count() == 6
    assert sorted(name for _email, name, _role in result.plan.new_people) == [
        "Eva Berg",
        "Jonas Weber",
        "Lea Koch",
    ]


def test_importing_again_changes_nothing(
    ops_user, merger, acquirer, acquired, rep_user, leader_user
):
    _import(ops_user, merger)
    again = _import(ops_user, merger)
    assert again.ok
    assert again.plan.changes == 0
    assert again.plan.unchanged == 6


def test_one_wrong_row_and_nothing_is_imported(ops_user, merger, acquirer, acquired, leader_user):
    teams = TEAMS + "Benelux,Westeros,,,,\n"
    reps = REPS.replace("North America,Sensa", "Narnia,Sensa")
    result = _import(ops_user, merger, teams=teams, reps=reps)
    assert not result.ok
    assert {(e.file, e.row, e.column) for e in result.errors} == {
        ("teams.csv", 5, "reports_to"),
        ("reps.csv", 4, "team"),
    }
    assert not Team.objects.filter(merger=merger).exists()
    assert not User.objects.filter(email="jonas.weber@sensa.example").exists()


def test_a_cycle_across_file_and_program_is_refused(ops_user, merger, team, acquirer):
    # The program's Central team moves below a team that would report to Central.
    teams = "team,reports_to\nCentral,West\nWest,Central\n"
    result = _import(ops_user, merger, teams=teams, reps=None)
    assert not result.ok
    assert {e.column for e in result.errors} == {"reports_to"}


def test_a_dry_run_plans_without_writing(ops_user, merger, acquirer, acquired, leader_user):
    result = _import(ops_user, merger, dry_run=True)
    assert result.ok
    assert len(result.plan.new_teams) == 3 and len(result.plan.new_reps) == 3
    assert not Team.objects.filter(merger=merger).exists()
    assert not User.objects.filter(email="eva.berg@sensa.example").exists()


def test_the_page_checks_then_imports(client, ops_user, merger, acquirer, acquired, leader_user):
    client.force_login(ops_user)

    def files():
        return {
            "teams": SimpleUploadedFile("teams.csv", TEAMS.encode()),
            "reps": SimpleUploadedFile(
                "reps.csv", REPS.replace("rep@example.com", "r@x.io").encode()
            ),
        }

    check = client.post(reverse("tracker:org_import"), {**files(), "action": "check"})
    assert check.status_code == 200
    assert "What the files would change" in check.content.decode()
    assert not Team.objects.exists()
    done = client.post(reverse("tracker:org_import"), {**files(), "action": "import"})
    assert done.status_code == 302
    assert Team.objects.filter(merger=merger).count() == 3


def test_the_page_shows_the_problems(client, ops_user, merger, acquirer):
    client.force_login(ops_user)
    response = client.post(
        reverse("tracker:org_import"),
        {
            "reps": SimpleUploadedFile("reps.csv", b"email,company\nx@y.io,Nowhere\n"),
            "action": "import",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "reps.csv" in page and "No legacy company" in page


@pytest.mark.parametrize("kind", ["teams", "reps"])
def test_templates_read_back(client, ops_user, merger, kind):
    client.force_login(ops_user)
    response = client.get(reverse("tracker:org_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert client.get(reverse("tracker:org_template", args=["other"])).status_code == 404
