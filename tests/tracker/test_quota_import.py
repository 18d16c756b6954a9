"""Quota import by sales ops: every row checked, all or nothing, re-imports with history."""

import codecs
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tracker.models import Quota, QuotaChange
from tracker.quota_csv import ALIASES, COLUMNS, read_quota_file
from tracker.services.quotas import quota_import_csv, quota_set
from tracker.setup_csv import column_positions

HEADER = "rep,period,core,cross_sell\n"


def _file(text: str, name: str = "quotas.csv", encoding: str = "utf-8") -> io.BytesIO:
    data = io.BytesIO(text.encode(encoding))
    data.name = name
    return data


def _import(actor, merger, text, **kwargs):
    return quota_import_csv(actor=actor, merger=merger, file=_file(text, **kwargs))


# Reading, without a database


def test_columns_are_found_by_their_usual_names():
    positions, problems = column_positions(
        ["E-mail", "Quarter", "Core quota", "Cross-sell quota"], aliases=ALIASES, required=COLUMNS
    )
    assert problems == []
    assert positions == {"rep": 0, "period": 1, "core": 2, "cross_sell": 3}


def test_missing_columns_are_a_file_level_error():
    result = read_quota_file(data=_file("rep,period\nann,2026-03\n"), name="q.csv", reps={})
    assert result.file_errors and "core" in result.file_errors[0]


def test_each_bad_cell_is_reported_by_row_and_column():
    text = HEADER + "ann,2026-13,abc,-5\nbob,2026-03,1,2\n"
    result = read_quota_file(data=_file(text), name="q.csv", reps={"ann": [1]})
    found = {(error.row, error.column) for error in result.errors}
    assert found == {(2, "period"), (2, "core"), (2, "cross_sell"), (3, "rep")}
    assert result.lines == []


def test_a_windows_file_with_semicolons_and_decimal_commas_is_read():
    text = "rep;period;core;cross_sell\r\nbjörn;2026-Q2;1.234,50;99,5\r\n"
    raw = _file(text, encoding="cp1252")
    result = read_quota_file(data=raw, name="q.csv", reps={"björn": [7]})
    assert result.ok, result.errors
    [line] = result.lines
    assert (line.core, line.cross_sell) == (Decimal("1234.50"), Decimal("99.50"))
    assert line.period.code == "2026-Q2"


def test_a_byte_order_mark_does_not_hide_the_first_column():
    raw = io.BytesIO(codecs.BOM_UTF8 + (HEADER + "ann,2026-03,1,2\n").encode())
    result = read_quota_file(data=raw, name="q.csv", reps={"ann": [1]})
    assert result.ok


def test_the_same_rep_and_period_twice_and_overlapping_periods_are_refused():
    text = HEADER + "ann,2026-03,1,1\nann,2026-03,2,2\nann,2026-Q1,3,3\n"
    result = read_quota_file(data=_file(text), name="q.csv", reps={"ann": [1]})
    assert [(e.row, e.column) for e in result.errors] == [(3, "period"), (4, "period")]


def test_an_unreadable_file_says_why():
    raw = io.BytesIO(b"\x00\x01\x02binary")
    raw.name = "q.csv"
    result = read_quota_file(data=raw, name="q.csv", reps={})
    assert result.file_errors


# Importing


def test_an_import_creates_quotas_with_history(merger, ops_user, rep, other_rep):
    text = HEADER + f"rep,2026-03,100000,20000\n{other_rep.user.email},2026-Q2,300000,60000\n"
    result = _import(ops_user, merger, text)
    assert result.ok and (result.created, result.updated) == (2, 0)
    quarter = Quota.objects.get(rep=other_rep)
    assert (quarter.period_kind, quarter.period_start) == ("quarter", dt.date(2026, 4, 1))
    assert QuotaChange.objects.filter(changed_by=ops_user).count() == 6


def test_a_reimport_updates_by_rep_and_period_with_history(merger, ops_user, rep, other_rep):
    _import(ops_user, merger, HEADER + "rep,2026-03,100000,20000\nother_rep,2026-03,1,1\n")
    result = _import(
        ops_user, merger, HEADER + "rep,2026-03,100000,25000\nother_rep,2026-03,1,1\n"
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    quota = Quota.objects.get(rep=rep)
    assert quota.cross_sell_amount == Decimal("25000") and quota.version == 2
    change = QuotaChange.objects.filter(quota=quota).order_by("-id").first()
    assert (change.field, change.old_value, change.new_value) == (
        "cross_sell_amount",
        "20000.00",
        "25000.00",
    )


def test_one_bad_row_and_nothing_is_written(merger, ops_user, rep, other_rep):
    text = HEADER + "rep,2026-03,100,20\nother_rep,2026-03,-1,20\nnobody,2026-03,1,1\n"
    result = _import(ops_user, merger, text)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(3, "core"), (4, "rep")}
    assert not Quota.objects.exists()


def test_a_row_overlapping_a_quota_already_set_is_refused(merger, ops_user, rep):
    quota_set(
        actor=ops_user,
        rep=rep,
        period_start=dt.date(2026, 1, 1),
        period_kind="quarter",
        core_amount=1,
        cross_sell_amount=1,
    )
    result = _import(ops_user, merger, HEADER + "rep,2026-02,1,1\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "period")]
    assert Quota.objects.count() == 1


def test_a_dry_run_counts_without_writing(merger, ops_user, rep):
    result = quota_import_csv(
        actor=ops_user, merger=merger, file=_file(HEADER + "rep,2026-03,1,1\n"), dry_run=True
    )
    assert result.ok and result.created == 1
    assert not Quota.objects.exists()


def test_reps_of_another_program_are_unknown(merger, ops_user, outsider_user):
    result = _import(ops_user, merger, HEADER + "outsider,2026-03,1,1\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "rep")]


@pytest.mark.parametrize("persona", ["leader_user", "executive_user", "rep_user"])
def test_only_ops_import_quotas(request, merger, persona, rep):
    with pytest.raises(PermissionDenied):
        _import(request.getfixturevalue(persona), merger, HEADER + "rep,2026-03,1,1\n")


# The page and the endpoint


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("quotas.csv", text.encode(), content_type="text/csv")


def test_the_import_page_imports_and_reports_errors(client, ops_user, merger, rep):
    client.force_login(ops_user)
    url = reverse("tracker:quota_import")
    bad = client.post(url, {"file": _upload(HEADER + "rep,2026-03,x,1\n"), "action": "import"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Nothing was imported" in body and "is not an amount" in body

    report = client.post(url, {"file": _upload(HEADER + "rep,2026-03,x,1\n"), "action": "check"})
    assert report["Content-Type"].startswith("text/csv")
    assert report.content.decode().splitlines()[1].startswith("2,core,")

    good = client.post(url, {"file": _upload(HEADER + "rep,2026-03,5,1\n"), "action": "import"})
    assert good.status_code == 302
    assert Quota.objects.get(rep=rep).core_amount == Decimal("5")


def test_the_import_page_reports_a_bad_header(client, ops_user, merger, rep):
    client.force_login(ops_user)
    response = client.post(
        reverse("tracker:quota_import"), {"file": _upload("who,when\na,b\n"), "action": "import"}
    )
    assert "The file needs the columns" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 401), ("rep_user", 403), ("leader_user", 403), ("executive_user", 403)],
)
def test_the_import_endpoint_is_for_ops_only(request, merger, persona, status):
    client = APIClient()
    if persona:
        client.force_authenticate(request.getfixturevalue(persona))
    body = {"merger": merger.pk, "file": _upload(HEADER + "rep,2026-03,1,1\n")}
    assert client.post("/api/v1/quotas/import/", body, format="multipart").status_code == status


def test_the_import_endpoint_answers_rows_errors_or_counts(merger, ops_user, rep):
    client = APIClient()
    client.force_authenticate(ops_user)
    bad = client.post(
        "/api/v1/quotas/import/",
        {"merger": merger.pk, "file": _upload(HEADER + "rep,2026-3x,1,1\n")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["column"] == "period"
    good = client.post(
        "/api/v1/quotas/import/",
        {"merger": merger.pk, "file": _upload(HEADER + "rep,2026-03,1,1\n")},
        format="multipart",
    )
    assert good.status_code == 200 and good.json()["created"] == 1


def test_the_import_endpoint_does_not_know_another_program(merger, outsider_user):
    ops_elsewhere = factories.UserFactory(username="ops2", role="sales_ops")
    other = factories.MergerFactory(name="Elsewhere")
    factories.MembershipFactory(merger=other, user=ops_elsewhere)
    client = APIClient()
    client.force_authenticate(ops_elsewhere)
    response = client.post(
        "/api/v1/quotas/import/",
        {"merger": merger.pk, "file": _upload(HEADER)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "merger" in response.json()
