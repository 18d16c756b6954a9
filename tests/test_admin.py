"""The admin: every model of the three apps is there, and its lists stay cheap."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RecordChange, Region, RiskPolicy, SizeBand
from tests import factories
from tracker.models import Certification, Team

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
    assert readonly(unused) == ("merger",)


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


def test_admin_pages_carry_the_app_icon(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon"' in page and "img/favicon" in page
    assert "Cross-sell tracker administration" in page  # the site's own header still shows


def test_role_users_get_no_admin_link(client, ops_user, merger):
    client.force_login(ops_user)
    assert reverse("admin:index").encode() not in client.get(reverse("accounts:home")).content


# Business records change through their services, which keep the history and announce
# the change; the admin either goes through them too or only reads.

READ_ONLY = [
    ("accounts", "programmembership"),
    ("accounts", "userpreference"),
    ("accounts", "sourceaccount"),
    ("accounts", "productfamily"),
    ("accounts", "holding"),
    ("accounts", "whitespacecell"),
    ("accounts", "matchcandidate"),
    ("accounts", "columnmapping"),
    ("accounts", "importjob"),
    ("tracker", "creditsplit"),
    ("tracker", "compplan"),
    ("scorecards", "scoringpolicy"),
    ("scorecards", "programreview"),
    ("scorecards", "exportjob"),
]


@pytest.mark.parametrize("app,model", READ_ONLY, ids=lambda name: name)
def test_records_changed_elsewhere_are_read_only_in_the_admin(client, rf, superuser, app, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403
    changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200
    assert b'value="delete_selected"' not in changelist.content
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site.get_model_admin(apps.get_model(app, model))
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_imported_records_cannot_be_changed_or_deleted_in_the_admin(client, superuser, merger):
    holding = factories.HoldingFactory()
    family = factories.FamilyFactory()
    membership = factories.MembershipFactory(merger=merger)
    client.force_login(superuser)
    for record in (holding, holding.account, family, membership):
        meta = record._meta
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        assert client.get(change).status_code == 200  # shown, read-only
        assert client.post(change, {}).status_code == 403
        delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert type(record).objects.filter(pk=record.pk).exists()


def _form_data(response, **changes) -> dict:
    """What the admin's change form posts back unchanged (its inlines too), with `changes`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = str(value)
    return {**data, **changes}


def _kept(record, user, action) -> bool:
    return RecordChange.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        actor=user,
        action=action,
    ).exists()


def _team(merger, rep, acquirer):
    return factories.TeamFactory(merger=merger, name="West")


def _stage(merger, rep, acquirer):
    return factories.StageFactory(merger=merger, name="Qualified")


def _certification(merger, rep, acquirer):
    product = factories.ProductFactory(company=acquirer)
    return Certification.objects.create(rep=rep, product=product, certified_on=dt.date(2024, 1, 1))


def _size_band(merger, rep, acquirer):
    return SizeBand.objects.create(merger=merger, name="Mid", min_employees=50)


def _region(merger, rep, acquirer):
    return Region.objects.create(merger=merger, name="DACH", countries="AT DE")


def _product_mapping(merger, rep, acquirer):
    return factories.ProductMappingFactory(
        merger=merger,
        source=factories.ProductFactory(company=acquirer),
        target=factories.ProductFactory(company=acquirer),
    )


def _merger(merger, rep, acquirer):
    return merger


def _rep(merger, rep, acquirer):
    return rep


def _risk_policy(merger, rep, acquirer):
    return RiskPolicy.objects.create(merger=merger)


# (the record, a field the admin changes and its new value, whether the admin deletes it)
ROUTED = [
    (_team, {"region": "EMEA"}, True),
    (_stage, {"name": "Discovery"}, True),
    (_certification, {"certified_on": "2025-02-03"}, True),
    (_size_band, {"name": "Midsize"}, True),
    (_region, {"countries": "AT CH DE"}, True),
    (_product_mapping, {"reason": "Sold together"}, True),
    (_merger, {"horizon_months": "36"}, False),
    (_rep, {"typical_core_deal": "70000.00"}, False),
    (_risk_policy, {"strong_connection_min": "5"}, False),
]


@pytest.mark.parametrize(
    "make,changes,deletes", ROUTED, ids=[make.__name__.strip("_") for make, *_ in ROUTED]
)
def test_the_admin_changes_records_through_their_services(
    client, superuser, merger, rep, acquirer, make, changes, deletes
):
    record = make(merger, rep, acquirer)
    meta = record._meta
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    response = client.post(url, _form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _kept(record, superuser, RecordChange.Action.CHANGED)
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk])
    response = client.post(delete, {"post": "yes"})
    assert response.status_code == (302 if deletes else 403)
    assert _kept(record, superuser, RecordChange.Action.DELETED) == deletes


def test_deleting_several_records_in_the_admin_goes_through_the_service(client, superuser, merger):
    teams = factories.TeamFactory.create_batch(2, merger=merger)
    client.force_login(superuser)
    selected = {"action": "delete_selected", "_selected_action": [t.pk for t in teams]}
    response = client.post(_changelist(Team), {**selected, "post": "yes"})
    assert response.status_code == 302
    assert all(_kept(team, superuser, RecordChange.Action.DELETED) for team in teams)


def test_a_team_and_the_team_below_it_are_deleted_together_in_any_order(client, superuser, merger):
    parent = factories.TeamFactory(merger=merger)
    child = factories.TeamFactory(merger=merger, parent=parent)
    client.force_login(superuser)
    selected = {"action": "delete_selected", "_selected_action": [parent.pk, child.pk]}
    client.post(_changelist(Team), {**selected, "post": "yes"})
    assert not Team.objects.filter(pk__in=[parent.pk, child.pk]).exists()
    assert _kept(parent, superuser, RecordChange.Action.DELETED)


def test_a_change_the_service_refuses_is_shown_and_nothing_is_written(
    client, superuser, merger, rep, team
):
    client.force_login(superuser)
    selected = {"action": "delete_selected", "_selected_action": [team.pk], "post": "yes"}
    response = client.post(_changelist(Team), selected, follow=True)
    assert "still has reps or teams below it" in str(list(response.context["messages"]))
    url = reverse("admin:tracker_team_change", args=[team.pk])
    outsider = factories.UserFactory(username="outsider")
    response = client.post(url, _form_data(client.get(url), leader=outsider.pk), follow=True)
    assert "The leader must be a member of the program." in str(list(response.context["messages"]))
    team.refresh_from_db()
    assert team.leader != outsider
    assert Team.objects.filter(pk=team.pk).exists()
    assert not RecordChange.objects.filter(actor=superuser).exists()
    assert not LogEntry.objects.exists()  # not even the admin's own "deleted" entry


def test_the_admin_does_not_move_a_record_to_another_program(client, superuser, merger):
    team = factories.TeamFactory(merger=merger, name="West")
    client.force_login(superuser)
    url = reverse("admin:tracker_team_change", args=[team.pk])
    assert "merger" in client.get(url).context["adminform"].readonly_fields
