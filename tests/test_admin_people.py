"""Logins and role groups in the admin: changed only through the People service."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.access import GROUP_NAMES, Role, roles_of
from tests import factories


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def _change(person, **changes) -> dict:
    values = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "roles": [role.value for role in roles_of(person)],
    }
    if person.is_active:
        values["is_active"] = "on"
    return {**values, **changes}


def test_a_login_is_changed_through_the_people_service(client, superuser, ops_user):
    rep = factories.UserFactory(username="dana", email="dana@example.com")
    rep.groups.add(Group.objects.get(name=GROUP_NAMES[Role.REP]))
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[rep.pk])
    assert "password" not in client.get(url).context["adminform"].form.fields
    changes = _change(rep, first_name="Dana", roles=[Role.LEADER.value])
    assert client.post(url, changes).status_code == 302
    rep = type(rep).objects.get(pk=rep.pk)
    assert rep.first_name == "Dana"
    assert roles_of(rep) == {Role.LEADER}
    # The service's own check: the address is someone else's already.
    response = client.post(url, _change(rep, email=ops_user.email), follow=True)
    assert "Someone has a login with this e-mail already" in str(
        list(response.context["messages"])
    )
    rep.refresh_from_db()
    assert rep.email == "dana@example.com"


def test_the_admin_does_not_switch_off_its_own_login(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[superuser.pk])
    changes = _change(superuser)
    del changes["is_active"]
    response = client.post(url, changes, follow=True)
    assert "You cannot switch off your own login." in str(list(response.context["messages"]))
    superuser.refresh_from_db()
    assert superuser.is_active


def test_logins_are_added_and_deleted_on_the_people_page_only(client, superuser):
    person = factories.UserFactory(username="dana")
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    delete = reverse("admin:auth_user_delete", args=[person.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(person).objects.filter(pk=person.pk).exists()


def test_the_role_groups_are_only_shown(client, superuser):
    group = Group.objects.get(name=GROUP_NAMES[Role.OPS])
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert client.post(url, {"name": "Renamed"}).status_code == 403
    delete = reverse("admin:auth_group_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    group.refresh_from_db()
    assert group.name == GROUP_NAMES[Role.OPS]
