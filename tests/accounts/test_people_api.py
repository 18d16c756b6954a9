"""The people endpoint: sales ops creates, changes, invites and removes a program's members."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import ProgramMembership
from core.access import Role, roles_of


@pytest.fixture
def api(ops_user):
    client = APIClient()
    client.force_authenticate(ops_user)
    return client


def test_people_are_created_changed_invited_and_removed(api, merger):
    created = api.post(
        "/api/v1/people/",
        {
            "merger": merger.pk,
            "first_name": "Ana",
            "last_name": "Lima",
            "email": "ana@sensa.example",
            "roles": ["rep", "sales_leader"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["username"] == "ana@sensa.example"
    assert body["roles"] == ["rep", "sales_leader"]
    assert body["has_password"] is False

    changed = api.patch(f"/api/v1/people/{body['id']}/", {"roles": ["executive"]}, format="json")
    assert changed.json()["roles"] == ["executive"]
    membership = ProgramMembership.objects.get(pk=body["id"])
    assert roles_of(membership.user) == {Role.EXECUTIVE}

    invite = api.post(f"/api/v1/people/{body['id']}/invite/")
    assert invite.json()["sent"] is True
    assert invite.json()["link"] in mail.outbox[0].body

    assert api.delete(f"/api/v1/people/{body['id']}/").status_code == 204
    assert not ProgramMembership.objects.filter(pk=body["id"]).exists()


def test_removing_yourself_conflicts(api, merger, ops_user):
    mine = ProgramMembership.objects.get(merger=merger, user=ops_user)
    assert api.delete(f"/api/v1/people/{mine.pk}/").status_code == 409


def test_duplicate_logins_are_refused_by_field(api, merger, rep_user):
    response = api.post(
        "/api/v1/people/",
        {
            "merger": merger.pk,
            "first_name": "R",
            "last_name": "R",
            "email": rep_user.email,
            "roles": ["rep"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "email" in response.json()


def test_only_sales_ops_reads_people_and_only_of_their_programs(merger, rep_user, outsider_user):
    client = APIClient()
    client.force_authenticate(rep_user)
    assert client.get("/api/v1/people/").status_code == 403
    ops = APIClient()
    ops.force_authenticate(outsider_user)
    assert ops.get("/api/v1/people/").status_code == 403
