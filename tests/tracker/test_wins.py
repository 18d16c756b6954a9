"""The celebrate page and the wins feed endpoint: recent won cross-sell deals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Kind
from tests import factories
from tracker.models import Stage
from tracker.pipeline_math import add_months

URL = "/pipeline/wins/"
API = "/api/v1/wins/"


@pytest.fixture
def won_stage(merger):
    return factories.StageFactory(
        merger=merger,
        name="Closed won",
        order=8,
        probability=100,
        outcome=Stage.Outcome.WON,
        forecast_category=Stage.Forecast.CLOSED,
    )


@pytest.fixture
def today():
    return timezone.localdate()


def win(merger, owner, stage, *, on, amount="12000.00", kind=Kind.CROSS_SELL, **fields):
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        product=factories.ProductFactory(
            company=owner.company, name=fields.pop("name", "Sensors")
        ),
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=on,
        amount=Decimal(amount),
        kind=kind,
        **fields,
    )


@pytest.mark.parametrize("persona", ["rep_user", "leader_user", "executive_user", "ops_user"])
def test_everyone_in_the_program_may_celebrate(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 200


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_month_shows_won_cross_sells_with_rep_team_account_product_amount_and_need(
    client, rep_user, merger, rep, won_stage, today
):
    account = factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")
    deal = win(
        merger,
        rep,
        won_stage,
        on=today,
        account=account,
        name="Vibration sensors",
        customer_need="Crusher bearings fail without warning",
    )
    # A company's upsell to its own Day-1 customer is business as usual, not a win here.
    win(merger, rep, won_stage, on=today, kind=Kind.UPSELL, direction="within")
    win(merger, rep, won_stage, on=add_months(today.replace(day=1), -1))
    client.force_login(rep_user)
    response = client.get(URL)
    [shown] = response.context["wins"]
    assert shown.opportunity_id == deal.pk
    assert (shown.rep, shown.team, shown.account, shown.product) == (
        str(rep),
        "Central",
        "Acme Mining",
        "Vibration sensors",
    )
    totals = response.context["totals"]
    assert (totals.won_count, totals.won_amount) == (1, Decimal("12000.00"))
    body = response.content.decode()
    assert "Crusher bearings fail without warning" in body
    assert f'href="/pipeline/{deal.pk}/"' in body


def test_an_earlier_month_is_one_link_away(client, rep_user, merger, rep, won_stage, today):
    last_month = add_months(today.replace(day=1), -1)
    earlier = win(merger, rep, won_stage, on=last_month)
    client.force_login(rep_user)
    page = client.get(URL)
    assert f"?month={last_month:%Y-%m}" in page.content.decode()
    shown = client.get(URL, {"month": f"{last_month:%Y-%m}"}).context["wins"]
    assert [w.opportunity_id for w in shown] == [earlier.pk]


def test_a_month_in_the_future_or_nonsense_shows_this_month(client, rep_user, today):
    client.force_login(rep_user)
    for month in ("2999-01", "soon"):
        assert client.get(URL, {"month": month}).context["month"] == today.replace(day=1)


def test_no_wins_says_so(client, rep_user):
    client.force_login(rep_user)
    assert "No cross-sell win this month yet." in client.get(URL).content.decode()


def test_another_programs_member_sees_none_of_these_wins(
    client, outsider_user, merger, rep, won_stage, today
):
    win(merger, rep, won_stage, on=today)
    client.force_login(outsider_user)
    assert client.get(URL).context["wins"] == []


def _queries(user) -> int:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_wins(
    rep_user, merger, rep, other_rep, won_stage, today
):
    for owner in (rep, other_rep) * 3:
        win(merger, owner, won_stage, on=today)
    few = _queries(rep_user)
    for owner in (rep, other_rep) * 22:
        win(merger, owner, won_stage, on=today)
    assert _queries(rep_user) == few


# The endpoint.


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_api_lists_recent_wins_newest_first(executive_user, merger, rep, won_stage):
    older = win(merger, rep, won_stage, on=dt.date(2026, 2, 1))
    newer = win(merger, rep, won_stage, on=dt.date(2026, 3, 1), amount="5000.00")
    response = api(executive_user).get(API, {"merger": merger.pk})
    assert response.status_code == 200
    rows = response.json()
    assert [row["opportunity"] for row in rows] == [newer.pk, older.pk]
    assert (rows[0]["amount"], rows[0]["team"], rows[0]["rep"]) == ("5000.00", "Central", str(rep))
    assert rows[0]["customer_need"]


def test_the_api_limits_and_filters_by_close_date(rep_user, merger, rep, won_stage):
    win(merger, rep, won_stage, on=dt.date(2026, 2, 1))
    march = win(merger, rep, won_stage, on=dt.date(2026, 3, 1))
    client = api(rep_user)
    since = client.get(API, {"merger": merger.pk, "closed_from": "2026-02-15"}).json()
    assert [row["opportunity"] for row in since] == [march.pk]
    assert len(client.get(API, {"merger": merger.pk, "limit": 1}).json()) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [({"closed_from": "March"}, "closed_from"), ({"limit": "0"}, "limit"), ({}, "merger")],
)
def test_the_api_explains_bad_parameters(rep_user, merger, params, field):
    query = {"merger": merger.pk, **params} if field != "merger" else params
    response = api(rep_user).get(API, query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_answers_404_for_another_program_and_401_anonymous(outsider_user, merger):
    assert api(outsider_user).get(API, {"merger": merger.pk}).status_code == 404
    assert api().get(API, {"merger": merger.pk}).status_code == 401
