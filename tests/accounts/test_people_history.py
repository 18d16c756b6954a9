"""A login's changes are kept in each program the person belongs to: who gave whom
which role, who switched a login off; never the password."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ProgramMembership, RecordChange
from accounts.services.people import person_create, person_update
from core.access import Role
from tests import factories

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
    assert created.merger == merger and created.actor == ops_user
    assert created.changes["roles"] == [None, "Rep"]
    assert "password" not in created.changes
    membership = ProgramMembership.objects.get(user=person)
    assert RecordChange.objects.filter(
        content_type=ContentType.objects.get_for_model(membership),
        object_id=membership.pk,
        action=RecordChange.Action.CREATED,
    ).exists()


def test_a_role_change_and_a_switched_off_login_are_kept_in_each_program(ops_user, merger):
    person = factories.UserFactory(username="dana", role=Role.REP)
    other = factories.MergerFactory(name="Other program")
    for program in (merger, other):
        factories.MembershipFactory(merger=program, user=person)
    person_update(
        actor=ops_user,
        person=person,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        roles=[Role.LEADER],
        is_active=False,
    )
    kept = list(_kept(person))
    assert {row.merger for row in kept} == {merger, other}
    for row in kept:
        assert row.changes == {"is_active": ["true", "false"], "roles": ["Rep", "Sales leader"]}
        assert row.actor == ops_user
    # Saving it again unchanged keeps nothing more.
    person_update(
        actor=ops_user,
        person=person,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        roles=[Role.LEADER],
        is_active=False,
    )
    assert _kept(person).count() == 2


def test_a_program_reads_the_login_history_it_kept(client, ops_user, merger):
    person = factories.UserFactory(username="dana", role=Role.REP)
    factories.MembershipFactory(merger=merger, user=person)
    factories.MembershipFactory(merger=factories.MergerFactory(name="Other"), user=person)
    person_update(
        actor=ops_user,
        person=person,
        email=person.email,
        first_name="Dana",
        last_name="Ross",
        roles=[Role.REP, Role.LEADER],
    )
    api = APIClient()
    api.force_authenticate(ops_user)
    one = api.get(f"{API}/history/", {"record_type": "auth.user", "id": person.pk})
    assert one.status_code == 200
    (entry,) = one.json()["results"]
    assert entry["changes"]["roles"] == ["Rep", "Rep, Sales leader"]
    client.force_login(ops_user)
    page = client.get(reverse("accounts:activity"))
    assert "Rep, Sales leader" in page.content.decode()


def test_the_persons_page_shows_who_changed_their_login(client, ops_user, merger):
    person = factories.UserFactory(username="dana", role=Role.REP)
    factories.MembershipFactory(merger=merger, user=person)
    person_update(
        actor=ops_user,
        person=person,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        roles=[Role.LEADER],
    )
    client.force_login(ops_user)
    page = client.get(reverse("tracker:person_update", args=[person.pk])).content.decode()
    assert "<strong>Roles</strong>: Rep → Sales leader" in page
    assert ops_user.get_full_name() in page
