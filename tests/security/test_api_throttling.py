"""The API slows down a client that sends too many requests: 429 with Retry-After."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _statuses(client: APIClient, count: int) -> list[int]:
    return [client.get(reverse("api:segment-list")).status_code for _ in range(count)]


def test_a_signed_in_client_over_the_user_rate_is_told_to_wait(monkeypatch, rep_user):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    client = APIClient()
    client.force_authenticate(rep_user)

    assert _statuses(client, 4) == [200, 200, 200, 429]
    assert int(client.get(reverse("api:segment-list"))["Retry-After"]) > 0


def test_anonymous_clients_have_their_own_lower_rate_where_they_are_served(monkeypatch, db):
    # Data endpoints refuse anonymous clients (401) before any rate applies.
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    client = APIClient()

    statuses = [client.get(reverse("api:docs")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_one_users_requests_do_not_use_up_anothers(monkeypatch, rep_user, ops_user):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "2/minute")
    first, second = APIClient(), APIClient()
    first.force_authenticate(rep_user)
    second.force_authenticate(ops_user)

    assert _statuses(first, 3)[-1] == 429
    assert _statuses(second, 1) == [200]
