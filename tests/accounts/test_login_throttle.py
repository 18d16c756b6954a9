"""Repeated failed sign-ins lock the username and the address, on every way in."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import login_throttle
from accounts.login_throttle import ADDRESS_FACTOR, client_address
from tests import factories

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_FAILURE_LIMIT = LIMIT
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15
    settings.LOGIN_LOCKOUT_MINUTES = 10
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return factories.UserFactory(username="ann")


def sign_in(client: Client, username: str = "ann", password: str = "wrong"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_right_password_works_before_any_failure(client, user):
    assert sign_in(client, password="pw").status_code == 302


def test_after_the_limit_even_the_right_password_is_refused_with_429(client, user):
    for _ in range(LIMIT):
        assert sign_in(client).status_code == 200

    response = sign_in(client, password="pw")

    assert response.status_code == 429
    assert "Too many failed sign-ins. Try again in 10 minutes." in response.text
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_lockout_period(client, user, monkeypatch):
    for _ in range(LIMIT):
        sign_in(client)
    later = login_throttle.time.time() + 10 * 60 + 1
    monkeypatch.setattr(login_throttle.time, "time", lambda: later)

    assert sign_in(client, password="pw").status_code == 302


def test_a_successful_sign_in_clears_the_count(client, user):
    for _ in range(LIMIT - 1):
        sign_in(client)
    assert sign_in(client, password="pw").status_code == 302
    client.logout()

    for _ in range(LIMIT - 1):
        sign_in(client)
    assert sign_in(client, password="pw").status_code == 302


def test_the_username_is_locked_whatever_address_tries_it(user):
    for number in range(LIMIT):
        sign_in(Client(REMOTE_ADDR=f"10.0.0.{number}"))

    assert sign_in(Client(REMOTE_ADDR="10.9.9.9"), password="pw").status_code == 429


def test_one_address_trying_many_usernames_is_locked(db):
    factories.UserFactory(username="bob")
    spraying = Client(REMOTE_ADDR="10.0.0.1")
    for number in range(LIMIT * ADDRESS_FACTOR):
        sign_in(spraying, username=f"guess{number}")

    assert sign_in(spraying, username="bob", password="pw").status_code == 429
    assert (
        sign_in(Client(REMOTE_ADDR="10.0.0.2"), username="bob", password="pw").status_code == 302
    )


def test_a_few_colleagues_typing_wrong_passwords_do_not_lock_their_office(db):
    office = Client(REMOTE_ADDR="10.0.0.1")
    for number in range(LIMIT):
        factories.UserFactory(username=f"colleague{number}")
        sign_in(office, username=f"colleague{number}")

    assert sign_in(office, username="colleague0", password="pw").status_code == 302


def test_the_api_token_endpoint_uses_the_same_lock(user):
    api = APIClient()
    url = reverse("api:token")
    for _ in range(LIMIT):
        assert api.post(url, {"username": "ann", "password": "wrong"}).status_code == 400

    response = api.post(url, {"username": "ann", "password": "pw"})

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert sign_in(Client(), password="pw").status_code == 429


def test_the_admin_login_cannot_get_round_the_lock(client, db):
    factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        sign_in(client, username="root")

    response = client.post(
        reverse("admin:login"), {"username": "root", "password": "pw", "next": "/admin/"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_client_address_is_the_peer_unless_behind_the_tls_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_address(request) == "10.0.0.5"

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only the proxy's own entry counts: the client wrote the earlier ones.
    assert client_address(request) == "2.2.2.2"
