"""One history for every record: from, to, who, through what; it outlives the record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.history.via import history_via
from accounts.models import RecordChange
from accounts.selectors.history import changes_of, record_history
from accounts.services.history import as_text, changed_fields
from accounts.services.product_map import product_mapping_create
from tests import factories
from tracker.models import CompPlan, Opportunity, Team
from tracker.selectors.deal_history import deal_states_as_of
from tracker.services.compensation import comp_plan_create, comp_plan_delete, comp_plan_update
from tracker.services.opportunities import opportunity_create, opportunity_delete
from tracker.services.org import team_delete, team_update

API = "/api/v1"


def test_values_are_kept_as_text_like_the_deal_history():
    assert as_text(dt.date(2026, 3, 1)) == "2026-03-01"
    assert as_text(Decimal("10.50")) == "10.50"
    assert as_text(True) == "true"
    assert as_text(None) is None
    assert changed_fields({"a": "1", "b": "2"}, {"a": "1", "b": "3"}) == {"b": ["2", "3"]}
    assert changed_fields(None, {"a": "1"}) == {"a": [None, "1"]}


def test_a_change_keeps_from_to_who_and_through_what(team, ops_user, leader_user, merger):
    with history_via("page"):
        team_update(actor=ops_user, team=team, name="Nordics", region="North")
    change = RecordChange.objects.get(object_id=team.pk, content_type__model="team")
    assert change.action == RecordChange.Action.CHANGED
    assert change.changes["name"][1] == "Nordics"
    assert change.changes["region"] == ["", "North"]
    assert (change.actor, change.via, change.merger_id) == (ops_user, "page", merger.pk)
    # Saving the same values again keeps nothing.
    team_update(actor=ops_user, team=team, name="Nordics", region="North")
    assert RecordChange.objects.filter(content_type__model="team").count() == 1


def test_a_deleted_record_keeps_its_history_and_who_deleted_it(merger, ops_user):
    team = Team.objects.create(merger=merger, name="Temporary")
    team_update(actor=ops_user, team=team, name="Short-lived")
    team_id = team.pk
    team_delete(actor=ops_user, team=team)
    entries = record_history(merger_ids=[merger.pk], record_type="tracker.team", object_id=team_id)
    assert [entry.action for entry in entries] == ["deleted", "changed"]
    assert entries[0].changes["name"] == ["Short-lived", None]
    assert entries[0].actor_name == (ops_user.get_full_name() or ops_user.get_username())
    assert (
        record_history(merger_ids=[merger.pk + 1], record_type="tracker.team", object_id=team_id)
        is None
    )


def test_comp_plan_history_names_reps_and_survives_deletion(merger, ops_user, rep, other_rep):
    plan = comp_plan_create(
        actor=ops_user,
        merger=merger,
        name="FY26",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        reps=[rep],
    )
    comp_plan_update(
        actor=ops_user,
        plan=plan,
        reps=[rep, other_rep],
        spif_kind="flat",
        spif_amount=Decimal("500"),
    )
    plan_id = plan.pk
    comp_plan_delete(actor=ops_user, plan=plan)
    assert not CompPlan.objects.exists()
    rows = RecordChange.objects.filter(object_id=plan_id, content_type__model="compplan")
    created, changed, deleted = rows.order_by("id")
    assert str(rep) in created.changes["reps"][1]
    assert str(other_rep) in changed.changes["reps"][1]
    assert changed.changes["spif_amount"][1] == "500.00"
    assert deleted.changes["name"] == ["FY26", None]


@pytest.fixture
def deal(merger, rep, rep_user, acquired):
    stage = factories.stages_of(merger, "identified")["identified"]
    return opportunity_create(
        actor=rep_user,
        merger=merger,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=acquired),
        owner=rep,
        stage=stage,
        expected_close=dt.date(2026, 9, 30),
        customer_need="Unplanned downtime on the crushers",
        amount=Decimal("40000.00"),
    )


def test_a_deleted_opportunity_keeps_its_history_and_leaves_the_replay(deal, merger, ops_user):
    deal_id = deal.pk
    kept = changes_of(Opportunity, object_ids=[deal_id]).count()
    assert kept
    opportunity_delete(actor=ops_user, opportunity=deal)
    assert changes_of(Opportunity, object_ids=[deal_id]).count() == kept + 1
    # The month replay reads deals through their program: a deleted deal is not in it.
    states = deal_states_as_of(merger=merger, at=timezone.now()).states
    assert deal_id not in {state.id for state in states}
    entries = record_history(
        merger_ids=[merger.pk], record_type="tracker.opportunity", object_id=deal_id
    )
    assert entries[0].action == "deleted"
    assert entries[0].actor_name == (ops_user.get_full_name() or ops_user.get_username())
    assert entries[0].changes["amount"] == ["40000.00", None]
    assert entries[0].changes["credit"][0]
    assert any(entry.action == "created" for entry in entries[1:])


def test_an_api_write_is_kept_once_as_made_through_the_api(merger, ops_user, acquirer):
    product = factories.ProductFactory(company=acquirer, name="Sensor")
    client = APIClient()
    client.force_authenticate(ops_user)
    response = client.patch(f"{API}/products/{product.pk}/", {"name": "Sensor X"}, format="json")
    assert response.status_code == 200
    response = client.patch(f"{API}/mergers/{merger.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    product_change = RecordChange.objects.get(content_type__model="product")
    assert product_change.via == "api"
    assert product_change.changes["name"] == ["Sensor", "Sensor X"]
    # The serializer calls the program's service, which records too: still one row.
    assert RecordChange.objects.filter(content_type__model="merger").count() == 1
    segment = client.post(f"{API}/segments/", {"merger": merger.pk, "name": "Mid"}, format="json")
    assert segment.status_code == 201, segment.content
    assert RecordChange.objects.filter(
        content_type__model="segment", action="created", object_id=segment.json()["id"]
    ).exists()
    assert client.delete(f"{API}/segments/{segment.json()['id']}/").status_code == 204
    assert RecordChange.objects.filter(content_type__model="segment", action="deleted").exists()


def test_history_api_answers_one_record_or_the_activity(
    merger, ops_user, rep_user, outsider_user, team
):
    team_update(actor=ops_user, team=team, name="Renamed team")
    client = APIClient()
    client.force_authenticate(ops_user)
    one = client.get(f"{API}/history/", {"record_type": "tracker.team", "id": team.pk})
    assert one.status_code == 200
    assert one.json()["results"][0]["changes"]["name"][1] == "Renamed team"
    activity = client.get(f"{API}/history/", {"person": ops_user.pk, "since": "2020-01-01"})
    assert activity.json()["count"] == 1
    assert client.get(f"{API}/history/", {"since": "0001-01-01"}).status_code == 400
    assert client.get(f"{API}/history/", {"id": "1", "record_type": "no.such"}).status_code == 404
    client.force_authenticate(rep_user)
    assert client.get(f"{API}/history/").status_code == 403
    outsider = APIClient()
    factories.MembershipFactory(merger=factories.MergerFactory(), user=outsider_user)
    outsider_user.groups.set(ops_user.groups.all())
    outsider.force_authenticate(outsider_user)
    response = outsider.get(f"{API}/history/", {"record_type": "tracker.team", "id": team.pk})
    assert response.status_code == 404


def _mappings(merger, ops_user, acquirer, acquired, count: int) -> None:
    for number in range(count):
        product_mapping_create(
            actor=ops_user,
            merger=merger,
            source=factories.ProductFactory(company=acquirer, name=f"S{number}"),
            target=factories.ProductFactory(company=acquired, name=f"T{number}"),
            relation="complementary",
            reason="fits",
        )


def test_activity_page_filters_and_its_queries_do_not_grow(
    merger, ops_user, leader_user, acquirer, acquired
):
    client = Client()
    client.force_login(leader_user)
    url = reverse("accounts:activity")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _mappings(merger, ops_user, acquirer, acquired, 2)
    few = queries()
    _mappings(merger, ops_user, acquirer, acquired, 20)
    assert queries() == few
    page = client.get(url, {"person": ops_user.pk, "record_type": "accounts.productmapping"})
    assert page.content.decode().count("<tr>") == 1 + 22
    none = client.get(url, {"person": leader_user.pk})
    assert "No change matches these filters." in none.content.decode()


def test_the_deal_log_keeps_through_what_each_change_came(merger, rep, rep_user, acquired):
    stage = factories.stages_of(merger, "identified")["identified"]
    with history_via("page"):
        deal = opportunity_create(
            actor=rep_user,
            merger=merger,
            account=factories.UnifiedAccountFactory(merger=merger),
            product=factories.ProductFactory(company=acquired),
            owner=rep,
            stage=stage,
            expected_close=dt.date(2026, 9, 30),
            customer_need="Unplanned downtime on the crushers",
            amount=Decimal("1000.00"),
        )
    vias = set(changes_of(Opportunity, object_ids=[deal.pk]).values_list("via", flat=True))
    assert vias == {"page"}
    entries = record_history(
        merger_ids=[merger.pk], record_type="tracker.opportunity", object_id=deal.pk
    )
    assert {entry.via for entry in entries} == {"page"}


def test_a_record_page_shows_its_history_to_those_who_may_read_it(team, ops_user):
    team_update(actor=ops_user, team=team, name="Renamed on the API")
    client = Client()
    client.force_login(ops_user)
    page = client.get(reverse("tracker:team_update", args=[team.pk])).content.decode()
    assert 'id="record-history-title"' in page
    assert "Renamed on the API" in page


def test_activity_merges_the_deal_log_and_keeps_its_queries_flat(
    merger, leader_user, rep, rep_user, acquired
):
    stage = factories.stages_of(merger, "identified")["identified"]

    def deals(count: int) -> None:
        for _number in range(count):
            opportunity_create(
                actor=rep_user,
                merger=merger,
                account=factories.UnifiedAccountFactory(merger=merger),
                product=factories.ProductFactory(company=acquired),
                owner=rep,
                stage=stage,
                expected_close=dt.date(2026, 9, 30),
                customer_need="Unplanned downtime on the crushers",
                amount=Decimal("1000.00"),
            )

    client = Client()
    client.force_login(leader_user)
    url = reverse("accounts:activity")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    deals(2)
    few = queries()
    deals(12)
    assert queries() == few
    api = APIClient()
    api.force_authenticate(leader_user)
    body = api.get(
        f"{API}/history/", {"person": rep_user.pk, "record_type": "tracker.opportunity"}
    ).json()
    assert body["count"] == changes_of(Opportunity).filter(actor=rep_user).count() > 0
    first = body["results"][0]
    assert first["record_type"] == "tracker.opportunity"
    assert " for " in first["object_repr"]
    assert first["actor_name"]
