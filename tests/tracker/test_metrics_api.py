"""Pipeline metrics and snapshot endpoints: figures by slice, quota where it applies, access."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Direction, Kind
from tests import factories
from tracker.models import MonthlySnapshot, SnapshotLine, Stage
from tracker.selectors.metrics import Dimension
from tracker.selectors.pipeline_metrics import pipeline_metrics
from tracker.services.quotas import quota_set

MARCH = dt.date(2026, 3, 1)
URL = "/api/v1/pipeline-metrics/"


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def pipeline(merger, ops_user, rep, other_rep, team, acquired):
    segment = factories.SegmentFactory(merger=merger, name="Utilities")
    won = factories.StageFactory(
        merger=merger,
        name="Won",
        order=9,
        probability=100,
        outcome=Stage.Outcome.WON,
        forecast_category=Stage.Forecast.CLOSED,
    )
    proposal = factories.StageFactory(merger=merger, name="Proposal", order=3, probability=50)
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=proposal,
        probability=50,
        amount=Decimal("30000"),
        segment=segment,
        expected_close=dt.date(2026, 3, 25),
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome="won",
        probability=100,
        amount=Decimal("5000"),
        closed_on=dt.date(2026, 3, 5),
        segment=segment,
        kind=Kind.CROSS_SELL,
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=other_rep,
        stage=proposal,
        probability=50,
        amount=Decimal("8000"),
        direction=Direction.B_TO_A,
        kind=Kind.UPSELL,
    )
    quota_set(
        actor=ops_user,
        rep=rep,
        period_start=MARCH,
        period_kind="month",
        core_amount=Decimal("0"),
        cross_sell_amount=Decimal("20000"),
    )
    return segment


def test_rep_rows_carry_quota_coverage_and_attainment(merger, pipeline, rep, other_rep):
    # Read during March: coverage counts the pipeline due in the rest of the month.
    during = dt.date(2026, 3, 10)
    metrics = pipeline_metrics(merger=merger, by=Dimension.REP, month=MARCH, today=during)
    rows = {row.key: row for row in metrics}
    mine = rows[str(rep.pk)]
    assert mine.figures.open_amount == Decimal("30000.00")
    assert mine.figures.weighted_amount == Decimal("15000.00")
    assert mine.figures.won_amount == Decimal("5000.00")
    assert mine.cross_sell_quota == Decimal("20000.00")
    assert mine.attainment == Decimal("0.2500")
    assert mine.coverage == Decimal("2.0000")
    assert rows[str(other_rep.pk)].label == str(other_rep)


def test_a_month_that_has_ended_has_no_coverage(merger, pipeline, rep):
    after = dt.date(2026, 4, 2)
    metrics = pipeline_metrics(merger=merger, by=Dimension.REP, month=MARCH, today=after)
    mine = {row.key: row for row in metrics}[str(rep.pk)]
    assert mine.attainment == Decimal("0.2500")
    assert mine.coverage is None


def test_without_a_month_there_is_no_quota_and_wins_are_all_time(merger, pipeline):
    [program] = pipeline_metrics(merger=merger, by=Dimension.PROGRAM)
    assert program.cross_sell_quota is None
    assert program.figures.won_count == 1


def test_team_rows_include_the_teams_below(merger, pipeline, team):
    region = factories.TeamFactory(merger=merger, name="Region")
    team.parent = region
    team.save()
    rows = {
        row.label: row for row in pipeline_metrics(merger=merger, by=Dimension.TEAM, month=MARCH)
    }
    assert rows["Region"].figures.open_amount == rows["Central"].figures.open_amount
    assert rows["Region"].cross_sell_quota == Decimal("20000.00")


@pytest.mark.parametrize("by", ["rep", "team", "segment", "direction", "month", "program"])
def test_every_slice_answers(merger, pipeline, executive_user, by):
    response = _api(executive_user).get(URL, {"merger": merger.pk, "by": by, "month": "2026-03"})
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == by and body["rows"]
    row = body["rows"][0]
    for key in ("open_amount", "weighted_amount", "won_amount", "win_rate", "average_deal"):
        assert key in row
    for key in ("cycle_days", "velocity", "stale_count", "coverage"):
        assert key in row


def test_segment_rows_are_labelled(merger, pipeline, rep_user):
    body = _api(rep_user).get(URL, {"merger": merger.pk, "by": "segment"}).json()
    assert "Utilities" in {row["label"] for row in body["rows"]}


def test_the_kind_narrows_the_figures(merger, pipeline, rep_user):
    body = _api(rep_user).get(URL, {"merger": merger.pk, "kind": "upsell"}).json()
    assert body["rows"][0]["open_amount"] == "8000.00"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"by": "planet"}, "by"), ({"month": "2026-Q1"}, "month"), ({"kind": "x"}, "kind")],
)
def test_bad_parameters_answer_400(merger, rep_user, params, field):
    response = _api(rep_user).get(URL, {"merger": merger.pk, **params})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 401),
        ("rep_user", 200),
        ("leader_user", 200),
        ("executive_user", 200),
        ("ops_user", 200),
        ("outsider_user", 404),
    ],
)
def test_metrics_role_matrix(request, merger, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    assert _api(user).get(URL, {"merger": merger.pk}).status_code == status


# Snapshots


@pytest.fixture
def snapshot(merger):
    frozen = MonthlySnapshot.objects.create(
        merger=merger, month=MARCH, frozen_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    )
    SnapshotLine.objects.create(
        snapshot=frozen, scope="program", key="program", won_amount=Decimal("5000")
    )
    return frozen


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 401),
        ("rep_user", 200),
        ("leader_user", 200),
        ("executive_user", 200),
        ("ops_user", 200),
        ("outsider_user", 404),
    ],
)
def test_snapshot_role_matrix(request, snapshot, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    assert _api(user).get(f"/api/v1/snapshots/{snapshot.pk}/").status_code == status


def test_snapshots_list_without_lines_and_retrieve_with_them(snapshot, executive_user):
    listed = _api(executive_user).get("/api/v1/snapshots/").json()
    assert [item["month"] for item in listed["results"]] == ["2026-03-01"]
    assert "lines" not in listed["results"][0]
    detail = _api(executive_user).get(f"/api/v1/snapshots/{snapshot.pk}/").json()
    assert detail["lines"][0]["won_amount"] == "5000.00"


def test_snapshots_are_read_only(snapshot, ops_user):
    response = _api(ops_user).delete(f"/api/v1/snapshots/{snapshot.pk}/")
    assert response.status_code in (403, 405)
    assert MonthlySnapshot.objects.filter(pk=snapshot.pk).exists()


def test_an_outsider_lists_no_snapshot(snapshot, outsider_user):
    assert _api(outsider_user).get("/api/v1/snapshots/").json()["results"] == []
