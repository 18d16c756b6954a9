"""Tracker pages: the pipeline list and the quotas section."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.access import RULES, Action, Role
from tests import factories

ROLE_FIXTURES = {
    Role.REP: "rep_user",
    Role.LEADER: "leader_user",
    Role.EXECUTIVE: "executive_user",
    Role.OPS: "ops_user",
}
PAGES = {"tracker:pipeline": "opportunity", "tracker:quotas": "quota"}


@pytest.fixture
def won_stage(merger):
    return factories.StageFactory(
        merger=merger,
        name="Won",
        order=90,
        probability=100,
        outcome="won",
        forecast_category="closed",
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", list(PAGES))
def test_each_role_gets_the_tracker_pages_its_rules_allow(client, request, role, url_name):
    client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
    expected = 200 if role in RULES[(PAGES[url_name], Action.VIEW)] else 403
    assert client.get(reverse(url_name)).status_code == expected


@pytest.mark.parametrize("url_name", list(PAGES))
def test_anonymous_visitor_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", list(PAGES))
def test_member_without_a_role_is_refused(client, merger, url_name):
    user = factories.UserFactory(username="no_role")
    factories.MembershipFactory(merger=merger, user=user)
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == 403


def test_pipeline_lists_the_programs_opportunities(client, executive_user, merger, rep):
    opportunity = factories.OpportunityFactory(merger=merger, owner=rep, amount=Decimal("1234.50"))
    client.force_login(executive_user)
    response = client.get(reverse("tracker:pipeline"))
    assert list(response.context["page_obj"]) == [opportunity]
    body = response.content.decode()
    assert opportunity.account.name in body
    assert opportunity.stage.name in body
    assert "1,234.50" in body
    assert response.context["figures"].open_count == 1


def test_outsider_sees_none_of_this_programs_opportunities(client, outsider_user, merger, rep):
    opportunity = factories.OpportunityFactory(merger=merger, owner=rep)
    client.force_login(outsider_user)
    response = client.get(reverse("tracker:pipeline"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert opportunity.account.name not in response.content.decode()
    assert response.context["figures"].open_count == 0


def test_pipeline_filters_by_stage_and_owner(
    client, executive_user, merger, rep, other_rep, won_stage
):
    open_one = factories.OpportunityFactory(merger=merger, owner=rep)
    won = factories.OpportunityFactory(
        merger=merger,
        owner=other_rep,
        stage=won_stage,
        probability=100,
        outcome="won",
        closed_on="2026-03-01",
    )
    client.force_login(executive_user)
    url = reverse("tracker:pipeline")
    assert list(client.get(url, {"stage": won_stage.pk}).context["page_obj"]) == [won]
    assert list(client.get(url, {"owner": rep.pk}).context["page_obj"]) == [open_one]
    both = client.get(url, {"owner": other_rep.pk, "stage": open_one.stage_id})
    assert list(both.context["page_obj"]) == []


def test_pipeline_filter_refuses_a_stage_of_another_program(client, rep_user, merger, rep):
    factories.OpportunityFactory(merger=merger, owner=rep)
    foreign = factories.StageFactory(name="Elsewhere")
    client.force_login(rep_user)
    response = client.get(reverse("tracker:pipeline"), {"stage": foreign.pk})
    assert "stage" in response.context["filter"].form.errors


def test_pipeline_sorts_by_amount(client, rep_user, merger, rep):
    small = factories.OpportunityFactory(merger=merger, owner=rep, amount=Decimal("10"))
    big = factories.OpportunityFactory(merger=merger, owner=rep, amount=Decimal("90"))
    client.force_login(rep_user)
    response = client.get(reverse("tracker:pipeline"), {"sort": "-amount"})
    assert list(response.context["page_obj"]) == [big, small]


def test_pipeline_pages_by_fifty(client, rep_user, merger, rep):
    stage = factories.StageFactory(merger=merger)
    factories.OpportunityFactory.create_batch(51, merger=merger, owner=rep, stage=stage)
    client.force_login(rep_user)
    url = reverse("tracker:pipeline")
    assert len(client.get(url).context["page_obj"].object_list) == 50
    assert len(client.get(url, {"page": 2}).context["page_obj"].object_list) == 1


def test_empty_pipeline_says_what_is_missing(client, rep_user):
    client.force_login(rep_user)
    assert "No opportunities yet." in client.get(reverse("tracker:pipeline")).content.decode()


def _pipeline_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("tracker:pipeline")).status_code == 200
    return len(captured)


def test_pipeline_query_count_does_not_grow_with_opportunities(client, rep_user, merger, rep):
    stage = factories.StageFactory(merger=merger)
    client.force_login(rep_user)
    factories.OpportunityFactory.create_batch(3, merger=merger, owner=rep, stage=stage)
    at_three = _pipeline_queries(client)
    factories.OpportunityFactory.create_batch(30, merger=merger, owner=rep, stage=stage)
    assert _pipeline_queries(client) == at_three


def test_opportunity_names_are_shown_escaped(client, rep_user, merger, rep):
    hostile = "<img src=x onerror=alert(1)>"
    account = factories.UnifiedAccountFactory(merger=merger, name=hostile)
    factories.OpportunityFactory(merger=merger, owner=rep, account=account)
    client.force_login(rep_user)
    body = client.get(reverse("tracker:pipeline")).content.decode()
    assert hostile not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
