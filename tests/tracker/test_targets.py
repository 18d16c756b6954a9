"""Synergy targets by month and scope: the service with its history, the file, grid and API."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import RecordChange
from tests import factories
from tracker.models import SynergyTarget
from tracker.selectors.targets import target_history
from tracker.services.targets import (
    Source,
    TargetCell,
    target_months,
    targets_import_csv,
    targets_set,
)
from tracker.target_csv import read_target_file

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


@pytest.fixture
def mining(merger):
    return factories.SegmentFactory(merger=merger, name="Mining")


def _file(text: str, name: str = "targets.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = name
    return data


def test_the_window_runs_from_day_one_over_the_horizon(merger):
    merger.horizon_months = 36
    assert target_months(merger=merger) == (JAN, dt.date(2028, 12, 1))


def test_setting_targets_keeps_who_changed_what(ops_user, merger, mining):
    result = targets_set(
        actor=ops_user,
        merger=merger,
        cells=[
            TargetCell(JAN, None, cross_sell=Decimal("100000"), revenue_synergy=Decimal("150000")),
            TargetCell(JAN, mining.pk, cross_sell=Decimal("40000")),
        ],
        source=Source.GRID,
    )
    assert (result.created, result.updated) == (2, 0)
    targets_set(
        actor=ops_user,
        merger=merger,
        cells=[TargetCell(JAN, None, cross_sell=Decimal("120000"))],
        source=Source.IMPORT,
    )
    program = SynergyTarget.objects.get(merger=merger, month=JAN, segment=None)
    assert (program.cross_sell, program.revenue_synergy) == (Decimal("120000"), Decimal("150000"))
    last = target_history(merger_ids=[merger.pk])[0]
    assert (last.field, last.old_value, last.new_value, last.via, last.changed_by) == (
        "cross_sell",
        "100000.00",
        "120000",
        "import",
        ops_user,
    )
    assert len(target_history(merger_ids=[merger.pk])) == 4


def test_a_target_set_to_zero_goes_and_its_history_stays(ops_user, merger, mining):
    cell = TargetCell(FEB, mining.pk, cross_sell=Decimal("5000"))
    targets_set(actor=ops_user, merger=merger, cells=[cell], source=Source.GRID)
    result = targets_set(
        actor=ops_user,
        merger=merger,
        cells=[TargetCell(FEB, mining.pk, cross_sell=Decimal("0"))],
        source=Source.GRID,
    )
    assert result.removed == 1
    assert not SynergyTarget.objects.filter(merger=merger).exists()
    history = target_history(merger_ids=[merger.pk])
    assert [(line.scope_label, line.new_value) for line in history] == [
        ("Mining", "0"),
        ("Mining", "5000"),
    ]
    assert history[0].action == RecordChange.Action.DELETED


def test_unchanged_cells_write_nothing(ops_user, merger):
    cells = [TargetCell(JAN, None, cross_sell=Decimal("1000"))]
    targets_set(actor=ops_user, merger=merger, cells=cells, source=Source.GRID)
    again = targets_set(actor=ops_user, merger=merger, cells=cells, source=Source.GRID)
    assert (again.unchanged, again.changed) == (1, 0)
    assert len(target_history(merger_ids=[merger.pk])) == 1


def test_targets_stay_in_the_program_and_its_horizon(ops_user, merger, outsider_user):
    other_segment = factories.SegmentFactory()
    with pytest.raises(ValidationError):
        targets_set(
            actor=ops_user,
            merger=merger,
            cells=[TargetCell(dt.date(2025, 12, 1), None, cross_sell=Decimal("1"))],
            source=Source.GRID,
        )
    with pytest.raises(ValidationError):
        targets_set(
            actor=ops_user,
            merger=merger,
            cells=[TargetCell(JAN, other_segment.pk, cross_sell=Decimal("1"))],
            source=Source.GRID,
        )


def test_only_sales_ops_and_executives_set_targets(rep_user, leader_user, executive_user, merger):
    cell = [TargetCell(JAN, None, cross_sell=Decimal("1"))]
    for user in (rep_user, leader_user):
        with pytest.raises(PermissionDenied):
            targets_set(actor=user, merger=merger, cells=cell, source=Source.GRID)
    targets_set(actor=executive_user, merger=merger, cells=cell, source=Source.GRID)


# The file


def test_the_file_names_month_and_segment_and_may_carry_one_figure(merger, mining):
    text = "Month,Segment,Cross-sell target\n2026-01,,100000\n2026-01-01,mining,40000\n"
    parsed = read_target_file(
        data=_file(text),
        name="targets.csv",
        segments={"mining": mining.pk},
        first_month=JAN,
        last_month=dt.date(2029, 12, 1),
    )
    assert parsed.ok
    assert [(line.segment_id, line.cross_sell, line.revenue_synergy) for line in parsed.lines] == [
        (None, Decimal("100000.00"), None),
        (mining.pk, Decimal("40000.00"), None),
    ]


def test_file_problems_name_row_and_column(merger):
    text = (
        "month,segment,revenue_synergy,cross_sell\n"
        "2026-Q1,,1,1\n"
        "2031-01,,1,1\n"
        "2026-02,Atlantis,1,1\n"
        "2026-03,,,-5\n"
        "2026-04,,1,1\n"
        "2026-04,program,2,2\n"
    )
    parsed = read_target_file(
        data=_file(text),
        name="targets.csv",
        segments={},
        first_month=JAN,
        last_month=dt.date(2029, 12, 1),
    )
    assert [(e.row, e.column) for e in parsed.errors] == [
        (2, "month"),
        (3, "month"),
        (4, "segment"),
        (5, "revenue_synergy"),
        (5, "cross_sell"),
        (7, "month"),
    ]


def test_the_import_is_all_or_nothing(ops_user, merger):
    bad = "month,cross_sell\n2026-01,100\n2026-02,lots\n"
    result = targets_import_csv(actor=ops_user, merger=merger, file=_file(bad))
    assert not result.ok
    assert not SynergyTarget.objects.exists()
    good = "month,cross_sell\n2026-01,100\n2026-02,200\n"
    checked = targets_import_csv(actor=ops_user, merger=merger, file=_file(good), dry_run=True)
    assert checked.counts.created == 2 and not SynergyTarget.objects.exists()
    done = targets_import_csv(actor=ops_user, merger=merger, file=_file(good))
    assert done.ok and SynergyTarget.objects.count() == 2


# Pages


def test_the_grid_saves_only_the_cells_that_changed(client, ops_user, merger, mining):
    SynergyTarget.objects.create(merger=merger, month=JAN, cross_sell=Decimal("100"))
    client.force_login(ops_user)
    page = client.get(reverse("tracker:targets"), {"year": 2026, "measure": "cross_sell"})
    assert page.status_code == 200
    form = page.context["form"]
    data = {"year": "2026", "measure": "cross_sell"}
    for name, field in form.fields.items():
        value = "" if field.initial is None else str(field.initial)
        data[name] = data[f"initial-{name}"] = value
    data["m202602_program"] = "250"
    data[f"m202601_{mining.pk}"] = "40"
    response = client.post(reverse("tracker:targets"), data)
    assert response.status_code == 302
    values = set(SynergyTarget.objects.values_list("month", "segment", "cross_sell"))
    assert values == {
        (JAN, None, Decimal("100.00")),
        (FEB, None, Decimal("250.00")),
        (JAN, mining.pk, Decimal("40.00")),
    }
    assert len(target_history(merger_ids=[merger.pk])) == 2
    history = client.get(reverse("tracker:targets")).content.decode()
    assert "on this page" in history


def test_readers_see_the_targets_without_inputs(client, rep_user, merger):
    SynergyTarget.objects.create(merger=merger, month=JAN, cross_sell=Decimal("1234"))
    client.force_login(rep_user)
    page = client.get(reverse("tracker:targets"))
    assert b"1,234" in page.content
    assert b"Save targets" not in page.content
    assert client.post(reverse("tracker:targets"), {}).status_code == 403


def test_the_import_page_checks_then_imports(client, ops_user, merger):
    client.force_login(ops_user)
    text = b"month,segment,revenue_synergy,cross_sell\n2026-01,,500,200\n"
    check = client.post(
        reverse("tracker:target_import"),
        {"file": SimpleUploadedFile("t.csv", text), "action": "check"},
    )
    assert "What t.csv would change" in check.content.decode()
    assert not SynergyTarget.objects.exists()
    done = client.post(
        reverse("tracker:target_import"),
        {"file": SimpleUploadedFile("t.csv", text), "action": "import"},
    )
    assert done.status_code == 302
    assert SynergyTarget.objects.get().revenue_synergy == Decimal("500")
    template = client.get(reverse("tracker:target_template"))
    assert template.content.decode().splitlines()[1].startswith("2026-01,,500.00,200.00")


# API


def test_the_api_sets_reads_and_clears_targets(ops_user, merger, mining):
    api = APIClient()
    api.force_authenticate(ops_user)
    created = api.post(
        "/api/v1/synergy-targets/",
        {"merger": merger.pk, "month": "2026-03", "segment": mining.pk, "cross_sell": "900"},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["month"] == "2026-03"
    pk = created.json()["id"]
    changed = api.patch(f"/api/v1/synergy-targets/{pk}/", {"revenue_synergy": "50"})
    assert changed.json()["revenue_synergy"] == "50.00"
    moved = api.patch(f"/api/v1/synergy-targets/{pk}/", {"month": "2026-04"})
    assert moved.status_code == 400
    assert api.delete(f"/api/v1/synergy-targets/{pk}/").status_code == 204
    assert not SynergyTarget.objects.exists()
    history = api.get("/api/v1/synergy-targets/history/").json()
    assert [change["via"] for change in history] == ["api"] * 4
    assert {change["target"] for change in history} == {pk}


def test_a_targets_history_is_in_the_history_api_after_it_is_removed(ops_user, merger, mining):
    api = APIClient()
    api.force_authenticate(ops_user)
    pk = api.post(
        "/api/v1/synergy-targets/",
        {"merger": merger.pk, "month": "2026-03", "segment": mining.pk, "cross_sell": "900"},
    ).json()["id"]
    api.patch(f"/api/v1/synergy-targets/{pk}/", {"cross_sell": "950"})
    api.delete(f"/api/v1/synergy-targets/{pk}/")

    body = api.get("/api/v1/history/", {"record_type": "tracker.synergytarget", "id": pk}).json()

    entries = body["results"]
    assert [entry["action"] for entry in entries] == ["deleted", "changed", "created"]
    assert {entry["object_repr"] for entry in entries} == {"2026-03 Mining"}
    assert entries[1]["changes"] == {"cross_sell": ["900.00", "950.00"]}
    assert entries[2]["changes"]["segment"] == [None, f"Mining (#{mining.pk})"]
    assert {entry["actor_name"] for entry in entries} == {ops_user.get_full_name()}
    upload = api.post(
        "/api/v1/synergy-targets/import/",
        {
            "merger": merger.pk,
            "file": SimpleUploadedFile("t.csv", b"month,cross_sell\n2026-01,x\n"),
        },
        format="multipart",
    )
    assert upload.status_code == 400
    assert upload.json()["errors"][0]["column"] == "cross_sell"
