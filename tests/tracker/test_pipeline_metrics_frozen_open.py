"""A closed month's open pipeline in the pipeline metrics is its snapshot's, the month-end
figures its dashboard, snapshot and board pack show: a deal won, raised, reassigned or
entered since is a change of a later month, not of the closed one."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Direction
from tests import factories
from tracker.models import Opportunity, SnapshotLine, Stage
from tracker.selectors.metrics import Dimension
from tracker.selectors.pipeline_metrics import pipeline_metrics
from tracker.services.snapshots import snapshot_freeze

MAY = date(2026, 5, 1)
TODAY = date(2026, 12, 7)
OPEN_FIGURES = ("open_count", "open_amount", "weighted_amount", "stale_count")


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@pytest.fixture
def changed_after_may_froze(merger, rep, other_rep):
    """Three deals open at May's end (45,000, one of them stale then); since the freeze
    one is won, one raised and reassigned, and a new one entered."""
    stages = factories.stages_of(merger, "proposal", "won")
    proposal = stages["proposal"]

    def deal(owner, amount, close, moved, **extra):
        return factories.OpportunityFactory(
            merger=merger,
            owner=owner,
            stage=proposal,
            amount=Decimal(amount),
            expected_close=close,
            created_at=_at(date(2026, 4, 2)),
            progressed_at=_at(moved),
            **extra,
        )

    won_since = deal(rep, "10000", date(2026, 5, 28), date(2026, 5, 20))
    raised = deal(rep, "30000", date(2026, 7, 15), date(2026, 5, 25))
    deal(other_rep, "5000", date(2026, 6, 10), date(2026, 3, 1), direction=Direction.B_TO_A)
    snapshot_freeze(merger_id=merger.pk, month=MAY)

    Opportunity.objects.filter(pk=won_since.pk).update(
        stage=stages["won"], outcome=Stage.Outcome.WON, probability=100, closed_on=date(2026, 6, 3)
    )
    Opportunity.objects.filter(pk=raised.pk).update(amount=Decimal("50000"), owner=other_rep)
    deal(rep, "7000", date(2026, 6, 30), date(2026, 12, 1))


def _open(figures) -> tuple:
    return tuple(getattr(figures, name) for name in OPEN_FIGURES)


def test_the_program_row_of_a_closed_month_has_its_month_end_open_pipeline(
    merger, changed_after_may_froze
):
    [row] = pipeline_metrics(merger=merger, by=Dimension.PROGRAM, month=MAY, today=TODAY)

    # 3 deals of 45,000 at 60%, the one last moved in March stale at May's end.
    assert _open(row.figures) == (3, Decimal("45000.00"), Decimal("27000.00"), 1)


@pytest.mark.parametrize(
    "by", [Dimension.REP, Dimension.TEAM, Dimension.SEGMENT, Dimension.DIRECTION]
)
def test_every_slice_of_a_closed_month_has_its_snapshot_lines_open_pipeline(
    merger, changed_after_may_froze, by
):
    scope = {
        Dimension.REP: SnapshotLine.Scope.REP,
        Dimension.TEAM: SnapshotLine.Scope.TEAM,
        Dimension.SEGMENT: SnapshotLine.Scope.SEGMENT,
        Dimension.DIRECTION: SnapshotLine.Scope.DIRECTION,
    }[by]
    lines = SnapshotLine.objects.filter(snapshot__month=MAY, scope=scope)
    frozen = {
        line.key: (line.open_count, line.open_pipeline, line.weighted_pipeline, line.stale_count)
        for line in lines
        if line.open_count
    }

    rows = pipeline_metrics(merger=merger, by=by, month=MAY, today=TODAY)

    found = {row.key: _open(row.figures) for row in rows if row.figures.open_count}
    assert found == frozen
    assert sum(count for count, *_rest in found.values()) == 3


def test_the_months_of_a_closed_month_hold_its_open_deals_by_expected_close(
    merger, changed_after_may_froze
):
    rows = pipeline_metrics(merger=merger, by=Dimension.MONTH, month=MAY, today=TODAY)

    found = {row.label: _open(row.figures) for row in rows}
    assert found == {
        "2026-05": (1, Decimal("10000.00"), Decimal("6000.00"), 0),
        "2026-06": (1, Decimal("5000.00"), Decimal("3000.00"), 1),
        "2026-07": (1, Decimal("30000.00"), Decimal("18000.00"), 0),
    }


def test_the_api_names_the_frozen_figures_and_keeps_one_kind_live(
    merger, ops_user, changed_after_may_froze
):
    api = APIClient()
    api.force_authenticate(ops_user)
    query = {"merger": merger.pk, "month": "2026-05"}

    body = api.get("/api/v1/pipeline-metrics/", query).json()

    [row] = body["rows"]
    assert (row["open_count"], row["open_amount"], row["stale_count"]) == (3, "45000.00", 1)
    assert set(body["frozen_figures"]) >= {"open_count", "open_amount", "weighted_amount"}
    assert "stale_count" in body["frozen_figures"]
    # The snapshot keeps both kinds together: one kind's figures are today's.
    one_kind = api.get("/api/v1/pipeline-metrics/", {**query, "kind": "cross_sell"}).json()
    assert one_kind["frozen_figures"] == []
    assert one_kind["rows"][0]["open_count"] == 3  # the two left open and the new one
    # An open month is live.
    june = api.get("/api/v1/pipeline-metrics/", {**query, "month": "2026-06"}).json()
    assert june["frozen_figures"] == []
    assert june["rows"][0]["open_amount"] == "62000.00"
