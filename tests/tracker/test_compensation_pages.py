"""Compensation: payouts per rep, plan warnings, who sees whose pay, ops' plan forms, API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Kind
from tests import factories
from tracker.models import CompPlan, CreditSplit, Stage
from tracker.selectors.compensation import payouts_for, plan_reviews, typical_cross_sell_deal
from tracker.services.compensation import comp_plan_create, comp_plan_update
from tracker.services.quotas import quota_set

MARCH = dt.date(2026, 3, 1)
YEAR = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31)}
PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]


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


def _win(merger, owner, stage, amount, **extra):
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        stage=stage,
        outcome="won",
        probability=100,
        amount=Decimal(amount),
        closed_on=dt.date(2026, 3, 10),
        **{"kind": Kind.CROSS_SELL, **extra},
    )


def _plan(merger, reps=(), **terms):
    values = {
        "name": "Sellers 2026",
        "target_variable_pay": Decimal("60000"),
        "cross_sell_share_pct": Decimal("20"),
        "spif_kind": CompPlan.Spif.FLAT,
        "spif_amount": Decimal("500"),
        **YEAR,
        **terms,
    }
    plan = CompPlan.objects.create(merger=merger, **values)
    plan.reps.set(reps)
    return plan


def _quota(ops_user, rep, cross):
    quota_set(
        actor=ops_user,
        rep=rep,
        period_start=MARCH,
        period_kind="month",
        core_amount=Decimal("0"),
        cross_sell_amount=Decimal(cross),
    )


# Payouts


def test_payout_per_rep_from_credited_cross_sell_and_quota(
    merger, ops_user, rep, other_rep, won_stage
):
    _plan(merger, [rep, other_rep], president_club_requires_cross_sell=True)
    _quota(ops_user, rep, "10000")
    _quota(ops_user, other_rep, "10000")
    deal = _win(merger, rep, won_stage, "15000")
    # An upsell to the rep's own company's Day-1 customer is business as usual: not paid.
    _win(merger, rep, won_stage, "3000", kind=Kind.UPSELL, direction="within")
    CreditSplit.objects.create(opportunity=deal, rep=rep, percent=Decimal("80"))
    CreditSplit.objects.create(opportunity=deal, rep=other_rep, percent=Decimal("20"))

    rows = {row.rep: row for row in payouts_for(merger=merger, month_from=MARCH, month_to=MARCH)}

    mine = rows[rep]
    assert mine.credited_won == Decimal("12000.00")
    assert mine.won_count == 1
    assert mine.attainment == Decimal("1.2000")
    # 60,000 x 20% / 12 = 1,000 at target; x 120% plus one SPIF of 500.
    assert mine.payout.cross_sell_variable == Decimal("1200.00")
    assert mine.payout.total == Decimal("1700.00")
    assert mine.president_club_met is True
    assert rows[other_rep].credited_won == Decimal("3000.00")
    assert rows[other_rep].president_club_met is False


def test_won_deals_counted_are_the_deals_credited(merger, ops_user, rep, won_stage):
    """A per-deal SPIF pays on the deals whose amounts are credited: cross-company ones,
    cross-sell or upsell; never a company's own products to its own customers."""
    _plan(merger, [rep])
    _quota(ops_user, rep, "10000")
    _win(merger, rep, won_stage, "4000", direction="within")
    _win(merger, rep, won_stage, "5000", kind=Kind.UPSELL, direction="b_to_a")
    _win(merger, rep, won_stage, "6000", kind=Kind.UPSELL, direction="a_to_b")
    [row] = payouts_for(merger=merger, month_from=MARCH, month_to=MARCH)
    assert (row.credited_won, row.won_count) == (Decimal("11000.00"), 2)
    assert row.payout.spif == Decimal("1000.00")


def test_a_rep_without_a_plan_has_no_payout(merger, rep):
    [row] = payouts_for(merger=merger, month_from=MARCH, month_to=MARCH)
    assert row.plan is None and row.payout is None and row.president_club_met is None


def test_a_typical_cross_sell_deal_comes_from_the_products_offered(merger, rep, acquired):
    cheap = factories.ProductFactory(company=acquired, typical_deal_size=Decimal("1000"))
    factories.ProductFactory(company=acquired, typical_deal_size=Decimal("99000"))
    assert typical_cross_sell_deal(merger=merger) == Decimal("50000.00")
    factories.OpportunityFactory(merger=merger, owner=rep, product=cheap)
    assert typical_cross_sell_deal(merger=merger) == Decimal("1000.00")


def test_plan_reviews_warn_of_a_spif_only_plan_and_a_spif_too_small(merger, acquired):
    factories.ProductFactory(company=acquired, typical_deal_size=Decimal("20000"))
    _plan(merger, name="SPIF only", cross_sell_share_pct=Decimal("0"))
    _plan(merger, name="Tiny SPIF", spif_amount=Decimal("10"))
    _plan(
        merger,
        name="Leaders",
        for_leaders=True,
        cross_sell_share_pct=Decimal("0"),
        spif_kind=CompPlan.Spif.NONE,
    )
    reviews = {review.plan.name: review for review in plan_reviews(merger=merger)}
    assert any("only by a SPIF" in w for w in reviews["SPIF only"].warnings)
    assert any("too small to move attainment" in w for w in reviews["Tiny SPIF"].warnings)
    assert reviews["Tiny SPIF"].leader_plan.name == "Leaders"
    assert any("Leaders' incentives" in w for w in reviews["Tiny SPIF"].warnings)


# Plan services


def test_ops_create_and_update_a_plan(merger, ops_user, rep):
    plan = comp_plan_create(
        actor=ops_user,
        merger=merger,
        name="H1",
        reps=[rep],
        target_variable_pay=Decimal("1000"),
        cross_sell_share_pct=Decimal("25"),
        spif_kind="percent",
        spif_percent=Decimal("2"),
        spif_amount=Decimal("700"),
        **YEAR,
    )
    assert list(plan.reps.all()) == [rep]
    assert plan.spif_amount == Decimal("0")  # a percentage SPIF keeps no flat amount
    comp_plan_update(actor=ops_user, plan=plan, cross_sell_share_pct=Decimal("30"))
    plan.refresh_from_db()
    assert plan.cross_sell_share_pct == Decimal("30") and list(plan.reps.all()) == [rep]


def test_plan_rules_are_checked(merger, ops_user, rep):
    _plan(merger, [rep])
    with pytest.raises(ValidationError) as raised:
        comp_plan_create(
            actor=ops_user,
            merger=merger,
            name="sellers 2026",
            reps=[rep],
            period_start=dt.date(2026, 6, 1),
            period_end=dt.date(2026, 5, 1),
            spif_kind="flat",
            cross_sell_share_pct=Decimal("120"),
        )
    assert set(raised.value.message_dict) >= {
        "name",
        "period_end",
        "spif_amount",
        "cross_sell_share_pct",
    }


def test_a_rep_is_on_one_plan_at_a_time(merger, ops_user, rep):
    _plan(merger, [rep])
    with pytest.raises(ValidationError, match="overlapping dates"):
        comp_plan_create(actor=ops_user, merger=merger, name="Other", reps=[rep], **YEAR)


@pytest.mark.parametrize("persona", ["leader_user", "executive_user", "rep_user"])
def test_only_ops_maintain_plans(request, merger, persona):
    with pytest.raises(PermissionDenied):
        comp_plan_create(actor=request.getfixturevalue(persona), merger=merger, name="X", **YEAR)


# The page


def test_compensation_page_role_matrix(client, request, merger):
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("tracker:compensation")).status_code == 200
    client.logout()
    assert client.get(reverse("tracker:compensation")).status_code == 302


@pytest.fixture
def paid_program(merger, ops_user, rep, other_rep, won_stage, acquired):
    factories.ProductFactory(company=acquired, typical_deal_size=Decimal("20000"))
    _plan(merger, [rep, other_rep], cross_sell_share_pct=Decimal("0"))
    _quota(ops_user, rep, "10000")
    _win(merger, rep, won_stage, "12000")
    _win(merger, other_rep, won_stage, "4000")


def _rows(client, persona_user):
    client.force_login(persona_user)
    response = client.get(reverse("tracker:compensation"), {"period": "2026-03"})
    assert response.status_code == 200
    return response, {row.rep for row in response.context["rows"]}


def test_a_rep_sees_only_their_own_payout_and_no_plans(
    client, paid_program, rep_user, rep, other_rep
):
    response, reps = _rows(client, rep_user)
    assert reps == {rep}
    body = response.content.decode()
    assert str(other_rep) not in body
    assert "only by a SPIF" not in body


def test_a_leader_sees_their_teams_payouts_and_the_plan_warnings(
    client, paid_program, leader_user, rep
):
    response, reps = _rows(client, leader_user)
    assert reps == {rep}
    body = response.content.decode()
    assert "only by a SPIF" in body
    # A SPIF-only plan: one won cross-sell deal earns one SPIF of 500.
    assert response.context["rows"][0].payout.total == Decimal("500.00")
    assert "New comp plan" not in body


def test_executives_and_ops_see_everyones_payout(
    client, paid_program, executive_user, ops_user, rep, other_rep
):
    for user in (executive_user, ops_user):
        _response, reps = _rows(client, user)
        assert reps == {rep, other_rep}


def test_the_page_shows_president_club_status(client, merger, ops_user, rep, won_stage):
    _plan(merger, [rep], president_club_requires_cross_sell=True)
    _quota(ops_user, rep, "10000")
    _win(merger, rep, won_stage, "4000")
    client.force_login(ops_user)
    body = client.get(reverse("tracker:compensation"), {"period": "2026-03"}).content.decode()
    assert "Cross-sell quota not met" in body


@pytest.mark.parametrize(
    ("today", "badge"),
    [(dt.date(2026, 3, 20), "Not met yet"), (dt.date(2026, 4, 1), "Cross-sell quota not met")],
)
def test_a_running_period_has_missed_no_quota_yet(
    client, monkeypatch, merger, ops_user, rep, won_stage, today, badge
):
    _plan(merger, [rep], president_club_requires_cross_sell=True)
    _quota(ops_user, rep, "10000")
    _win(merger, rep, won_stage, "4000")
    client.force_login(ops_user)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: today)
    body = client.get(reverse("tracker:compensation"), {"period": "2026-03"}).content.decode()
    assert badge in body


def test_compensation_page_query_count_does_not_grow(client, merger, ops_user, won_stage, team):
    plan = _plan(merger)

    def add_rep() -> None:
        seller = factories.RepFactory(merger=merger, team=team)
        plan.reps.add(seller)
        _quota(ops_user, seller, "1000")
        _win(merger, seller, won_stage, "500")

    add_rep()
    client.force_login(ops_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("tracker:compensation"), {"period": "2026-03"})
        return len(captured)

    before = count()
    for _index in range(6):
        add_rep()
    assert count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("rep_user", 403), ("leader_user", 403), ("executive_user", 403), ("ops_user", 200)],
)
def test_only_ops_open_the_plan_forms(client, request, merger, persona, status):
    plan = _plan(merger)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("tracker:comp_plan_create")).status_code == status
    assert client.get(reverse("tracker:comp_plan_edit", args=[plan.pk])).status_code == status


def test_ops_create_a_plan_on_the_page_and_see_errors(client, merger, ops_user, rep):
    client.force_login(ops_user)
    url = reverse("tracker:comp_plan_create")
    data = {
        "name": "Pilot",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "target_variable_pay": "24000",
        "cross_sell_share_pct": "25",
        "spif_kind": "flat",
        "spif_amount": "0",
        "spif_percent": "0",
        "recognition": "",
        "reps": [rep.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "A flat SPIF needs an amount" in refused.content.decode()
    assert client.post(url, {**data, "spif_amount": "400"}).status_code == 302
    plan = CompPlan.objects.get(name="Pilot")
    assert list(plan.reps.all()) == [rep]

    edit = reverse("tracker:comp_plan_edit", args=[plan.pk])
    assert client.post(edit, {**data, "spif_amount": "800"}).status_code == 302
    plan.refresh_from_db()
    assert plan.spif_amount == Decimal("800")


def test_an_outsider_cannot_reach_a_plan(client, merger):
    plan = _plan(merger)
    ops_elsewhere = factories.UserFactory(username="ops2", role="sales_ops")
    factories.MembershipFactory(merger=factories.MergerFactory(), user=ops_elsewhere)
    client.force_login(ops_elsewhere)
    assert client.get(reverse("tracker:comp_plan_edit", args=[plan.pk])).status_code == 404


# The API


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        (None, 401, 401),
        ("rep_user", 403, 403),
        ("leader_user", 200, 403),
        ("executive_user", 200, 403),
        ("ops_user", 200, 201),
    ],
)
def test_comp_plan_endpoint_role_matrix(request, merger, persona, read, write):
    user = request.getfixturevalue(persona) if persona else None
    assert _api(user).get("/api/v1/comp-plans/").status_code == read
    body = {"merger": merger.pk, "name": "API plan", **{k: str(v) for k, v in YEAR.items()}}
    assert _api(user).post("/api/v1/comp-plans/", body, format="json").status_code == write


def test_comp_plan_endpoint_shows_warnings_and_hides_other_programs(
    merger, executive_user, ops_user, outsider_user
):
    plan = _plan(merger, cross_sell_share_pct=Decimal("0"))
    data = _api(executive_user).get("/api/v1/comp-plans/").json()
    [shown] = data["results"]
    assert shown["id"] == plan.pk
    assert any("only by a SPIF" in warning for warning in shown["warnings"])
    update = _api(ops_user).patch(
        f"/api/v1/comp-plans/{plan.pk}/", {"cross_sell_share_pct": "15"}, format="json"
    )
    assert update.status_code == 200 and update.json()["warnings"] == []


def test_payouts_endpoint_narrows_to_what_the_user_may_see(
    paid_program, merger, rep_user, executive_user, outsider_user, rep, other_rep
):
    url = f"/api/v1/payouts/?merger={merger.pk}&period=2026-03"
    mine = _api(rep_user).get(url).json()["rows"]
    assert [row["rep"] for row in mine] == [rep.pk]
    everyone = _api(executive_user).get(url).json()["rows"]
    assert {row["rep"] for row in everyone} == {rep.pk, other_rep.pk}
    assert _api(outsider_user).get(url).status_code == 404
    assert _api().get(url).status_code == 401
    bad = _api(rep_user).get(f"/api/v1/payouts/?merger={merger.pk}&period=March")
    assert bad.status_code == 400
