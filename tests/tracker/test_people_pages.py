"""People pages: the first sales-ops login, the members list, adding and editing people."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import ProgramMembership
from accounts.selectors.people import user_of_link
from core.access import Role, roles_of
from tests import factories

User = get_user_model()


def test_an_administrator_creates_the_first_sales_ops_login(client, db):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(reverse("tracker:people")).status_code == 200
    response = client.post(
        reverse("tracker:person_create"),
        {
            "first_name": "Priya",
            "last_name": "Nair",
            "email": "priya@sensa.example",
            "username": "priya",
            "roles": ["sales_ops"],
            "send_invitation": "on",
        },
        follow=True,
    )
    priya = User.objects.get(username="priya")
    assert roles_of(priya) == {Role.OPS}
    page = response.content.decode()
    assert "Set-password link for Priya Nair" in page
    assert _set_password_users(page) == {priya}
    assert len(mail.outbox) == 1
    assert _set_password_users(mail.outbox[0].body) == {priya}


def _set_password_users(text: str) -> set:
    # The token carries the second it was made in, so the links are resolved, not rebuilt:
    # on a slow machine the page and the test may not share that second.
    links = re.findall(r"/welcome/([^/\s]+)/([^/\s]+)/", text)
    return {user_of_link(uidb64=uid, token=token) for uid, token in links}


def test_the_people_page_lists_members_with_roles_and_rep_records(client, ops_user, rep, team):
    client.force_login(ops_user)
    response = client.get(reverse("tracker:people"))
    page = response.content.decode()
    assert rep.user.get_full_name() in page
    assert "Central" in page  # the rep's team, and the team the leader leads


def test_an_existing_login_is_added_to_the_program(client, ops_user, merger, outsider_user):
    client.force_login(ops_user)
    client.post(reverse("tracker:person_add"), {"identifier": "OUTSIDER"})
    assert ProgramMembership.objects.filter(merger=merger, user=outsider_user).exists()


def test_editing_someone_of_another_program_is_not_found(client, ops_user, outsider_user):
    client.force_login(ops_user)
    assert client.get(reverse("tracker:person_update", args=[outsider_user.pk])).status_code == 404
    assert client.get(reverse("tracker:person_invite", args=[outsider_user.pk])).status_code == 404


def test_a_mail_server_that_refuses_leaves_the_link_on_the_page(
    client, ops_user, merger, monkeypatch
):
    from smtplib import SMTPServerDisconnected

    def refuse(*args, **kwargs):
        raise SMTPServerDisconnected("gone")

    monkeypatch.setattr("accounts.services.people.send_mail", refuse)
    client.force_login(ops_user)
    response = client.post(
        reverse("tracker:person_create"),
        {
            "first_name": "Ana",
            "last_name": "Lima",
            "email": "ana@sensa.example",
            "roles": ["rep"],
            "send_invitation": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "could not be sent" in page
    assert _set_password_users(page) == {User.objects.get(username="ana@sensa.example")}
