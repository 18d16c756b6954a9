"""Dashboard pages: the program's, a team's and a rep's; charts, drill-down, banners, access."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from scorecards.services.scores import program_data_changed_record
from tests import factories
from tests.scorecards.dashboard_program import PAST_MONTH, dashboard_program, freeze_today
from tracker.models import Opportunity, Stage
from tracker.services.snapshots import snapshot_freeze

PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]
MONTH_PARAM = f"{PAST_MONTH:%Y-%m}"
CHARTS = [
    "chart-impact",
    "chart-funnel",
    "chart-segment-direction",
    "chart-attainment-teams",
    "chart-attainment-reps",
    "chart-six-c",
    "chart-radar",
    "chart-whitespace",
    "chart-overlap",
]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch)


@pytest.fixture
def segments(merger, rep):
    return dashboard_program(merger, rep, ["Food & beverage", "Mining"])


def dashboard_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"month": MONTH_PARAM, **params}.items())
    return f"{reverse('scorecards:dashboard')}?{query}"


def chart_json(body: str, chart_id: str) -> dict:
    match = re.search(
        rf'<script type="application/json" data-chart="{chart_id}">(.*?)</script>', body, re.S
    )
    assert match, f"no chart {chart_id}"
    return json.loads(match.group(1))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_the_program_dashboard(client, request, segments, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(dashboard_url())
    assert response.status_code == 200
    assert "Program dashboard" in response.text


def test_anonymous_visitor_is_sent_to_login(client, segments, team, rep):
    for url in (
        dashboard_url(),
        reverse("scorecards:team_dashboard", args=[team.pk]),
        reverse("scorecards:rep_dashboard", args=[rep.pk]),
        reverse("scorecards:my_dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_every_chart_is_there_with_its_data_table_and_png_download(
    client, executive_user, segments
):
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    for chart_id in CHARTS:
        figure = chart_json(body, chart_id)
        assert figure["data"], chart_id
        assert figure["config"]["displayModeBar"] is True
        assert figure["config"]["toImageButtonOptions"]["filename"].endswith("-2026-05")
        assert "template" not in figure["layout"]
    assert body.count("View data") == len(CHARTS)
    filename = chart_json(body, "chart-funnel")["config"]["toImageButtonOptions"]["filename"]
    assert filename == "open-pipeline-by-stage-2026-05"


def test_tiles_show_value_and_change_since_last_month_in_words(client, executive_user, segments):
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    assert "Realized synergy against target to date" in body
    assert "Open pipeline" in body
    assert "Open cross-sell pipeline" not in body
    assert re.search(r"(Up|Down) [\d.,]+ points since last month|Unchanged since last month", body)


def test_each_chart_drills_down_to_the_list_behind_it(client, executive_user, segments, team, rep):
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    open_deal = Opportunity.objects.filter(outcome=Stage.Outcome.OPEN).first()
    won = Opportunity.objects.filter(outcome=Stage.Outcome.WON).first()
    stage_url = f"{reverse('tracker:pipeline')}?stage={open_deal.stage_id}"
    segment_url = (
        f"{reverse('tracker:pipeline')}?segment={open_deal.segment_id}&direction=a_to_b"
        "&outcome=open"
    )
    team_url = reverse("scorecards:team_dashboard", args=[team.pk])
    rep_url = reverse("scorecards:rep_dashboard", args=[rep.pk])
    c_url = reverse("scorecards:segment_c", args=[segments[0].pk, "complementarity"])
    whitespace_url = f"{reverse('accounts:whitespace')}?segment={segments[0].pk}"
    win_url = reverse("tracker:opportunity_detail", args=[won.pk])
    for url in (stage_url, segment_url, team_url, rep_url, c_url, whitespace_url, win_url):
        assert f'href="{url.replace("&", "&amp;")}' in body, url
    # The same targets ride along in the figures, for clicks on the chart itself.
    assert stage_url in chart_json(body, "chart-funnel")["config"]["drilldown"]
    bars = chart_json(body, "chart-segment-direction")["data"]
    assert segment_url in bars[0]["meta"]["drilldown"]
    assert team_url in chart_json(body, "chart-attainment-teams")["config"]["drilldown"]
    assert rep_url in chart_json(body, "chart-attainment-reps")["config"]["drilldown"]
    heat = chart_json(body, "chart-six-c")["config"]["drilldown"]
    assert heat[0][0] == f"{c_url}?month=2026-05"
    assert whitespace_url in chart_json(body, "chart-whitespace")["config"]["drilldown"][0]


def test_open_pipeline_by_segment_lists_the_open_deals_it_counts(client, executive_user, segments):
    """Each segment has a won deal beside its open one, in the same direction: the list
    behind a bar or a row of open pipeline holds the open deal only."""
    client.force_login(executive_user)
    body = client.get(reverse("scorecards:dashboard")).text
    assert "Live: current month." in body

    def listed(url: str) -> Decimal:
        deals = client.get(url.replace("&amp;", "&")).context["filter"].qs
        return sum((deal.amount for deal in deals), Decimal(0))

    checked = 0
    for bar in chart_json(body, "chart-segment-direction")["data"]:
        for url, amount in zip(bar["meta"]["drilldown"], bar["x"], strict=True):
            assert listed(url) == Decimal(str(amount)), url
            checked += 1
    for segment in segments:
        name = re.escape(escape(segment.name))
        row = re.search(rf'<a href="(/pipeline/\?[^"]+)">{name}</a>', body)
        assert listed(row.group(1)) == Decimal("4000"), segment.name
    assert checked == len(segments)


def test_a_segment_the_filter_leaves_out_links_to_no_list(client, executive_user, segments):
    """Filtered to one segment, the others' rows count nothing: their lists are not empty."""
    client.force_login(executive_user)
    chosen, other = segments
    body = client.get(f"{reverse('scorecards:dashboard')}?segment={chosen.pk}").text
    [bar] = chart_json(body, "chart-segment-direction")["data"]
    assert bar["x"] == [4000, 0]
    assert bar["meta"]["drilldown"] == [
        f"{reverse('tracker:pipeline')}?segment={chosen.pk}&direction=a_to_b&outcome=open",
        None,
    ]
    assert f"{reverse('tracker:pipeline')}?segment={other.pk}" not in body


def test_drill_down_keeps_the_dashboards_filters(client, executive_user, segments):
    client.force_login(executive_user)
    body = client.get(dashboard_url(segment=segments[0].pk, direction="a_to_b")).text
    drilldown = chart_json(body, "chart-funnel")["config"]["drilldown"]
    assert all(
        f"segment={segments[0].pk}" in url and "direction=a_to_b" in url for url in drilldown
    )
    assert f'<option value="{segments[0].pk}" selected>' in body


def test_rep_is_not_shown_other_teams_nor_offered_drill_down_into_them(
    client, rep_user, other_rep, segments
):
    # Attainment within the rep's reach only, as on the quota page: no team chart at all.
    client.force_login(rep_user)
    body = client.get(dashboard_url()).text
    assert 'id="chart-attainment-teams"' not in body
    assert reverse("scorecards:team_dashboard", args=[other_rep.team_id]) not in body


def test_rep_cannot_filter_the_program_dashboard_by_another_team(
    client, rep_user, other_rep, segments
):
    client.force_login(rep_user)
    response = client.get(dashboard_url(team=other_rep.team_id))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_current_month_is_live(client, executive_user, segments):
    client.force_login(executive_user)
    body = client.get(reverse("scorecards:dashboard")).text
    assert "Live: current month." in body


def test_frozen_month_shows_its_snapshot(client, executive_user, merger, segments):
    snapshot_freeze(merger_id=merger.pk, month=PAST_MONTH)
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    assert "Frozen snapshot of May 2026, frozen at" in body


def test_past_month_without_snapshot_says_it_is_computed_from_current_data(
    client, executive_user, segments
):
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    assert "Not frozen yet: computed from current data." in body


def test_empty_program_explains_what_is_missing_instead_of_empty_charts(
    client, executive_user, merger
):
    client.force_login(executive_user)
    response = client.get(reverse("scorecards:dashboard"))
    assert response.status_code == 200
    body = response.text
    assert "What this dashboard still needs" in body
    assert "No accounts yet" in body
    assert "No synergy targets yet" in body
    assert 'data-chart="' not in body


def test_chart_without_data_shows_an_empty_state(client, executive_user, merger, acquirer):
    segment = factories.SegmentFactory(merger=merger, name="Mining")
    factories.UnifiedAccountFactory(merger=merger, segment=segment)
    client.force_login(executive_user)
    body = client.get(reverse("scorecards:dashboard")).text
    assert "No open cross-sell pipeline for these filters." in body
    assert "No cross-sell candidates yet." in body
    assert 'data-chart="chart-funnel"' not in body
    assert 'data-chart="chart-six-c"' in body  # the segment was scored on first view


@pytest.mark.parametrize(
    ("persona", "own_team", "expected"),
    [
        ("leader_user", True, 200),
        ("leader_user", False, 403),
        # A rep's team figures are the program's choice (see the test below).
        ("rep_user", True, 403),
        ("rep_user", False, 403),
        ("executive_user", False, 200),
        ("ops_user", False, 200),
    ],
)
def test_team_dashboard_opens_to_its_people_and_those_above(
    client, request, segments, team, other_rep, persona, own_team, expected
):
    client.force_login(request.getfixturevalue(persona))
    team_id = team.pk if own_team else other_rep.team_id
    response = client.get(reverse("scorecards:team_dashboard", args=[team_id]))
    assert response.status_code == expected
    if expected == 200:
        assert "Team dashboard:" in response.text


def test_a_rep_sees_their_teams_dashboard_where_the_program_shares_it(
    client, rep_user, merger, team, other_rep, segments
):
    merger.reps_see_team_attainment = True
    merger.save()
    client.force_login(rep_user)

    assert client.get(reverse("scorecards:team_dashboard", args=[team.pk])).status_code == 200
    other_team = reverse("scorecards:team_dashboard", args=[other_rep.team_id])
    assert client.get(other_team).status_code == 403


def test_leader_sees_the_teams_below_their_own(client, leader_user, merger, team, segments):
    below = factories.TeamFactory(merger=merger, name="Central South", parent=team)
    client.force_login(leader_user)
    assert client.get(reverse("scorecards:team_dashboard", args=[below.pk])).status_code == 200


def test_team_of_another_program_is_not_found(client, outsider_user, team):
    client.force_login(outsider_user)
    assert client.get(reverse("scorecards:team_dashboard", args=[team.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "whose", "expected"),
    [
        ("rep_user", "rep", 200),
        ("rep_user", "other_rep", 403),
        ("leader_user", "rep", 200),
        ("leader_user", "other_rep", 403),
        ("executive_user", "other_rep", 200),
        ("ops_user", "rep", 200),
    ],
)
def test_rep_dashboard_opens_to_the_rep_their_leaders_and_executives(
    client, request, segments, other_rep, persona, whose, expected
):
    client.force_login(request.getfixturevalue(persona))
    rep = request.getfixturevalue(whose)
    response = client.get(reverse("scorecards:rep_dashboard", args=[rep.pk]))
    assert response.status_code == expected


def test_team_dashboard_is_the_teams_figures(client, leader_user, team, rep, other_rep, segments):
    factories.OpportunityFactory(merger=rep.merger, owner=other_rep, amount=Decimal("777000"))
    client.force_login(leader_user)
    body = client.get(reverse("scorecards:team_dashboard", args=[team.pk])).text
    reps = chart_json(body, "chart-attainment-reps")
    assert str(rep) in reps["data"][0]["customdata"]
    assert str(other_rep) not in reps["data"][0]["customdata"]
    assert "777,000" not in body


def test_my_dashboard_is_the_reps_own(client, rep_user, rep, segments):
    client.force_login(rep_user)
    response = client.get(reverse("scorecards:my_dashboard"))
    assert response.status_code == 200
    body = response.text
    assert "My dashboard" in body
    assert f"owner={rep.pk}" in chart_json(body, "chart-funnel")["config"]["drilldown"][0]
    assert 'data-chart="chart-attainment-teams"' not in body


def test_my_dashboard_explains_itself_to_someone_who_does_not_sell(
    client, executive_user, segments
):
    client.force_login(executive_user)
    response = client.get(reverse("scorecards:my_dashboard"))
    assert response.status_code == 200
    assert "You do not sell in this program" in response.text


def test_dashboard_filters_are_a_get_form_so_the_url_can_be_shared(
    client, executive_user, segments
):
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    form = re.search(r'<form class="filters" method="get"[^>]*>(.*?)</form>', body, re.S).group(1)
    for name in ("month", "segment", "team", "direction", "company", "radar"):
        assert f'name="{name}"' in form


def test_radar_follows_the_radar_parameter(client, executive_user, segments):
    client.force_login(executive_user)
    body = client.get(dashboard_url(radar=segments[1].pk)).text
    radar = chart_json(body, "chart-radar")
    assert radar["data"][-1]["name"] == "Mining"


def test_program_dashboard_query_count_does_not_grow_with_data(
    client, executive_user, merger, rep, other_rep, segments
):
    client.force_login(executive_user)
    # The data changed since the scores were stored: both pages score the six Cs on the fly.
    program_data_changed_record(merger_id=merger.pk)
    client.get(dashboard_url())
    with CaptureQueriesContext(connection) as small:
        client.get(dashboard_url())
    for index in range(6):
        owner = factories.RepFactory(merger=merger, team=other_rep.team, company=rep.company)
        factories.OpportunityFactory(merger=merger, owner=owner, segment=segments[index % 2])
        factories.QuotaFactory(rep=owner, period_start=PAST_MONTH)
    factories.SegmentFactory(merger=merger, name="Utilities")
    client.get(dashboard_url())
    with CaptureQueriesContext(connection) as large:
        client.get(dashboard_url())
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_print_styles_lay_charts_one_per_row_and_open_the_explanations():
    with open(finders.find("css/scorecards.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    print_rules = css.split("@media print")[1]
    assert ".chart-grid {\n    grid-template-columns: 1fr;" in print_rules
    assert "break-inside: avoid" in print_rules
    assert "::details-content" in print_rules


def test_rich_dashboard_is_valid_accessible_html(client, leader_user, segments, team):
    client.force_login(leader_user)
    for url in (dashboard_url(), reverse("scorecards:team_dashboard", args=[team.pk])):
        body = client.get(url).text
        ids = re.findall(r'\sid="([^"]+)"', body)
        assert len(ids) == len(set(ids)), url
        assert body.count("<h1") == 1
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", body)


def test_charts_script_follows_drill_downs_and_keeps_figures_off_the_cloud():
    with open(finders.find("js/charts.js"), encoding="utf-8") as script:
        source = script.read()
    assert '"plotly_click"' in source
    assert "config.drilldown" in source and "meta.drilldown" in source
    assert '"sendChartToCloud"' in source


def test_team_and_rep_dashboards_do_not_hold_a_slice_against_the_program_target(
    client, leader_user, team, segments
):
    client.force_login(leader_user)
    program = client.get(dashboard_url()).text
    assert "Target" in [trace["name"] for trace in chart_json(program, "chart-impact")["data"]]
    assert "Realized synergy against target to date" in program

    body = client.get(reverse("scorecards:team_dashboard", args=[team.pk])).text
    names = [trace["name"] for trace in chart_json(body, "chart-impact")["data"]]
    assert "Target" not in names
    assert "Cross-sell won to date" in body
    assert "Realized synergy against target to date" not in body


def test_a_large_sales_org_charts_its_best_and_worst_reps_and_lists_them_all(
    client, executive_user, merger, team, segments
):
    reps = []
    for n in range(45):
        rep = factories.RepFactory(merger=merger, team=team)
        factories.QuotaFactory(rep=rep, period_start=PAST_MONTH, cross_sell_amount=Decimal("1000"))
        _won_credit(merger, rep, amount=Decimal(10 * (n + 1)))
        reps.append(rep)
    client.force_login(executive_user)

    body = client.get(dashboard_url()).text

    charted = chart_json(body, "chart-attainment-reps")["data"][0]["customdata"]
    assert len(charted) == 40
    # 45 reps from 1% to 45%, plus the program's own rep: the middle six are left out.
    assert str(reps[44]) in charted and str(reps[0]) in charted
    assert not any(str(rep) in charted for rep in reps[20:24])
    assert "the 20 highest and 20 lowest of 46" in body
    assert all(str(rep) in body for rep in reps)  # View data lists every one


def _won_credit(merger, rep, *, amount: Decimal) -> None:
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        kind="cross_sell",
        stage=factories.stages_of(merger, "won")["won"],
        outcome="won",
        amount=amount,
        closed_on=PAST_MONTH.replace(day=15),
    )


def test_the_six_c_heat_map_shows_a_c_without_data_as_grey_not_scored(
    client, executive_user, segments
):
    # No CRM accounts with relationship data: Connection is not scored anywhere.
    client.force_login(executive_user)
    body = client.get(dashboard_url()).text
    not_scored, scores = chart_json(body, "chart-six-c")["data"]
    assert [row[1] for row in not_scored["text"]] == ["not scored", "not scored"]
    assert [row[1] for row in scores["z"]] == [None, None]
    assert "import CRM accounts with their relationship data" in not_scored["customdata"][0][1]
    assert all(value is not None for value in scores["z"][0][2:])
    radar = chart_json(body, "chart-radar")
    assert "Connection<br>(not scored)" in radar["data"][-1]["theta"]
