"""People: logins with a role, program membership, one-time set-password links."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ProgramMembership
from accounts.selectors.people import people_visible_to, program_people, set_password_path
from accounts.services.people import (
    membership_add,
    membership_remove,
    person_create,
    person_update,
)
from core.access import Role, roles_of
from tests import factories

User = get_user_model()


def _create(actor, merger, **fields):
    values = {
        "email": "ana.lima@sensa.example",
        "first_name": "Ana",
        "last_name": "Lima",
        "roles": [Role.REP],
    }
    return person_create(actor=actor, merger=merger, **{**values, **fields})


def test_a_new_person_has_a_role_a_membership_and_no_password(ops_user, merger):
    person = _create(ops_user, merger)
    assert person.username == "ana.lima@sensa.example"
    assert not person.has_usable_password()
    assert roles_of(person) == {Role.REP}
    assert ProgramMembership.objects.filter(merger=merger, user=person).exists()


def test_logins_are_unique_by_email_and_username(ops_user, merger):
    _create(ops_user, merger, username="ana")
    with pytest.raises(ValidationError) as error:
        _create(ops_user, merger, email="ANA.LIMA@sensa.example", username="other")
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(ops_user, merger, email="ana2@sensa.example", username="ANA")
    assert "username" in error.value.message_dict


def test_only_sales_ops_and_administrators_create_people(rep_user, ops_user, merger):
    with pytest.raises(PermissionDenied):
        _create(rep_user, merger)
    # Sales ops needs a program to put people in; an administrator may start without one.
    with pytest.raises(ValidationError):
        _create(ops_user, None)
    root = factories.UserFactory(username="root", is_superuser=True)
    first_ops = _create(root, None, roles=[Role.OPS])
    assert roles_of(first_ops) == {Role.OPS}


def test_nobody_takes_their_own_login_or_sales_ops_role(ops_user):
    with pytest.raises(ValidationError):
        person_update(
            actor=ops_user,
            person=ops_user,
            email=ops_user.email,
            first_name="O",
            last_name="P",
            roles=[Role.REP],
        )
    with pytest.raises(ValidationError):
        person_update(
            actor=ops_user,
            person=ops_user,
            email=ops_user.email,
            first_name="O",
            last_name="P",
            roles=[Role.OPS],
            is_active=False,
        )


def test_only_an_administrator_changes_an_administrator(ops_user, merger):
    root = factories.UserFactory(username="root", is_superuser=True)
    factories.MembershipFactory(merger=merger, user=root)
    with pytest.raises(PermissionDenied):
        person_update(
            actor=ops_user,
            person=root,
            email="x@example.com",
            first_name="",
            last_name="",
            roles=[],
        )
    with pytest.raises(PermissionDenied):
        membership_remove(actor=ops_user, merger=merger, person=root)


def test_roles_change_and_other_groups_stay(ops_user, rep_user):
    from django.contrib.auth.models import Group

    other = Group.objects.create(name="Newsletter")
    rep_user.groups.add(other)
    person_update(
        actor=ops_user,
        person=rep_user,
        email="rep@example.com",
        first_name="Rita",
        last_name="Rep",
        roles=[Role.LEADER, Role.REP],
    )
    rep_user.refresh_from_db()
    assert set(rep_user.groups.values_list("name", flat=True)) == {
        "Newsletter",
        "Rep",
        "Sales leader",
    }


def test_membership_guards(ops_user, merger, leader_user):
    other = factories.UserFactory(username="elsewhere")
    membership_add(actor=ops_user, merger=merger, person=other)
    membership_add(actor=ops_user, merger=merger, person=other)
    assert ProgramMembership.objects.filter(merger=merger, user=other).count() == 1
    with pytest.raises(ValidationError):
        membership_remove(actor=ops_user, merger=merger, person=ops_user)
    merger.accountable_leader = leader_user
    merger.save()
    with pytest.raises(ValidationError):
        membership_remove(actor=ops_user, merger=merger, person=leader_user)
    membership_remove(actor=ops_user, merger=merger, person=other)
    assert not ProgramMembership.objects.filter(merger=merger, user=other).exists()
    assert User.objects.filter(pk=other.pk).exists()


def test_program_people_reads_in_a_fixed_number_of_queries(merger, rep_user, ops_user):
    with CaptureQueriesContext(connection) as few:
        assert len(program_people(merger=merger)) == 2
    for _ in range(5):
        factories.MembershipFactory(merger=merger, user=factories.UserFactory(role=Role.REP))
    with CaptureQueriesContext(connection) as many:
        assert len(program_people(merger=merger)) == 7
    assert len(many) == len(few)


def test_people_visible_to_a_user_are_those_of_their_programs(ops_user, outsider_user, rep_user):
    visible = set(people_visible_to(actor=ops_user))
    assert rep_user in visible and ops_user in visible
    assert outsider_user not in visible


# The set-password link


def test_the_link_sets_a_password_once(client, ops_user, merger):
    person = _create(ops_user, merger)
    link = set_password_path(user=person)
    page = client.get(link)
    assert page.status_code == 200
    assert b"Choose your password" in page.content

    response = client.post(
        link, {"new_password1": "cross-sell 2026!", "new_password2": "cross-sell 2026!"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("cross-sell 2026!")
    assert client.get(link).status_code == 404
    assert client.login(username=person.username, password="cross-sell 2026!")


def test_a_broken_link_sets_nothing(client, ops_user, merger):
    person = _create(ops_user, merger)
    link = set_password_path(user=person)
    broken = re.sub(r"/[^/]+/$", "/0-abc/", link)
    assert client.get(broken).status_code == 404
    assert client.post(broken, {"new_password1": "x", "new_password2": "x"}).status_code == 404
    assert client.get("/welcome/!!/abc/").status_code == 404
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_a_weak_password_is_refused_with_reasons(client, ops_user, merger):
    person = _create(ops_user, merger)
    response = client.post(
        set_password_path(user=person), {"new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert not person.has_usable_password()
