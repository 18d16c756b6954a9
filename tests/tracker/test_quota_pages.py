"""Quota pages: the board, a leader's grid with conflicts per row, history, import page."""

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Kind, UserPreference
from tests import factories
from tests.history import field_lines
from tracker.models import Quota, Stage
from tracker.services.quotas import quota_set

PERIOD = "2026-03"
MARCH = dt.date(2026, 3, 1)
PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]


def _set(actor, rep, cross="20000", core="100000", **kwargs):
    return quota_set(
        actor=actor,
        rep=rep,
        period_start=kwargs.pop("period_start", MARCH),
        period_kind=kwargs.pop("period_kind", "month"),
        core_amount=Decimal(core),
        cross_sell_amount=Decimal(cross),
        **kwargs,
    )


def _board(client, **params):
    return client.get(reverse("tracker:quotas"), {"period": PERIOD, **params})


def _grid_post(response, changes: dict[int, dict[str, str]]) -> dict[str, str]:
    """The grid form as the page rendered it, with some rows' amounts changed."""
    formset = response.context["formset"]
    data = {"period": PERIOD}
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = str(value)
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name)
            data[form.add_prefix(name)] = "" if value is None else str(value)
            if field.show_hidden_initial:
                data[form.add_initial_prefix(name)] = "" if value is None else str(value)
        data.update(
            {form.add_prefix(k): v for k, v in changes.get(form.initial["rep"], {}).items()}
        )
    return data


# Who sees what


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_of_the_program_reads_the_quota_board(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert _board(client).status_code == 200


def _board_reps(response) -> set[str]:
    return {
        str(line.rep) for team_line in response.context["board"].teams for line in team_line.reps
    } | {str(line.rep) for line in response.context["board"].unassigned}


def test_a_leader_sees_their_own_teams_with_totals_for_them(client, leader_user, rep, other_rep):
    _set(leader_user, rep, cross="20000")
    factories.QuotaFactory(rep=other_rep, period_start=MARCH, cross_sell_amount=Decimal("7000"))
    client.force_login(leader_user)

    response = _board(client)

    assert _board_reps(response) == {str(rep)}
    assert response.context["board"].total.cross_sell_quota == Decimal("20000")
    assert "Show the whole program" not in response.content.decode()


def test_a_leader_cannot_open_other_teams_quotas(client, leader_user, rep, other_rep):
    client.force_login(leader_user)

    response = _board(client, teams="all")

    assert _board_reps(response) == {str(rep)}


def test_a_rep_sees_only_their_own_quota_unless_the_program_shares_the_teams(
    client, rep_user, merger, rep, other_rep, team
):
    teammate = factories.RepFactory(merger=merger, team=team, company=rep.company)
    factories.QuotaFactory(rep=teammate, period_start=MARCH, cross_sell_amount=Decimal("9000"))
    factories.QuotaFactory(rep=rep, period_start=MARCH, cross_sell_amount=Decimal("4000"))
    client.force_login(rep_user)

    alone = _board(client)
    merger.reps_see_team_attainment = True
    merger.save()
    shared = _board(client)

    assert _board_reps(alone) == {str(rep)}
    assert alone.context["board"].total.cross_sell_quota == Decimal("4000")
    assert "Showing your own quota" in alone.content.decode()
    assert _board_reps(shared) == {str(rep), str(teammate)}
    assert str(other_rep) not in _board_reps(shared)


def test_people_who_lead_no_team_always_see_the_whole_program(
    client, ops_user, executive_user, rep, other_rep
):
    for user in (ops_user, executive_user):
        client.force_login(user)
        response = _board(client)
        assert _board_reps(response) == {str(rep), str(other_rep)}
        assert "Show only my teams" not in response.content.decode()


def test_anonymous_visitors_go_to_login_and_outsiders_see_nothing_of_the_program(
    client, outsider_user, rep, leader_user
):
    assert _board(client).status_code == 302
    _set(leader_user, rep)
    client.force_login(outsider_user)
    response = _board(client)
    assert response.status_code == 200
    assert str(rep) not in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("rep_user", 403), ("executive_user", 403)])
def test_reps_and_executives_cannot_post_the_grid(client, request, persona, status, rep):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("tracker:quotas"), {"period": PERIOD})
    assert response.status_code == status


def test_a_leader_gets_a_grid_of_their_teams_reps_without_themselves(
    client, merger, leader_user, team, rep, other_rep, acquirer
):
    own = factories.RepFactory(merger=merger, user=leader_user, team=team, company=acquirer)
    client.force_login(leader_user)
    response = _board(client)
    assert [line.rep for line, _form in response.context["grid"]] == [rep]
    body = response.content.decode()
    assert str(own) in body  # on the board, read-only
    assert "Save quotas" in body


def test_ops_edit_everyones_quota_and_executives_only_read(
    client, ops_user, executive_user, rep, other_rep
):
    client.force_login(ops_user)
    assert {line.rep for line, _f in _board(client).context["grid"]} == {rep, other_rep}
    client.force_login(executive_user)
    response = _board(client)
    assert response.context["grid"] == []
    assert "Save quotas" not in response.content.decode()


# The grid


def test_a_leader_sets_quotas_in_the_grid_with_history(client, leader_user, rep):
    client.force_login(leader_user)
    page = _board(client)
    data = _grid_post(page, {rep.pk: {"core_amount": "90000", "cross_sell_amount": "15000"}})
    response = client.post(reverse("tracker:quotas"), data)
    assert response.status_code == 302
    quota = Quota.objects.get(rep=rep)
    assert (quota.core_amount, quota.cross_sell_amount) == (Decimal("90000"), Decimal("15000"))
    assert quota.period_start == MARCH
    assert len(field_lines(quota, created=True, actor=leader_user)) == 3


def test_a_tampered_row_for_another_teams_rep_is_not_saved(client, leader_user, rep, other_rep):
    client.force_login(leader_user)
    data = _grid_post(_board(client), {rep.pk: {"cross_sell_amount": "1"}})
    data["quota-0-rep"] = str(other_rep.pk)
    client.post(reverse("tracker:quotas"), data)
    assert not Quota.objects.filter(rep=other_rep).exists()


def test_a_concurrent_change_is_reported_on_its_row_and_nothing_is_saved(
    client, merger, leader_user, ops_user, team, rep, acquirer
):
    second = factories.RepFactory(merger=merger, team=team, company=acquirer)
    quota = _set(leader_user, rep)
    client.force_login(leader_user)
    page = _board(client)
    # Someone else saves the same quota after the leader opened the page.
    _set(ops_user, rep, cross="33000", expected_version=quota.version)
    data = _grid_post(
        page,
        {
            rep.pk: {"cross_sell_amount": "25000"},
            second.pk: {"core_amount": "1000", "cross_sell_amount": "100"},
        },
    )
    response = client.post(reverse("tracker:quotas"), data)

    assert response.status_code == 200
    assert "Someone else changed the quota" in response.content.decode()
    assert not Quota.objects.filter(rep=second).exists()
    assert Quota.objects.get(rep=rep).cross_sell_amount == Decimal("33000")
    forms = {form["rep"].value(): form for _line, form in response.context["grid"]}
    conflicting = forms[str(rep.pk)]
    assert conflicting.errors
    assert conflicting["version"].value() == "2"

    # Saving again knowingly replaces the other change.
    resubmit = {k: v for k, v in response.wsgi_request.POST.items()}
    resubmit[f"{conflicting.prefix}-version"] = "2"
    resubmit[f"initial-{conflicting.prefix}-cross_sell_amount"] = "33000.00"
    resubmit[f"initial-{conflicting.prefix}-core_amount"] = "100000.00"
    assert client.post(reverse("tracker:quotas"), resubmit).status_code == 302
    assert Quota.objects.get(rep=rep).cross_sell_amount == Decimal("25000")
    assert Quota.objects.filter(rep=second).exists()


def test_an_untouched_row_changed_by_someone_else_is_left_alone(
    client, leader_user, ops_user, rep
):
    quota = _set(leader_user, rep)
    client.force_login(leader_user)
    page = _board(client)
    _set(ops_user, rep, cross="33000", expected_version=quota.version)
    response = client.post(reverse("tracker:quotas"), _grid_post(page, {}))
    assert response.status_code == 302
    assert Quota.objects.get(rep=rep).cross_sell_amount == Decimal("33000")


def test_a_negative_amount_is_shown_on_its_row(client, leader_user, rep):
    client.force_login(leader_user)
    data = _grid_post(_board(client), {rep.pk: {"cross_sell_amount": "-5"}})
    response = client.post(reverse("tracker:quotas"), data)
    assert response.status_code == 200
    assert not Quota.objects.exists()


# The board


@pytest.fixture
def won_stage(merger):
    return factories.StageFactory(
        merger=merger,
        name="Won",
        order=9,
        probability=100,
        outcome=Stage.Outcome.WON,
        forecast_category=Stage.Forecast.CLOSED,
    )


def test_the_board_shows_rolled_up_quota_attainment_and_coverage(
    client, merger, executive_user, ops_user, team, rep, won_stage, acquirer, monkeypatch
):
    # Coverage is for the rest of the period: the board is read during March.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2026, 3, 10))
    region = factories.TeamFactory(merger=merger, name="Region")
    team.parent = region
    team.save()
    _set(ops_user, rep, cross="20000")
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won_stage,
        outcome="won",
        probability=100,
        amount=Decimal("5000"),
        closed_on=dt.date(2026, 3, 5),
        kind=Kind.CROSS_SELL,
    )
    factories.OpportunityFactory(
        merger=merger, owner=rep, amount=Decimal("30000"), expected_close=dt.date(2026, 3, 20)
    )
    client.force_login(executive_user)
    response = _board(client)
    board = response.context["board"]
    region_line = board.teams[0]
    assert region_line.team == region
    assert region_line.figures.cross_sell_quota == Decimal("20000.00")
    assert region_line.figures.attainment_pct == Decimal("25.0")
    assert region_line.figures.coverage == Decimal("2.0000")
    body = response.content.decode()
    assert "25.0%" in body
    assert "<meter" in body


def test_a_quarter_view_picks_quarterly_quotas_for_the_grid(client, ops_user, rep):
    _set(ops_user, rep, period_kind="quarter", period_start=dt.date(2026, 1, 1))
    client.force_login(ops_user)
    response = client.get(reverse("tracker:quotas"), {"period": "2026-Q1"})
    lines = {line.rep: line for line, _form in response.context["grid"]}
    assert lines[rep].quota is not None
    month = client.get(reverse("tracker:quotas"), {"period": "2026-02"})
    assert rep not in {line.rep for line, _form in month.context["grid"]}
    assert "Quota set for 2026-Q1" in month.content.decode()


def test_a_quarter_view_says_a_rep_with_monthly_quotas_has_them_set_by_month(
    client, ops_user, rep
):
    # Each month of the quarter has its own quota: naming only one of them (the last
    # found) would tell the reader the quarter's quota was set for that month alone.
    for month in (1, 2, 3):
        _set(ops_user, rep, period_start=dt.date(2026, month, 1))
    client.force_login(ops_user)
    body = client.get(reverse("tracker:quotas"), {"period": "2026-Q1"}).content.decode()
    assert "Quota set by month" in body
    assert "Quota set for 2026-0" not in body


def test_a_quarter_without_a_grid_says_where_its_monthly_quotas_are_set(client, ops_user, rep):
    # Every rep's quota is set month by month: the quarter's board has no grid to
    # edit, and without a word the reader cannot tell why the form is missing.
    for month in (1, 2, 3):
        _set(ops_user, rep, period_start=dt.date(2026, month, 1))
    client.force_login(ops_user)
    response = client.get(reverse("tracker:quotas"), {"period": "2026-Q1"})
    assert not response.context["grid"]
    body = response.content.decode()
    assert "set month by month: change them on the board of each month" in body
    assert 'href="?period=2026-01"' in body
    month = client.get(reverse("tracker:quotas"), {"period": "2026-01"}).content.decode()
    assert "set month by month" not in month


def test_a_month_without_a_grid_says_its_quota_is_set_for_the_quarter(client, ops_user, rep):
    _set(ops_user, rep, period_kind="quarter", period_start=dt.date(2026, 1, 1))
    client.force_login(ops_user)
    response = client.get(reverse("tracker:quotas"), {"period": "2026-02"})
    assert not response.context["grid"]
    body = response.content.decode()
    assert "set for its quarter: change them on the quarter's board" in body
    assert 'href="?period=2026-Q1"' in body


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _board(client).status_code == 200
    return len(captured)


def test_the_quota_board_query_count_does_not_grow_with_data(
    client, merger, leader_user, ops_user, team, rep, acquirer, won_stage
):
    def add_rep(index: int) -> None:
        sub = factories.TeamFactory(merger=merger, name=f"Sub {index}", parent=team)
        seller = factories.RepFactory(merger=merger, team=sub, company=acquirer)
        _set(ops_user, seller)
        factories.OpportunityFactory(merger=merger, owner=seller)
        factories.OpportunityFactory(
            merger=merger,
            owner=seller,
            stage=won_stage,
            outcome="won",
            probability=100,
            closed_on=dt.date(2026, 3, 2),
        )

    _set(ops_user, rep)
    add_rep(0)
    client.force_login(leader_user)
    before = _queries(client)
    for index in range(1, 9):
        add_rep(index)
    assert _queries(client) == before


# History


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_a_quotas_history(client, request, persona, leader_user, rep):
    quota = _set(leader_user, rep)
    _set(leader_user, rep, cross="21000", expected_version=1)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("tracker:quota_history", args=[quota.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "20,000" in body and "21,000" in body
    assert leader_user.get_full_name() in body


def test_a_quotas_history_is_not_found_for_an_outsider(client, outsider_user, leader_user, rep):
    quota = _set(leader_user, rep)
    client.force_login(outsider_user)
    assert client.get(reverse("tracker:quota_history", args=[quota.pk])).status_code == 404


# Import page and template


@pytest.mark.parametrize(
    ("persona", "status"),
    [("rep_user", 403), ("leader_user", 403), ("executive_user", 403), ("ops_user", 200)],
)
def test_only_ops_open_the_import_page_and_template(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("tracker:quota_import")).status_code == status
    assert client.get(reverse("tracker:quota_template")).status_code == status


def test_the_template_lists_each_active_rep_for_next_month(client, ops_user, rep, other_rep):
    client.force_login(ops_user)
    response = client.get(reverse("tracker:quota_template"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "rep,period,core,cross_sell"
    assert {line.split(",")[0] for line in lines[1:]} == {"rep", "other_rep"}


# Markup


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.headings = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "h1":
            self.headings += 1
        if tag == "script" and not (
            attributes.get("src") or attributes.get("type") == "application/json"
        ):
            self.inline_scripts += 1


def test_the_quota_credit_and_compensation_pages_are_clean_html(
    client, merger, ops_user, leader_user, rep, won_stage
):
    quota = _set(leader_user, rep)
    deal = factories.OpportunityFactory(merger=merger, owner=rep)
    client.force_login(ops_user)
    urls = [
        f"{reverse('tracker:quotas')}?period={PERIOD}",
        reverse("tracker:quota_history", args=[quota.pk]),
        reverse("tracker:quota_import"),
        reverse("tracker:opportunity_credits", args=[deal.pk]),
        reverse("tracker:compensation"),
        reverse("tracker:comp_plan_create"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        markup = _Markup()
        markup.feed(response.content.decode())
        assert markup.inline_scripts == 0, url
        assert markup.headings == 1, url
        assert len(markup.ids) == len(set(markup.ids)), url


def test_compensation_is_in_the_navigation_for_every_role(client, request):
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        body = _board(client).content.decode()
        assert f'href="{reverse("tracker:compensation")}"' in body


@pytest.mark.parametrize("period", ["0000-01", "9999-12", "9998-12"])
def test_a_period_at_the_edge_of_the_calendar_is_answered_not_crashed(
    client, leader_user, rep, period
):
    client.force_login(leader_user)

    assert client.get(reverse("tracker:quotas"), {"period": period}).status_code == 200


def test_the_period_list_and_a_quotas_history_name_the_month_in_the_readers_language(
    client, leader_user, rep
):
    quota = _set(leader_user, rep)
    UserPreference.objects.update_or_create(user=leader_user, defaults={"language": "ru"})
    client.force_login(leader_user)

    board = _board(client).content.decode()
    history = client.get(reverse("tracker:quota_history", args=[quota.pk])).content.decode()

    assert ">Март 2026</option>" in board
    assert "March 2026" not in board
    assert "Март 2026" in history
    assert "2026-03</h1>" not in history
