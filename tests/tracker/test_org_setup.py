"""Teams and their hierarchy, reps, certifications and stages: services, pages and API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.signals import program_data_changed
from tests import factories
from tracker.models import Certification, Rep, Stage, Team
from tracker.selectors.org import team_tree
from tracker.services.org import (
    certification_set,
    creates_cycle,
    rep_create,
    rep_update,
    team_create,
    team_delete,
    team_update,
)
from tracker.services.stages import (
    USUAL_STAGES,
    stage_create,
    stage_delete,
    stage_update,
    stages_create_usual,
)


def test_creates_cycle_walks_up_the_parents():
    parent_of = {1: None, 2: 1, 3: 2}
    assert creates_cycle(parent_of, 1, 3)
    assert creates_cycle(parent_of, 2, 2)
    assert not creates_cycle(parent_of, 3, 1)
    assert not creates_cycle({1: 2, 2: 1}, 3, 1)  # a cycle elsewhere is walked once


def test_teams_form_a_hierarchy_without_cycles(ops_user, merger, leader_user):
    europe = team_create(actor=ops_user, merger=merger, name="Europe", leader=leader_user)
    dach = team_create(actor=ops_user, merger=merger, name="DACH", parent=europe)
    munich = team_create(actor=ops_user, merger=merger, name="Munich", parent=dach)
    with pytest.raises(ValidationError) as error:
        team_update(actor=ops_user, team=europe, parent=munich)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        team_create(actor=ops_user, merger=merger, name="europe")
    assert "name" in error.value.message_dict
    lines = [(line.team.name, line.depth) for line in team_tree(merger=merger)]
    assert lines == [("Europe", 0), ("DACH", 1), ("Munich", 2)]


def test_a_team_leader_must_be_a_member(ops_user, merger, outsider_user):
    with pytest.raises(ValidationError) as error:
        team_create(actor=ops_user, merger=merger, name="East", leader=outsider_user)
    assert "leader" in error.value.message_dict


def test_a_team_with_reps_or_teams_below_stays(ops_user, merger, team, rep):
    with pytest.raises(ValidationError):
        team_delete(actor=ops_user, team=team)
    empty = team_create(actor=ops_user, merger=merger, name="Empty")
    team_delete(actor=ops_user, team=empty)
    assert not Team.objects.filter(pk=empty.pk).exists()


def test_reps_are_members_once_per_program(ops_user, merger, acquirer, rep, rep_user):
    fields = {"company": acquirer, "start_date": dt.date(2026, 1, 5)}
    with pytest.raises(ValidationError) as error:
        rep_create(actor=ops_user, merger=merger, user=rep_user, **fields)
    assert "user" in error.value.message_dict
    stranger = factories.UserFactory(username="stranger")
    with pytest.raises(ValidationError) as error:
        rep_create(actor=ops_user, merger=merger, user=stranger, **fields)
    assert "user" in error.value.message_dict
    factories.MembershipFactory(merger=merger, user=stranger)
    created = rep_create(
        actor=ops_user,
        merger=merger,
        user=stranger,
        motion=Rep.Motion.HUNTER,
        typical_core_deal=Decimal("80000"),
        **fields,
    )
    assert (created.motion, created.typical_core_deal) == ("hunter", Decimal("80000"))
    with pytest.raises(ValidationError):
        rep_update(actor=ops_user, rep=created, user=rep_user)


def test_rep_and_team_changes_tell_the_scorecards(
    ops_user, merger, rep, django_capture_on_commit_callbacks
):
    heard = []

    def listen(sender, merger_id, **kwargs):
        heard.append((sender, merger_id))

    program_data_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rep_update(actor=ops_user, rep=rep, motion=Rep.Motion.SPECIALIST)
    finally:
        program_data_changed.disconnect(listen)
    assert (Rep, merger.pk) in heard


def test_a_certification_is_of_a_product_of_the_program(ops_user, rep, acquirer):
    product = factories.ProductFactory(company=acquirer)
    elsewhere = factories.ProductFactory(company=factories.CompanyFactory())
    certification_set(actor=ops_user, rep=rep, product=product, certified_on=dt.date(2026, 3, 1))
    certification_set(actor=ops_user, rep=rep, product=product, certified_on=dt.date(2026, 4, 1))
    assert Certification.objects.get(rep=rep).certified_on == dt.date(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        certification_set(
            actor=ops_user, rep=rep, product=elsewhere, certified_on=dt.date(2026, 3, 1)
        )
    assert "product" in error.value.message_dict


# Stages


def test_the_usual_stages_win_and_lose(ops_user, merger):
    stages = stages_create_usual(actor=ops_user, merger=merger)
    assert [s.name for s in stages] == [str(name) for name, *_rest in USUAL_STAGES]
    outcomes = {s.outcome: s.probability for s in stages if s.outcome != "open"}
    assert outcomes == {"won": 100, "lost": 0}
    with pytest.raises(ValidationError):
        stages_create_usual(actor=ops_user, merger=merger)


def test_stage_rules(ops_user, merger, rep):
    fields = {"order": 1, "probability": 20, "forecast_category": "pipeline"}
    proposal = stage_create(actor=ops_user, merger=merger, name="Proposal", **fields)
    with pytest.raises(ValidationError) as error:
        stage_create(actor=ops_user, merger=merger, name="Other", **fields)
    assert "order" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        stage_create(
            actor=ops_user,
            merger=merger,
            name="Won",
            order=9,
            probability=90,
            forecast_category="closed",
            outcome="won",
        )
    assert "probability" in error.value.message_dict

    factories.OpportunityFactory(merger=merger, stage=proposal, owner=rep)
    stage_update(actor=ops_user, stage=proposal, probability=30)
    with pytest.raises(ValidationError) as error:
        stage_update(actor=ops_user, stage=proposal, outcome="lost", probability=0)
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError):
        stage_delete(actor=ops_user, stage=proposal)
    assert Stage.objects.get(pk=proposal.pk).probability == 30


# Pages


def test_ops_builds_the_organisation_on_the_pages(client, ops_user, merger, acquirer, leader_user):
    client.force_login(ops_user)
    response = client.post(
        reverse("tracker:team_create"),
        {"name": "Europe", "leader": leader_user.pk, "parent": "", "region": "EMEA"},
    )
    assert response.status_code == 302
    europe = Team.objects.get(name="Europe")
    client.post(
        reverse("tracker:team_create"),
        {"name": "DACH", "leader": "", "parent": europe.pk, "region": ""},
    )
    response = client.post(
        reverse("tracker:team_update", args=[europe.pk]),
        {"name": "Europe", "leader": "", "parent": Team.objects.get(name="DACH").pk, "region": ""},
    )
    assert response.status_code == 400
    assert b"cannot sit below itself" in response.content

    response = client.post(
        reverse("tracker:rep_create"),
        {
            "user": leader_user.pk,
            "team": europe.pk,
            "company": acquirer.pk,
            "motion": "farmer",
            "start_date": "2026-01-05",
            "typical_core_deal": "50000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("tracker:teams")).content.decode()
    assert "Reports to Europe" in page
    assert client.get(reverse("tracker:reps")).status_code == 200


def test_stages_start_from_the_usual_ones(client, ops_user, merger):
    client.force_login(ops_user)
    assert b"Add the usual stages" in client.get(reverse("tracker:stages")).content
    client.post(reverse("tracker:stages"))
    assert Stage.objects.filter(merger=merger).count() == len(USUAL_STAGES)
    stage = Stage.objects.get(merger=merger, name="Proposal")
    response = client.post(
        reverse("tracker:stage_update", args=[stage.pk]),
        {
            "name": "Proposal sent",
            "order": stage.order,
            "probability": 40,
            "forecast_category": "best_case",
            "outcome": "open",
        },
    )
    assert response.status_code == 302
    assert Stage.objects.get(pk=stage.pk).name == "Proposal sent"


def test_a_stage_in_use_shows_its_outcome_locked(client, ops_user, merger, rep):
    stage = factories.StageFactory(merger=merger, name="Proposal")
    factories.OpportunityFactory(merger=merger, stage=stage, owner=rep)
    client.force_login(ops_user)
    form = client.get(reverse("tracker:stage_update", args=[stage.pk])).context["form"]
    assert form.fields["outcome"].disabled


def test_certifications_page(client, ops_user, rep, acquirer):
    product = factories.ProductFactory(company=acquirer, name="Vibration sensors")
    client.force_login(ops_user)
    response = client.post(
        reverse("tracker:certifications"),
        {"rep": rep.pk, "product": product.pk, "certified_on": "2026-03-01"},
        follow=True,
    )
    assert "Vibration sensors" in response.content.decode()
    certification = Certification.objects.get()
    client.post(reverse("tracker:certification_delete", args=[certification.pk]))
    assert not Certification.objects.exists()


def test_readers_see_the_organisation_but_cannot_change_it(client, rep_user, team, rep):
    client.force_login(rep_user)
    page = client.get(reverse("tracker:teams")).content.decode()
    assert "Central" in page
    assert reverse("tracker:team_create") not in page
    assert client.get(reverse("tracker:team_create")).status_code == 403


# API


@pytest.fixture
def api(ops_user):
    client = APIClient()
    client.force_authenticate(ops_user)
    return client


def test_api_builds_teams_reps_stages_and_certifications(api, merger, acquirer, leader_user):
    team = api.post(
        "/api/v1/teams/", {"merger": merger.pk, "name": "Europe", "leader": leader_user.pk}
    )
    assert team.status_code == 201, team.json()
    rep = api.post(
        "/api/v1/reps/",
        {
            "merger": merger.pk,
            "user": leader_user.pk,
            "team": team.json()["id"],
            "company": acquirer.pk,
            "start_date": "2026-01-05",
        },
    )
    assert rep.status_code == 201, rep.json()
    stage = api.post(
        "/api/v1/stages/",
        {
            "merger": merger.pk,
            "name": "Won",
            "order": 5,
            "probability": 90,
            "forecast_category": "closed",
            "outcome": "won",
        },
    )
    assert stage.status_code == 400
    assert "probability" in stage.json()
    product = factories.ProductFactory(company=acquirer)
    certification = api.post(
        "/api/v1/certifications/",
        {"rep": rep.json()["id"], "product": product.pk, "certified_on": "2026-02-01"},
    )
    assert certification.status_code == 201
    assert certification.json()["merger"] == merger.pk


def test_api_refuses_deleting_what_is_in_use(api, team, rep, merger):
    assert api.delete(f"/api/v1/teams/{team.pk}/").status_code == 409
    stage = factories.StageFactory(merger=merger)
    factories.OpportunityFactory(merger=merger, stage=stage, owner=rep)
    assert api.delete(f"/api/v1/stages/{stage.pk}/").status_code == 409
    assert api.delete(f"/api/v1/reps/{rep.pk}/").status_code == 405


def test_api_keeps_teams_in_their_program(api, merger, outsider_user):
    other = factories.TeamFactory(merger=outsider_user.memberships.get().merger)
    response = api.post("/api/v1/teams/", {"merger": merger.pk, "name": "X", "parent": other.pk})
    assert response.status_code == 400
    assert api.get(f"/api/v1/teams/{other.pk}/").status_code == 404
