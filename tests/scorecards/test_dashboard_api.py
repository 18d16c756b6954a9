"""The dashboard endpoint: tiles and chart data, the same filters and access as the pages."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.scorecards.dashboard_program import PAST_MONTH, dashboard_program, freeze_today
from tracker.services.snapshots import snapshot_freeze

URL = "/api/v1/dashboard/"
PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]
CHARTS = [
    "impact",
    "funnel",
    "segment_direction",
    "attainment_teams",
    "attainment_reps",
    "six_c",
    "overlap",
    "wins",
]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch)


@pytest.fixture
def segments(merger, rep):
    return dashboard_program(merger, rep, ["Food & beverage", "Mining"])


def client_as(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def get(user, merger, **params):
    return client_as(user).get(URL, {"merger": merger.pk, "month": "2026-05", **params})


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_gets_the_tiles_and_chart_data(request, merger, segments, persona):
    response = get(request.getfixturevalue(persona), merger)
    assert response.status_code == 200
    body = response.data
    assert body["month"] == "2026-05"
    assert body["source"] == "recomputed"
    assert {tile["key"] for tile in body["tiles"]} >= {"realized", "open_pipeline", "coverage"}
    for chart in CHARTS:
        assert chart in body
    assert body["six_c"]["cs"][0] == "complementarity"
    assert len(body["six_c"]["scores"]) == 2
    assert body["funnel"]["stage_ids"]
    assert body["wins"][0]["amount"] == "8000.00"
    months = len(body["overlap"]["months"])
    assert set(body["overlap"]["transitions"]) == {
        "acquirer_only_to_both",
        "acquired_only_to_both",
        "new_both",
        "new_acquirer_only",
        "new_acquired_only",
    }
    assert all(len(counts) == months for counts in body["overlap"]["transitions"].values())


def test_anonymous_client_is_told_to_authenticate(merger, segments):
    assert client_as().get(URL, {"merger": merger.pk}).status_code == 401


def test_outsider_gets_404_for_this_program(merger, segments, outsider_user):
    assert get(outsider_user, merger).status_code == 404


def test_program_is_required(segments, executive_user):
    response = client_as(executive_user).get(URL)
    assert response.status_code == 400
    assert "merger" in response.data


def test_frozen_month_answers_from_its_snapshot(merger, segments, executive_user):
    snapshot_freeze(merger_id=merger.pk, month=PAST_MONTH)
    body = get(executive_user, merger).data
    assert body["source"] == "snapshot"
    assert body["frozen_at"]


def test_current_month_is_live_by_default(merger, segments, executive_user):
    body = client_as(executive_user).get(URL, {"merger": merger.pk}).data
    assert (body["month"], body["source"]) == ("2026-06", "live")


@pytest.mark.parametrize(
    ("persona", "own_team", "expected"),
    [
        ("leader_user", True, 200),
        ("leader_user", False, 403),
        ("rep_user", True, 403),  # unless the program shares team figures with reps
        ("rep_user", False, 403),
        ("executive_user", False, 200),
        ("ops_user", False, 200),
    ],
)
def test_team_filter_follows_the_team_dashboard_rules(
    request, merger, segments, team, other_rep, persona, own_team, expected
):
    team_id = team.pk if own_team else other_rep.team_id
    response = get(request.getfixturevalue(persona), merger, team=team_id)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "whose", "expected"),
    [
        ("rep_user", "rep", 200),
        ("rep_user", "other_rep", 403),
        ("leader_user", "rep", 200),
        ("executive_user", "other_rep", 200),
    ],
)
def test_owner_filter_follows_the_rep_dashboard_rules(
    request, merger, segments, other_rep, persona, whose, expected
):
    owner = request.getfixturevalue(whose)
    response = get(request.getfixturevalue(persona), merger, owner=owner.pk)
    assert response.status_code == expected


def test_team_of_another_program_is_not_found(merger, segments, executive_user):
    elsewhere = factories.TeamFactory(merger=factories.MergerFactory(name="Elsewhere"))
    assert get(executive_user, merger, team=elsewhere.pk).status_code == 404


def test_filters_narrow_the_figures(merger, segments, executive_user):
    everything = get(executive_user, merger).data
    mining = get(executive_user, merger, segment=segments[1].pk, direction="a_to_b").data
    assert sum(map(float, mining["funnel"]["amounts"])) < sum(
        map(float, everything["funnel"]["amounts"])
    )


@pytest.mark.parametrize("month", ["2026-05", "2026-06"])
@pytest.mark.parametrize(
    ("filters", "measured"),
    [
        ({}, True),
        ({"team": "own"}, True),
        ({"segment": 1}, False),
        ({"direction": "within"}, False),
    ],
)
def test_quota_figures_are_not_measured_for_a_slice_no_quota_is_set_for(
    client, merger, segments, team, executive_user, month, filters, measured
):
    """Quotas are set per rep: a segment's or a direction's attainment was the whole
    program's, and its coverage the segment's pipeline over the program's quota."""
    filters = {**filters}
    if filters.get("team"):
        filters["team"] = team.pk
    if filters.get("segment"):
        filters["segment"] = segments[1].pk
    body = get(executive_user, merger, month=month, **filters).data
    tiles = {tile["key"]: tile for tile in body["tiles"]}
    for key in ("attainment", "coverage"):
        if measured:
            assert "quotas are set per rep" not in tiles[key]["note"]
        else:
            assert tiles[key]["value"] is None and tiles[key]["previous"] is None
            assert "quotas are set per rep" in tiles[key]["note"]
    if month == "2026-05" or not measured:
        client.force_login(executive_user)
        page = client.get("/dashboards/", {"month": month, **filters}).text
        assert ("Not measured" in page) is not measured
        # Nor do its charts show the teams' or reps' attainment of the whole program.
        assert ('id="chart-attainment-reps"' in page) is measured


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"team": "x"}, "team"),
        ({"month": "May"}, "month"),
        ({"month": "9999-12"}, "month"),
        ({"month": "0001-01"}, "month"),
    ],
)
def test_invalid_filters_are_refused_by_name(merger, segments, executive_user, params, field):
    response = get(executive_user, merger, **params)
    assert response.status_code == 400
    assert field in response.data


def test_empty_program_says_what_is_missing(merger, executive_user):
    body = get(executive_user, merger).data
    assert len(body["missing"]) == 3
    assert body["six_c"]["has_scores"] is False


def test_a_team_slice_reports_what_it_won_not_a_share_of_the_programs_target(
    merger, segments, executive_user, team
):
    body = get(executive_user, merger, team=team.pk).data

    keys = [tile["key"] for tile in body["tiles"]]
    assert "won_to_date" in keys and "realized" not in keys
    assert set(body["impact"]["target"]) == {None}


@pytest.mark.parametrize(
    ("persona", "teams", "reps"),
    [
        ("rep_user", set(), {"rep"}),
        ("leader_user", {"Central"}, {"rep"}),
        ("executive_user", {"Central", "East"}, {"rep", "other_rep"}),
    ],
)
def test_the_program_dashboard_shows_attainment_within_the_readers_reach(
    request, client, merger, segments, other_rep, persona, teams, reps
):
    """A rep reads the program's figures but only their own attainment, as on the quota
    page; a leader, their teams' and reps'. The cached dashboard is shared by all."""
    reader = request.getfixturevalue(persona)
    rep_ids = {request.getfixturevalue(name).pk for name in reps}
    get(request.getfixturevalue("executive_user"), merger)  # fills the shared cache
    body = get(reader, merger).data
    assert set(body["attainment_teams"]["names"]) == teams
    assert set(body["attainment_reps"]["ids"]) == rep_ids
    client.force_login(reader)
    context = client.get("/dashboards/", {"month": "2026-05"}).context
    assert set(context["dashboard"].attainment_teams.names) == teams
    assert set(context["dashboard"].attainment_reps.ids) == rep_ids
    # No chart of teams at all rather than an empty one that says no quota was set.
    assert context["team_attainment_shown"] == bool(teams)


def test_the_wins_follow_the_filters(merger, segments, executive_user):
    """With ?direction=within the first tile said 0 won while the wins listed the
    program's cross-company wins."""
    everything = get(executive_user, merger, month="2026-06").data["wins"]
    assert everything
    assert get(executive_user, merger, month="2026-06", direction="within").data["wins"] == []
    [mining, food] = [
        get(executive_user, merger, month="2026-06", segment=segment.pk).data["wins"]
        for segment in (segments[1], segments[0])
    ]
    assert len(mining) + len(food) == len(everything)
