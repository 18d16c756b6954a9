"""Reads never write: no scorecard or dashboard page, API answer or report stores scores.

The month here has no stored scores; every read scores it on the fly. Scores
are written only by the freeze, an assessment and the recompute task.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from scorecards.models import CScore, IndicatorValue, ScoreChange, SegmentScore
from scorecards.selectors.report import scorecard_report
from tests.scorecards.dashboard_program import CURRENT_MONTH, dashboard_program, freeze_today

MONTH = f"{CURRENT_MONTH:%Y-%m}"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch)


@pytest.fixture
def segments(merger, rep):
    return dashboard_program(merger, rep, ["Food & beverage", "Mining"])


def _page_urls(merger, segment, rep) -> list[str]:
    team = rep.team
    return [
        f"{reverse('scorecards:scorecard')}?month={MONTH}",
        f"{reverse('scorecards:segment', args=[segment.pk])}?month={MONTH}",
        *(
            f"{reverse('scorecards:segment_c', args=[segment.pk, c])}?month={MONTH}"
            for c in ("complementarity", "capacity", "capability", "compensation", "commitment")
        ),
        f"{reverse('scorecards:dashboard')}?month={MONTH}",
        f"{reverse('scorecards:dashboard')}?month={MONTH}&segment={segment.pk}&radar={segment.pk}",
        f"{reverse('scorecards:team_dashboard', args=[team.pk])}?month={MONTH}",
        f"{reverse('scorecards:rep_dashboard', args=[rep.pk])}?month={MONTH}",
        reverse("scorecards:exports"),
    ]


def _api_urls(merger, segment) -> list[str]:
    program = f"merger={merger.pk}&month={MONTH}"
    return [
        f"/api/v1/six-c/?{program}",
        f"/api/v1/dashboard/?{program}",
        f"/api/v1/program-scorecard/?{program}",
        f"/api/v1/scores/?{program}",
        f"/api/v1/indicators/?{program}&segment={segment.pk}",
        f"/api/v1/segment-scores/?{program}",
        f"/api/v1/assessments/?{program}",
    ]


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (IndicatorValue, CScore, SegmentScore, ScoreChange)
    }


def _writes(context: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"][:120]
        for query in context.captured_queries
        if query["sql"].lstrip().split(" ", 1)[0].upper() in WRITES
    ]


def test_no_page_or_endpoint_writes_when_a_month_is_scored_on_the_fly(
    client, merger, rep, ops_user, segments
):
    assert not SegmentScore.objects.filter(month=CURRENT_MONTH).exists()
    client.force_login(ops_user)
    api = APIClient()
    api.force_authenticate(ops_user)
    before = _counts()
    for url in _page_urls(merger, segments[0], rep):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert _writes(queries) == [], url
    for url in _api_urls(merger, segments[0]):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        assert _writes(queries) == [], url
    assert _counts() == before
    assert not SegmentScore.objects.filter(month=CURRENT_MONTH).exists()


def test_the_scores_read_on_the_fly_are_shown(client, merger, ops_user, segments):
    client.force_login(ops_user)
    api = APIClient()
    api.force_authenticate(ops_user)
    six_c = api.get(f"/api/v1/six-c/?merger={merger.pk}&month={MONTH}").data
    assert six_c["source"] == "live"
    assert [s["segment_name"] for s in six_c["segments"]] == ["Food & beverage", "Mining"]
    commitment = six_c["segments"][0]["cs"][-1]
    assert commitment["scored"] and commitment["weakest"]["code"]
    body = client.get(f"{reverse('scorecards:scorecard')}?month={MONTH}").text
    assert "Scored just now from current data" in body


def test_the_report_behind_every_export_writes_nothing(merger, segments):
    before = _counts()
    with CaptureQueriesContext(connection) as queries:
        report = scorecard_report(merger=merger, month=CURRENT_MONTH)
    assert _writes(queries) == []
    assert _counts() == before
    assert report.section("six_cs").records()[0]["commitment"] is not None
