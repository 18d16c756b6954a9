"""The admin: every model of the three apps is there, and its lists stay cheap."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RecordChange
from tests import factories

APPS = ("accounts", "tracker", "scorecards")
MODELS = [model for app in APPS for model in apps.get_app_config(app).get_models()]


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_opens(client, superuser, model):
    client.force_login(superuser)
    assert client.get(_changelist(model)).status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_opportunity_changelist_query_count_does_not_grow(client, superuser, merger, rep):
    from tracker.models import Opportunity

    stage = factories.StageFactory(merger=merger)
    client.force_login(superuser)
    factories.OpportunityFactory.create_batch(2, merger=merger, owner=rep, stage=stage)
    few = _queries(client, _changelist(Opportunity))
    factories.OpportunityFactory.create_batch(20, merger=merger, owner=rep, stage=stage)
    assert _queries(client, _changelist(Opportunity)) == few


def test_holding_changelist_query_count_does_not_grow(client, superuser, acquirer):
    from accounts.models import Holding

    client.force_login(superuser)
    factories.HoldingFactory.create_batch(2, account__company=acquirer, product__company=acquirer)
    few = _queries(client, _changelist(Holding))
    factories.HoldingFactory.create_batch(20, account__company=acquirer, product__company=acquirer)
    assert _queries(client, _changelist(Holding)) == few


def test_history_cannot_be_edited_in_the_admin(client, superuser, merger, rep):
    from tests.history import change_kept

    opportunity = factories.OpportunityFactory(merger=merger, owner=rep)
    change = change_kept(opportunity, field="amount", new="1", at=opportunity.created_at)
    client.force_login(superuser)
    url = reverse("admin:accounts_recordchange_change", args=[change.pk])
    response = client.post(url, {"object_repr": "edited"})
    assert response.status_code == 403
    delete = reverse("admin:accounts_recordchange_delete", args=[change.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert RecordChange.objects.filter(pk=change.pk).exists()


def test_a_stage_in_use_keeps_its_outcome_and_program(client, superuser, merger):
    used = factories.StageFactory(merger=merger, name="Proposal")
    factories.OpportunityFactory(merger=merger, stage=used)
    unused = factories.StageFactory(merger=merger, name="Qualified")
    client.force_login(superuser)

    def readonly(stage) -> tuple[str, ...]:
        url = reverse("admin:tracker_stage_change", args=[stage.pk])
        return tuple(client.get(url).context["adminform"].readonly_fields)

    assert readonly(used) == ("outcome", "merger")
    assert readonly(unused) == ()


# The admin is for superusers; every role works in the app.


@pytest.mark.parametrize("staff", [True, False])
def test_a_role_user_is_sent_to_the_app_not_to_an_empty_admin(client, ops_user, staff):
    ops_user.is_staff = staff
    ops_user.save()
    client.force_login(ops_user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:home")
    assert b"everything your role manages is here in the app" in response.content
    assert client.get(_changelist(apps.get_model("accounts", "Merger"))).status_code == 302


def test_the_admin_opens_for_a_superuser_and_the_app_links_it(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    assert reverse("admin:index").encode() in client.get(reverse("tracker:people")).content


def test_role_users_get_no_admin_link(client, ops_user, merger):
    client.force_login(ops_user)
    assert reverse("admin:index").encode() not in client.get(reverse("accounts:home")).content
