"""A rep's home: their pipeline, quota, whitespace, stale deals and what changed since."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Direction, Kind, UnifiedAccount, WhitespaceCell
from tests import factories
from tests.history import change_kept
from tracker.models import HomeVisit
from tracker.services.home import home_visit_record

HOME = reverse("tracker:rep_home")


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won", "lost")


@pytest.fixture
def product(acquired):
    return factories.ProductFactory(company=acquired, name="Vibration sensors")


@pytest.fixture
def my_account(merger, acquirer, rep_user):
    rep_user.first_name, rep_user.last_name = "Rita", "Moreau"
    rep_user.save()
    account = factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")
    factories.SourceAccountFactory(
        company=acquirer, unified=account, relationship_owner="Rita Moreau"
    )
    return account


def _cell(merger, account, product, value="30000", kind=Kind.CROSS_SELL):
    return WhitespaceCell.objects.create(
        merger=merger,
        account=account,
        product=product,
        direction=Direction.B_TO_A,
        kind=kind,
        potential_value=Decimal(value),
    )


def test_a_rep_lands_on_their_home_and_a_leader_on_the_overview(
    client, rep_user, leader_user, rep
):
    client.force_login(rep_user)
    assert client.get(reverse("accounts:home"))["Location"] == HOME
    assert client.get(reverse("accounts:home") + "?overview").status_code == 200

    client.force_login(leader_user)
    assert client.get(reverse("accounts:home")).status_code == 200


def test_the_home_shows_my_top_whitespace_with_a_log_link_and_follows_the_risk_screen(
    client, rep_user, merger, rep, my_account, product, acquirer
):
    _cell(merger, my_account, product, "30000")
    risky = factories.UnifiedAccountFactory(
        merger=merger, name="Risky Corp", recommendation=UnifiedAccount.Recommendation.DONT_SELL
    )
    factories.SourceAccountFactory(
        company=acquirer, unified=risky, relationship_owner="Rita Moreau"
    )
    _cell(merger, risky, product, "90000")
    someone_elses = factories.UnifiedAccountFactory(merger=merger, name="Not Mine Ltd")
    _cell(merger, someone_elses, product, "99000")
    client.force_login(rep_user)

    body = client.get(HOME).content.decode()

    assert "Acme Mining" in body and "Log opportunity" in body
    assert f"/pipeline/new/?account={my_account.pk}" in body
    assert "Risky Corp" not in body and "Not Mine Ltd" not in body


def test_the_home_lists_changes_by_others_since_my_last_visit_and_not_my_own(
    client, rep_user, leader_user, merger, rep, product, stages, my_account
):
    deal = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, account=my_account, stage=stages["identified"]
    )
    home_visit_record(user=rep_user, merger=merger, at=timezone.now() - dt.timedelta(hours=1))
    change_kept(
        deal,
        action="changed",
        field="next_step",
        old="Call",
        new="Demo on site",
        actor=leader_user,
        at=timezone.now(),
    )
    change_kept(
        deal,
        action="changed",
        field="amount",
        old="1",
        new="My own edit",
        actor=rep_user,
        at=timezone.now(),
    )
    client.force_login(rep_user)

    body = client.get(HOME).content.decode()

    assert "Demo on site" in body
    assert "My own edit" not in body


def test_marking_as_seen_moves_the_mark_forward_only(client, rep_user, merger, rep):
    client.force_login(rep_user)
    assert client.post(reverse("tracker:rep_home_seen")).status_code == 302
    first = HomeVisit.objects.get(user=rep_user, merger=merger).seen_at

    home_visit_record(user=rep_user, merger=merger, at=first - dt.timedelta(days=1))
    assert client.post(reverse("tracker:rep_home_seen"), {"beacon": "1"}).status_code == 204

    assert HomeVisit.objects.get(user=rep_user, merger=merger).seen_at >= first
    assert HomeVisit.objects.filter(user=rep_user).count() == 1


def test_reading_the_home_writes_nothing(client, rep_user, rep):
    client.force_login(rep_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(HOME)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert not [sql for sql in writes if "django_session" not in sql]


def test_the_home_reads_in_a_constant_number_of_queries(
    client, rep_user, leader_user, merger, rep, product, stages, my_account, acquired
):
    client.force_login(rep_user)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for n in range(6):
        account = factories.UnifiedAccountFactory(merger=merger, name=f"Account {n}")
        deal = factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            product=factories.ProductFactory(company=acquired),
            account=account,
            stage=stages["identified"],
        )
        _cell(merger, account, factories.ProductFactory(company=acquired), "5000")
        change_kept(
            deal,
            action="changed",
            field="next_step",
            new=f"step {n}",
            actor=leader_user,
            at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(HOME)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_someone_who_does_not_sell_gets_a_plain_explanation(client, executive_user, merger):
    client.force_login(executive_user)
    body = client.get(HOME).content.decode()
    assert "You do not sell in this program" in body
