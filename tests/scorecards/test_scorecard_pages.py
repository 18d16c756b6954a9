"""Scorecard pages: the program's six Cs and synergy, a segment, one C with its assessments."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from core.access import Role
from scorecards.models import Assessment, CScore, SegmentScore
from scorecards.services.scores import assessment_create, scores_freeze
from tests import factories
from tests.scorecards.dashboard_program import CURRENT_MONTH, PAST_MONTH, freeze_today
from tests.scorecards.export_program import scored_program

PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]
MONTH_PARAM = f"{PAST_MONTH:%Y-%m}"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch)


@pytest.fixture
def segments(merger, rep):
    return scored_program(merger, rep, ["Food & beverage", "Mining"])


@pytest.fixture
def segment(segments):
    return segments[0]


def scorecard_url(month: str = MONTH_PARAM) -> str:
    return f"{reverse('scorecards:scorecard')}?month={month}"


def segment_url(segment, month: str = MONTH_PARAM) -> str:
    return f"{reverse('scorecards:segment', args=[segment.pk])}?month={month}"


def c_url(segment, c: str = "commitment") -> str:
    return reverse("scorecards:segment_c", args=[segment.pk, c])


def chart_json(body: str, chart_id: str) -> dict:
    match = re.search(
        rf'<script type="application/json" data-chart="{chart_id}">(.*?)</script>', body, re.S
    )
    assert match, f"no chart {chart_id}"
    return json.loads(match.group(1))


def assess(client, segment, **data):
    payload = {"month": MONTH_PARAM, "mode": "override", "score": "2", "evidence": "Board review"}
    return client.post(c_url(segment), {**payload, **data})


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_the_program_scorecard(client, request, segments, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(scorecard_url())
    assert response.status_code == 200
    body = response.text
    assert "Food &amp; beverage" in body and "Mining" in body
    assert "Program synergy" in body
    assert "research average: about 20%" in body
    assert 'id="horizon-progress"' in body


@pytest.mark.parametrize(
    "url", [lambda s: scorecard_url(), lambda s: segment_url(s), lambda s: c_url(s)]
)
def test_anonymous_visitor_is_sent_to_login(client, segment, url):
    response = client.get(url(segment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404_for_this_programs_segment(client, outsider_user, segment):
    client.force_login(outsider_user)
    assert client.get(segment_url(segment)).status_code == 404
    assert client.get(c_url(segment)).status_code == 404


def test_unknown_c_is_not_found(client, executive_user, segment):
    client.force_login(executive_user)
    assert client.get(c_url(segment, "charisma")).status_code == 404


def test_heat_map_chart_and_table_cells_link_to_the_segments_c_page(
    client, executive_user, segment
):
    client.force_login(executive_user)
    body = client.get(scorecard_url()).text
    figure = chart_json(body, "scorecard-heatmap")
    expected = f"{reverse('scorecards:segment_c', args=[segment.pk, 'commitment'])}?month=2026-05"
    assert figure["data"][0]["type"] == "heatmap"
    assert expected in figure["config"]["drilldown"][0]
    assert f'href="{expected}"' in body
    assert "View data" in body
    assert "Cs strong" in body
    assert "What drives each score" in body


def test_scorecard_shows_composite_strong_cs_and_change_since_last_month(
    client, executive_user, segment
):
    now = SegmentScore.objects.get(segment=segment, month=PAST_MONTH)
    SegmentScore.objects.filter(segment=segment, month="2026-04-01").update(
        composite=now.composite - Decimal("0.50")
    )
    client.force_login(executive_user)
    body = client.get(scorecard_url()).text
    assert f"{now.composite:.2f}" in body
    assert "+0.50" in body
    assert "up since last month" in body


def test_one_line_explanation_of_each_c_is_shown(client, executive_user, segment):
    explanation = CScore.objects.filter(segment=segment, month=PAST_MONTH).first().explanation
    client.force_login(executive_user)
    assert explanation in client.get(scorecard_url()).text


def test_month_without_scores_is_scored_on_the_fly_and_nothing_is_stored(
    client, executive_user, segments
):
    # Behaviour changed: a GET used to compute and store the month's scores.
    assert not SegmentScore.objects.filter(month=CURRENT_MONTH).exists()
    client.force_login(executive_user)
    body = client.get(reverse("scorecards:scorecard")).text
    assert not SegmentScore.objects.filter(month=CURRENT_MONTH).exists()
    assert not CScore.objects.filter(month=CURRENT_MONTH).exists()
    assert "Open month" in body
    assert "Scored just now from current data" in body
    heatmap = chart_json(body, "scorecard-heatmap")
    assert heatmap["data"][-1]["z"][0][-1] is not None  # Commitment is scored live


def test_past_frozen_month_has_a_badge_and_no_recompute_button(
    client, leader_user, merger, segments
):
    scores_freeze(merger_id=merger.pk, month=PAST_MONTH)
    client.force_login(leader_user)
    body = client.get(scorecard_url()).text
    assert '<span class="badge badge--frozen">Frozen</span>' in body
    assert reverse("scorecards:scorecard_recompute") not in body
    assert "May 2026 (frozen)" in body  # the month picker says so too


def test_past_month_not_frozen_says_so(client, leader_user, segments):
    client.force_login(leader_user)
    body = client.get(scorecard_url()).text
    assert "Not frozen yet" in body
    assert reverse("scorecards:scorecard_recompute") in body


def test_program_without_segments_explains_what_to_do(client, executive_user, merger):
    client.force_login(executive_user)
    response = client.get(reverse("scorecards:scorecard"))
    assert response.status_code == 200
    assert "This program has no segments yet" in response.text
    assert "Sales ops defines the segments" in response.text
    assert not SegmentScore.objects.exists()


def test_recompute_button_is_for_leaders_and_ops(client, request, segments):
    for persona, shown in [
        ("leader_user", True),
        ("ops_user", True),
        ("executive_user", False),
        ("rep_user", False),
    ]:
        client.force_login(request.getfixturevalue(persona))
        body = client.get(scorecard_url()).text
        assert (reverse("scorecards:scorecard_recompute") in body) is shown, persona


@pytest.fixture
def queued(monkeypatch) -> list:
    sent = []
    monkeypatch.setattr("scorecards.tasks.recompute_scores.delay", lambda *args: sent.append(args))
    return sent


def test_recompute_queues_the_task_and_says_so(client, leader_user, merger, segments, queued):
    client.force_login(leader_user)
    response = client.post(
        reverse("scorecards:scorecard_recompute"), {"month": MONTH_PARAM}, follow=True
    )
    assert queued == [(merger.pk, "2026-05-01")]
    assert "Recomputing the scores of May 2026" in response.text


def test_recompute_with_the_task_queue_down_says_nothing_was_recomputed(
    client, leader_user, segments, monkeypatch
):
    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refuse)
    client.force_login(leader_user)
    response = client.post(
        reverse("scorecards:scorecard_recompute"), {"month": MONTH_PARAM}, follow=True
    )
    assert response.status_code == 200
    assert "task queue could not be reached" in response.text
    assert "Recomputing" not in response.text


def test_recompute_of_a_frozen_month_is_refused(client, ops_user, merger, segments, queued):
    scores_freeze(merger_id=merger.pk, month=PAST_MONTH)
    client.force_login(ops_user)
    response = client.post(
        reverse("scorecards:scorecard_recompute"), {"month": MONTH_PARAM}, follow=True
    )
    assert queued == []
    assert "are frozen" in response.text


@pytest.mark.parametrize("persona", ["rep_user", "executive_user"])
def test_recompute_is_refused_to_other_roles(client, request, segments, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("scorecards:scorecard_recompute"), {"month": MONTH_PARAM})
    assert response.status_code == 403


def test_segment_page_shows_each_c_with_indicators_radar_and_history(client, rep_user, segment):
    client.force_login(rep_user)
    response = client.get(segment_url(segment))
    assert response.status_code == 200
    body = response.text
    for label in ("Complementarity", "Connection", "Capacity", "Capability", "Commitment"):
        assert label in body
    assert "Thresholds for 2 to 5" in body
    assert "Score history this month" in body
    radar = chart_json(body, "segment-radar")
    assert [trace["type"] for trace in radar["data"]] == ["scatterpolar", "scatterpolar"]
    assert radar["config"]["drilldown"][0].startswith(
        reverse("scorecards:segment_c", args=[segment.pk, "complementarity"])
    )


def test_segment_page_shows_the_latest_assessment_and_its_author(
    client, executive_user, leader_user, segment
):
    assessment_create(
        actor=leader_user,
        segment=segment,
        month=PAST_MONTH,
        c="commitment",
        mode="adjust",
        score=Decimal("0.5"),
        evidence="Met the plant managers of the five largest accounts",
    )
    client.force_login(executive_user)
    body = client.get(segment_url(segment)).text
    assert "Latest assessment" in body
    assert "Met the plant managers of the five largest accounts" in body
    assert "Assessment by leader" in body  # the score change it caused


def test_c_page_lists_indicators_with_thresholds_and_sources(client, rep_user, segment):
    client.force_login(rep_user)
    response = client.get(f"{c_url(segment)}?month={MONTH_PARAM}")
    body = response.text
    assert response.status_code == 200
    assert "Accountable cross-sell leader assigned" in body
    assert "Program reviews" in body  # a source
    assert "2: ≥0.5, 3: ≥1, 4: ≥2, 5: ≥3" in body
    assert "Assessments, every month" in body
    assert "Score changes, every month" in body


def test_assessment_form_is_offered_to_leaders_and_executives_only(client, request, segment):
    for persona, shown in [
        ("leader_user", True),
        ("executive_user", True),
        ("ops_user", False),
        ("rep_user", False),
    ]:
        client.force_login(request.getfixturevalue(persona))
        body = client.get(f"{c_url(segment)}?month={MONTH_PARAM}").text
        assert ('name="evidence"' in body) is shown, persona


def test_leader_assesses_a_c_and_the_score_follows(client, leader_user, segment):
    client.force_login(leader_user)
    response = assess(client, segment, evidence="Reviews were cancelled twice")
    assert response.status_code == 302
    assert response["Location"] == f"{c_url(segment)}?month={MONTH_PARAM}"
    assessment = Assessment.objects.get()
    assert (assessment.author, assessment.c, assessment.score) == (
        leader_user,
        "commitment",
        Decimal("2"),
    )
    score = CScore.objects.get(segment=segment, month=PAST_MONTH, c="commitment")
    assert score.score == Decimal("2.00")
    page = client.get(response["Location"]).text
    assert "Reviews were cancelled twice" in page
    assert "Assessment saved" in page


@pytest.mark.parametrize("persona", ["rep_user", "ops_user"])
def test_other_roles_may_not_assess(client, request, segment, persona):
    client.force_login(request.getfixturevalue(persona))
    assert assess(client, segment).status_code == 403
    assert not Assessment.objects.exists()


def test_assessment_of_a_frozen_month_is_refused_with_a_clear_message(
    client, executive_user, merger, segment
):
    scores_freeze(merger_id=merger.pk, month=PAST_MONTH)
    client.force_login(executive_user)
    response = assess(client, segment)
    assert response.status_code == 400
    assert "Scores of May 2026 are frozen." in response.text
    assert not Assessment.objects.exists()


def test_assessment_needs_evidence(client, leader_user, segment):
    client.force_login(leader_user)
    response = assess(client, segment, evidence="   ")
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Assessment.objects.exists()


def test_adjustment_out_of_range_is_refused(client, leader_user, segment):
    client.force_login(leader_user)
    response = assess(client, segment, mode="adjust", score="3")
    assert response.status_code == 400
    assert "Must be between -2 and 2." in response.text
    assert not Assessment.objects.exists()


def test_outsider_may_not_assess_this_programs_segment(client, segment):
    other = factories.MergerFactory(name="Third deal")
    user = factories.UserFactory(username="outside_leader", role=Role.LEADER)
    factories.MembershipFactory(merger=other, user=user)
    client.force_login(user)
    assert assess(client, segment).status_code == 404


def test_scorecard_query_count_does_not_grow_with_segments(client, executive_user, merger, rep):
    scored_program(merger, rep, ["Food & beverage"])
    client.force_login(executive_user)
    client.get(scorecard_url())
    with CaptureQueriesContext(connection) as small:
        client.get(scorecard_url())
    scored_program(merger, rep, ["Mining", "Chemicals", "Utilities"])
    client.get(scorecard_url())
    with CaptureQueriesContext(connection) as large:
        client.get(scorecard_url())
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_rich_scorecard_pages_are_valid_accessible_html(client, leader_user, segment):
    client.force_login(leader_user)
    for url in (scorecard_url(), segment_url(segment), f"{c_url(segment)}?month={MONTH_PARAM}"):
        body = client.get(url).text
        ids = re.findall(r'\sid="([^"]+)"', body)
        assert len(ids) == len(set(ids)), url
        assert body.count("<h1") == 1
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", body)


def test_a_new_program_without_data_is_grey_not_scored_never_red(client, executive_user, merger):
    factories.SegmentFactory(merger=merger, name="Greenfield")
    client.force_login(executive_user)
    body = client.get(reverse("scorecards:scorecard")).text
    # Only Commitment is measured, from program-wide facts (no accountable leader named,
    # no review held); the five Cs without data are grey, not red.
    assert body.count("score-cell--none") == 5
    assert body.count("score-cell--1") == 1
    assert "Commitment of Greenfield: 1.00 of 5" in body
    assert "To score it: " in body
    heatmap = chart_json(body, "scorecard-heatmap")
    not_scored, scores = heatmap["data"]
    assert not_scored["text"][0][:5] == ["not scored"] * 5
    assert scores["z"][0][:5] == [None] * 5


def test_the_weakest_indicator_is_shown_beside_each_score(client, executive_user, segment):
    client.force_login(executive_user)
    body = client.get(scorecard_url()).text
    weakest = CScore.objects.get(segment=segment, month=PAST_MONTH, c="commitment")
    assert f"weakest {weakest.weakest_score:.0f}" in body
    c_page = client.get(f"{c_url(segment)}?month={MONTH_PARAM}").text
    assert "Weakest indicator" in c_page


def test_program_wide_indicators_say_so(client, executive_user, segment):
    client.force_login(executive_user)
    body = client.get(f"{c_url(segment)}?month={MONTH_PARAM}").text
    assert body.count("program-wide") == 2  # an accountable leader, the monthly reviews


def test_an_adjustment_of_a_c_without_data_is_refused(client, leader_user, segment):
    client.force_login(leader_user)
    response = client.post(
        f"{c_url(segment, 'connection')}?month={MONTH_PARAM}",
        {"month": MONTH_PARAM, "mode": "adjust", "score": "1", "evidence": "Strong plan"},
    )
    assert response.status_code == 400
    assert "This C is not scored" in response.text
    assert not Assessment.objects.exists()
