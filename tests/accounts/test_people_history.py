"""A login's changes are kept in each program the person belongs to: who gave whom
which role, who switched a login off; never the password."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ProgramMembership, RecordChange
from accounts.services.people import person_create, person_update
from core.access import Role
from tests import factories
from tracker.services.org import team_create

API = "/api/v1"


def _kept(person):
    return RecordChange.objects.filter(
        content_type=ContentType.objects.get_for_model(person), object_id=person.pk
    ).order_by("id")


def test_a_new_login_and_its_membership_are_kept(ops_user, merger):
    person = person_create(
        actor=ops_user,
        merger=merger,
        email="ana.lima@sensa.example",
        first_name="Ana",
        last_name="Lima",
        roles=[Role.REP],
    )
    (created,) = _kept(person)
    assert created.action == RecordChange.Action.CREATED
    assert created.merger is None and created.actor == ops_user
    assert created.changes["roles"] == [None, "Rep"]
    assert set(created.changes) == {
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "roles",
    }
    membership = ProgramMembership.objects.get(user=person)
    assert RecordChange.objects.filter(
        content_type=ContentType.objects.get_for_model(membership),
        object_id=membership.pk,
        action=RecordChange.Action.CREATED,
    ).exists()


def _update(actor, person, **changes):
    values = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "roles": [Role.REP],
    }
    person_update(actor=actor, person=person, **{**values, **changes})


def test_a_role_change_and_a_switched_off_login_are_kept_once(ops_user, merger):
    person = factories.UserFactory(username="dana", role=Role.REP)
    for program in (merger, factories.MergerFactory(name="Other program")):
        factories.MembershipFactory(merger=program, user=person)
    _update(ops_user, person, roles=[Role.LEADER], is_active=False)
    (kept,) = _kept(person)
    assert kept.changes == {"is_active": ["true", "false"], "roles": ["Rep", "Sales leader"]}
    assert kept.actor == ops_user
    # Saving it again unchanged keeps nothing more.
    _update(ops_user, person, roles=[Role.LEADER], is_active=False)
    assert _kept(person).count() == 1


def test_only_those_who_manage_people_read_a_logins_history(
    client, ops_user, leader_user, executive_user, merger
):
    person = factories.UserFactory(username="dana", role=Role.REP)
    factories.MembershipFactory(merger=merger, user=person)
    factories.MembershipFactory(merger=factories.MergerFactory(name="Other"), user=person)
    factories.MembershipFactory(merger=person.memberships.last().merger, user=ops_user)
    _update(ops_user, person, roles=[Role.REP, Role.LEADER])
    client.force_login(ops_user)
    page = client.get(reverse("tracker:person_update", args=[person.pk])).content.decode()
    # Once, though the person and sales ops share two programs.
    assert page.count("<strong>Roles</strong>: Rep → Rep, Sales leader") == 1
    assert ops_user.get_full_name() in page
    # Not in any program's activity, nor in the history API: e-mails and roles are
    # for sales ops, and leaders and executives read the activity.
    for reader in (ops_user, leader_user, executive_user):
        client.force_login(reader)
        activity = client.get(reverse("accounts:activity")).content.decode()
        assert "Rep, Sales leader" not in activity
        api = APIClient()
        api.force_authenticate(reader)
        one = api.get(f"{API}/history/", {"record_type": "auth.user", "id": person.pk})
        assert one.status_code in (403, 404)


def test_the_activity_names_people_never_by_their_email_username(client, ops_user, leader_user):
    """A username is often the e-mail, which the People page shows to sales ops only;
    leaders read the activity, so it names people by their names."""
    ana = person_create(
        actor=ops_user,
        merger=leader_user.memberships.get().merger,
        email="ana.lima@sensa.example",
        first_name="Ana",
        last_name="Lima",
        roles=[Role.LEADER],
    )
    team_create(
        actor=ops_user, merger=ana.memberships.get().merger, name="North", leader=ana, region=""
    )
    client.force_login(leader_user)
    activity = client.get(reverse("accounts:activity")).content.decode()
    assert "ana.lima@sensa.example" not in activity
    # The team's leader, the membership's label and the person filter.
    # A linked person by name: the id is for the record, not the reader.
    assert "Ana Lima" in activity and f"Ana Lima (#{ana.pk})" not in activity
    assert "Ana Lima @ " in activity
    assert '">Ana Lima</option>' in activity
