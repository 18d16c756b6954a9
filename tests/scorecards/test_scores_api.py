"""Six-C API: scores, indicators, composites, assessments and the program scorecard."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from scorecards.models import Assessment, CScore
from scorecards.services.scores import scores_freeze
from tests import factories
from tests.scorecards.export_program import MONTH, PREVIOUS_MONTH, scored_program

PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]
READS = ["/api/v1/scores/", "/api/v1/indicators/", "/api/v1/segment-scores/"]


@pytest.fixture
def segments(merger, rep):
    return scored_program(merger, rep, ["Food & beverage", "Mining"])


def client_as(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assessment_data(segment, **changes) -> dict:
    data = {
        "segment": segment.pk,
        "month": "2026-05",
        "c": "commitment",
        "mode": "override",
        "score": "2.50",
        "evidence": "The monthly review was skipped twice",
    }
    return {**data, **changes}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", READS)
def test_every_role_reads_scores_and_their_evidence(request, segments, persona, url):
    response = client_as(request.getfixturevalue(persona)).get(url, {"month": "2026-05"})
    assert response.status_code == 200
    assert response.data["count"] > 0


@pytest.mark.parametrize("url", [*READS, "/api/v1/assessments/", "/api/v1/program-scorecard/"])
def test_anonymous_client_is_told_to_authenticate(db, url):
    assert client_as().get(url).status_code == 401


@pytest.mark.parametrize("url", READS)
def test_outsider_sees_nothing_of_this_program(segments, outsider_user, url):
    response = client_as(outsider_user).get(url)
    assert response.status_code == 200
    assert response.data["count"] == 0


def test_outsider_cannot_open_a_score_of_this_program(segments, outsider_user):
    score = CScore.objects.first()
    response = client_as(outsider_user).get(f"/api/v1/scores/{score.pk}/")
    assert response.status_code == 404


def test_scores_filter_by_month_and_segment_and_carry_their_explanation(segments, executive_user):
    response = client_as(executive_user).get(
        "/api/v1/scores/", {"month": "2026-05", "segment": segments[0].pk}
    )
    rows = response.data["results"]
    assert len(rows) == 6
    assert {row["month"] for row in rows} == {"2026-05"}
    assert {row["segment"] for row in rows} == {segments[0].pk}
    for row in rows:
        if row["scored"]:
            assert row["explanation"].split("/5: ")[1]
            assert row["weakest_code"] and row["weakest_score"]
        else:
            assert row["score"] is None
            assert row["explanation"].startswith("Not scored: no data for its indicators yet.")
    assert {row["c"] for row in rows} == {
        "complementarity",
        "connection",
        "capacity",
        "capability",
        "compensation",
        "commitment",
    }


def test_a_month_is_written_yyyy_mm(segments, executive_user):
    response = client_as(executive_user).get("/api/v1/scores/", {"month": "May"})
    assert response.status_code == 400


def test_indicators_of_one_c_come_with_thresholds_and_sources(segments, rep_user):
    response = client_as(rep_user).get(
        "/api/v1/indicators/",
        {"month": "2026-05", "segment": segments[0].pk, "c": "commitment"},
    )
    rows = response.data["results"]
    assert {row["c"] for row in rows} == {"commitment"}
    reviews = next(row for row in rows if row["code"] == "reviews_held")
    assert reviews["threshold"] == "2: ≥0.5, 3: ≥1, 4: ≥2, 5: ≥3"
    assert reviews["source"] == "Program reviews"


def test_segment_scores_give_composite_and_strong_cs(segments, leader_user):
    response = client_as(leader_user).get(
        "/api/v1/segment-scores/", {"month": "2026-05", "segment": segments[1].pk}
    )
    [row] = response.data["results"]
    assert row["segment_name"] == "Mining"
    assert Decimal(row["composite"]) >= 1
    assert 0 <= row["strong_count"] <= 6


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("leader_user", 201), ("executive_user", 201), ("rep_user", 403), ("ops_user", 403)],
)
def test_leaders_and_executives_create_assessments(request, segments, persona, expected):
    user = request.getfixturevalue(persona)
    response = client_as(user).post(
        "/api/v1/assessments/", assessment_data(segments[0]), format="json"
    )
    assert response.status_code == expected
    if expected == 201:
        assert response.data["author"] == user.pk
        score = CScore.objects.get(segment=segments[0], month=MONTH, c="commitment")
        assert score.score == Decimal("2.50")
    else:
        assert not Assessment.objects.exists()


def test_assessment_of_a_frozen_month_is_a_conflict(merger, segments, leader_user):
    scores_freeze(merger_id=merger.pk, month=PREVIOUS_MONTH)
    response = client_as(leader_user).post(
        "/api/v1/assessments/", assessment_data(segments[0], month="2026-04"), format="json"
    )
    assert response.status_code == 409
    assert "frozen" in response.data["detail"]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"evidence": "  "}, "evidence"),
        ({"mode": "adjust", "score": "3"}, "score"),
        ({"c": "charisma"}, "c"),
        ({"month": "May"}, "month"),
        ({"month": "1990-01"}, "month"),
        ({"month": "9999-12"}, "month"),
    ],
)
def test_invalid_assessment_is_refused_by_field(segments, leader_user, changes, field):
    response = client_as(leader_user).post(
        "/api/v1/assessments/", assessment_data(segments[0], **changes), format="json"
    )
    assert response.status_code == 400
    assert field in response.data
    assert not Assessment.objects.exists()


def test_segment_of_another_program_cannot_be_assessed(segments, leader_user):
    other = factories.SegmentFactory(merger=factories.MergerFactory(name="Elsewhere"))
    response = client_as(leader_user).post(
        "/api/v1/assessments/", assessment_data(other), format="json"
    )
    assert response.status_code == 400
    assert "segment" in response.data


def test_assessments_are_listed_for_every_role_of_the_program_only(
    segments, leader_user, rep_user, outsider_user
):
    client_as(leader_user).post(
        "/api/v1/assessments/", assessment_data(segments[0]), format="json"
    )
    listed = client_as(rep_user).get("/api/v1/assessments/", {"segment": segments[0].pk})
    assert listed.data["count"] == 1
    assert listed.data["results"][0]["evidence"] == "The monthly review was skipped twice"
    assert client_as(outsider_user).get("/api/v1/assessments/").data["count"] == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_program_scorecard_compares_target_realized_and_forecast(
    request, merger, segments, persona
):
    response = client_as(request.getfixturevalue(persona)).get(
        "/api/v1/program-scorecard/", {"merger": merger.pk, "month": "2026-05"}
    )
    assert response.status_code == 200
    body = response.data
    assert body["month"] == "2026-05"
    assert body["research_average_gap_pct"] == "20.0"
    assert Decimal(body["program"]["target_to_date"]) == Decimal("40000")
    assert Decimal(body["program"]["realized"]) == Decimal("16000")
    assert [line["label"] for line in body["by_segment"]] == ["Food & beverage", "Mining"]
    assert {line["key"] for line in body["by_direction"]} == {"a_to_b", "b_to_a", "within"}


def test_program_scorecard_of_another_program_is_not_found(merger, segments, outsider_user):
    response = client_as(outsider_user).get("/api/v1/program-scorecard/", {"merger": merger.pk})
    assert response.status_code == 404


def test_program_scorecard_needs_the_program(segments, executive_user):
    response = client_as(executive_user).get("/api/v1/program-scorecard/")
    assert response.status_code == 400
    assert "merger" in response.data


def test_six_c_answers_each_c_with_its_weakest_indicator_or_what_would_score_it(
    merger, segments, rep_user
):
    response = client_as(rep_user).get("/api/v1/six-c/", {"merger": merger.pk, "month": "2026-05"})
    assert response.status_code == 200
    body = response.data
    assert body["source"] == "stored"
    food = body["segments"][0]
    assert food["segment_name"] == "Food & beverage"
    cs = {c["c"]: c for c in food["cs"]}
    stored = CScore.objects.get(segment=segments[0], month=MONTH, c="commitment")
    commitment = cs["commitment"]
    assert commitment["scored"] is True
    assert Decimal(commitment["score"]) == stored.score
    assert commitment["weakest"]["code"] == stored.weakest_code
    assert Decimal(commitment["weakest"]["score"]) == stored.weakest_score
    wide = {i["code"] for i in commitment["indicators"] if i["program_wide"]}
    assert wide == {"leader_assigned", "reviews_held"}
    connection = cs["connection"]  # no CRM accounts with relationship data
    assert connection["scored"] is False
    assert connection["score"] is None and connection["weakest"] is None
    assert connection["missing_data"][0] == "import CRM accounts with their relationship data"
    assert all(not i["measured"] and i["needs"] for i in connection["indicators"])
    assert food["scored_count"] == sum(1 for c in food["cs"] if c["scored"])
    assert food["strong_count"] <= food["scored_count"]


def test_six_c_of_another_program_is_not_found(merger, segments, outsider_user):
    response = client_as(outsider_user).get("/api/v1/six-c/", {"merger": merger.pk})
    assert response.status_code == 404


def test_stored_scores_carry_their_weakest_indicator_and_scored_count(segments, executive_user):
    scores = (
        client_as(executive_user)
        .get("/api/v1/scores/", {"month": "2026-05", "segment": segments[0].pk})
        .data["results"]
    )
    assert {row["scored"] for row in scores} == {True, False}
    composite = (
        client_as(executive_user)
        .get("/api/v1/segment-scores/", {"month": "2026-05", "segment": segments[0].pk})
        .data["results"][0]
    )
    assert composite["scored_count"] == sum(1 for row in scores if row["scored"])
    indicators = (
        client_as(executive_user)
        .get("/api/v1/indicators/", {"month": "2026-05", "segment": segments[0].pk})
        .data["results"]
    )
    assert {row["code"] for row in indicators if row["program_wide"]} == {
        "leader_assigned",
        "reviews_held",
    }
