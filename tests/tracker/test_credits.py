"""Revenue crediting: splits that sum to 100%, overlay credit, history, who may, the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Kind
from tests import factories
from tests.history import field_lines
from tracker.models import CreditSplit, Stage
from tracker.selectors.metrics import credited_won, realized_synergy
from tracker.services.credits import credit_splits_set

CLOSED = dt.date(2026, 3, 10)
ROLE_FIXTURES = ["rep_user", "leader_user", "executive_user", "ops_user", "outsider_user"]


@pytest.fixture
def won(merger, rep):
    stage = factories.StageFactory(
        merger=merger,
        name="Won",
        order=9,
        probability=100,
        outcome=Stage.Outcome.WON,
        forecast_category=Stage.Forecast.CLOSED,
    )
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("10000"),
        closed_on=CLOSED,
        kind=Kind.CROSS_SELL,
    )


@pytest.fixture
def specialist(merger, team, acquired):
    return factories.RepFactory(merger=merger, team=team, company=acquired)


def _credits(merger):
    return credited_won(merger=merger, closed_from=dt.date(2026, 3, 1), closed_to=CLOSED)


def test_without_splits_the_owner_gets_all_the_credit(merger, won, rep):
    assert _credits(merger) == {rep.pk: Decimal("10000.00")}


def test_splits_share_the_credit_and_are_recorded_in_history(
    merger, won, rep, specialist, leader_user
):
    credit_splits_set(
        actor=leader_user,
        opportunity=won,
        splits=[(rep, "60", "owner"), (specialist, Decimal("40"), "specialist")],
        overlays=[],
    )
    assert _credits(merger) == {rep.pk: Decimal("6000.00"), specialist.pk: Decimal("4000.00")}
    [change] = field_lines(won, field="credit")
    assert change.old_value == "owner 100%"
    assert "60% (owner)" in change.new_value and "40% (specialist)" in change.new_value
    assert change.changed_by == leader_user


def test_overlay_credit_is_extra_and_realized_synergy_counts_the_deal_once(
    merger, won, rep, specialist, ops_user
):
    credit_splits_set(
        actor=ops_user, opportunity=won, splits=[], overlays=[(specialist, "50", "overlay")]
    )
    assert _credits(merger) == {rep.pk: Decimal("10000.00"), specialist.pk: Decimal("5000.00")}
    synergy = realized_synergy(merger=merger, closed_from=None, closed_to=CLOSED)
    assert synergy == Decimal("10000.00")


@pytest.mark.parametrize(
    ("percents", "message"),
    [
        (("60", "30"), "add up to 90"),
        (("60", "50"), "add up to 110"),
        (("0", "100"), "more than 0%"),
        (("100.5", "-0.5"), "at most 100%"),
        (("33.333", "66.667"), "two decimals"),
        (("abc", "100"), "enter a percentage"),
    ],
)
def test_splits_must_sum_to_exactly_100(won, rep, specialist, ops_user, percents, message):
    with pytest.raises(ValidationError, match=message):
        credit_splits_set(
            actor=ops_user,
            opportunity=won,
            splits=[(rep, percents[0], ""), (specialist, percents[1], "")],
        )
    assert not CreditSplit.objects.exists()


def test_a_rep_of_another_program_cannot_be_credited(won, ops_user):
    stranger = factories.RepFactory()
    with pytest.raises(ValidationError, match="not a rep of this program"):
        credit_splits_set(actor=ops_user, opportunity=won, splits=[(stranger, "100", "")])


def test_a_rep_listed_twice_is_refused(won, rep, ops_user):
    with pytest.raises(ValidationError, match="twice"):
        credit_splits_set(
            actor=ops_user, opportunity=won, splits=[(rep, "50", ""), (rep, "50", "")]
        )


def test_saving_replaces_all_earlier_credit(won, rep, specialist, ops_user):
    credit_splits_set(actor=ops_user, opportunity=won, splits=[(specialist, "100", "")])
    credit_splits_set(actor=ops_user, opportunity=won, splits=[], overlays=[(rep, "10", "")])
    assert list(CreditSplit.objects.values_list("rep", "kind")) == [(rep.pk, "overlay")]


def test_who_may_change_credit(won, rep, rep_user, executive_user, leader_user, other_rep, merger):
    for actor in (rep_user, executive_user):
        with pytest.raises(PermissionDenied):
            credit_splits_set(actor=actor, opportunity=won, splits=[])
    # A leader credits their team's deals, not another team's and not their own.
    elsewhere = factories.OpportunityFactory(merger=merger, owner=other_rep)
    with pytest.raises(PermissionDenied):
        credit_splits_set(actor=leader_user, opportunity=elsewhere, splits=[])
    own_rep = factories.RepFactory(merger=merger, user=leader_user, team=rep.team)
    own_deal = factories.OpportunityFactory(merger=merger, owner=own_rep)
    with pytest.raises(PermissionDenied):
        credit_splits_set(actor=leader_user, opportunity=own_deal, splits=[])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_refuses_splits_that_do_not_sum_to_100(won, rep, specialist):
    with pytest.raises(IntegrityError, match="not 100"), transaction.atomic():
        CreditSplit.objects.create(opportunity=won, rep=rep, percent=Decimal("60"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_checks_the_sum_at_commit_so_splits_can_be_replaced(won, rep, specialist):
    with transaction.atomic():
        CreditSplit.objects.create(opportunity=won, rep=rep, percent=Decimal("60"))
        CreditSplit.objects.create(opportunity=won, rep=specialist, percent=Decimal("40"))
        CreditSplit.objects.create(
            opportunity=won, rep=rep, percent=Decimal("5"), kind=CreditSplit.Kind.OVERLAY
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert CreditSplit.objects.count() == 3


# The page


def _form(splits=(), overlays=()):
    data = {}
    for prefix, lines in (("split", splits), ("overlay", overlays)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(lines) + 1)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, (rep, percent, note) in enumerate(lines):
            data[f"{prefix}-{index}-rep"] = str(rep.pk)
            data[f"{prefix}-{index}-percent"] = percent
            data[f"{prefix}-{index}-role_note"] = note
    return data


@pytest.mark.parametrize("persona", [*ROLE_FIXTURES, None])
def test_credit_page_role_matrix(client, request, won, persona):
    """Everyone of the program reads a deal's credit; leaders and ops change it."""
    read, write = {
        "rep_user": (200, 403),
        "leader_user": (200, 200),
        "executive_user": (200, 403),
        "ops_user": (200, 200),
        "outsider_user": (404, 404),
        None: (302, 302),
    }[persona]
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("tracker:opportunity_credits", args=[won.pk])
    assert client.get(url).status_code == read
    # A permitted save of no lines credits the owner and returns to the page.
    assert client.post(url, _form()).status_code == (302 if write == 200 else write)


def test_credit_page_saves_splits_and_shows_errors(client, ops_user, won, rep, specialist):
    client.force_login(ops_user)
    url = reverse("tracker:opportunity_credits", args=[won.pk])
    page = client.get(url).content.decode()
    assert "credit_splits.js" in page
    assert "data-credit-sum" in page

    bad = client.post(url, _form(splits=[(rep, "70", ""), (specialist, "20", "")]))
    assert bad.status_code == 200
    assert "add up to 90" in bad.content.decode()
    assert not CreditSplit.objects.exists()

    good = client.post(
        url,
        _form(splits=[(rep, "70", ""), (specialist, "30", "")], overlays=[(specialist, "10", "")]),
    )
    assert good.status_code == 302
    assert CreditSplit.objects.count() == 3


def test_who_cannot_change_the_credit_reads_it_with_no_form(
    client, rep_user, ops_user, won, rep, specialist
):
    """Inputs that cannot be saved looked like a form that lost its button."""
    url = reverse("tracker:opportunity_credits", args=[won.pk])
    client.force_login(rep_user)
    page = client.get(url).content.decode()
    assert '<form method="post" class="stack credit-form"' not in page
    assert "<input" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert f"{won.owner}, the owner, is credited with 100%." in page
    assert "No overlay credit." in page
    credit_splits_set(
        actor=ops_user,
        opportunity=won,
        splits=[(rep, Decimal("70"), "Owner"), (specialist, Decimal("30"), "Specialist")],
        overlays=[],
    )
    page = client.get(url).content.decode()
    assert "Specialist" in page and "30" in page
    assert "the owner, is credited with 100%" not in page


def test_credit_page_offers_only_reps_of_the_program(client, ops_user, won, rep):
    stranger = factories.RepFactory()
    client.force_login(ops_user)
    url = reverse("tracker:opportunity_credits", args=[won.pk])
    response = client.post(url, _form(splits=[(stranger, "100", "")]))
    assert response.status_code == 200
    assert not CreditSplit.objects.exists()


# The API


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_api_reads_and_replaces_credit(won, rep, specialist, leader_user, rep_user):
    url = f"/api/v1/opportunities/{won.pk}/credits/"
    body = {
        "splits": [
            {"rep": rep.pk, "percent": "50.00", "role_note": "owner"},
            {"rep": specialist.pk, "percent": "50.00", "role_note": "specialist"},
        ],
        "overlays": [],
    }
    assert _api(rep_user).put(url, body, format="json").status_code == 403
    response = _api(leader_user).put(url, body, format="json")
    assert response.status_code == 200, response.content
    read = _api(rep_user).get(url).json()
    assert read["owner_credited_in_full"] is False
    assert {line["rep"] for line in read["splits"]} == {rep.pk, specialist.pk}


def test_api_refuses_splits_not_summing_to_100(won, rep, ops_user):
    url = f"/api/v1/opportunities/{won.pk}/credits/"
    body = {"splits": [{"rep": rep.pk, "percent": "99"}], "overlays": []}
    response = _api(ops_user).put(url, body, format="json")
    assert response.status_code == 400
    assert "splits" in response.json()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(None, 401), ("outsider_user", 404), ("executive_user", 200), ("rep_user", 200)],
)
def test_api_credit_reads_by_role(request, won, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert _api(user).get(f"/api/v1/opportunities/{won.pk}/credits/").status_code == expected
