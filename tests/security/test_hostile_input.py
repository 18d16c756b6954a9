"""Hostile query strings and bodies found by an attack: each one a 400 or a page, never a 500."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.security.world import World, world_build


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(settings, tmp_path, merger, acquirer, acquired, team, rep) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_build(merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep)


@pytest.fixture
def ops(client, ops_user, world):
    client.force_login(ops_user)
    return client


def test_wins_of_month_one_of_year_one_is_a_page(ops):
    response = ops.get(reverse("tracker:wins"), {"month": "0001-01"})
    assert response.status_code in (200, 400)


def test_a_page_number_beyond_any_integer_is_a_page(ops, world):
    url = reverse("accounts:whitespace")
    response = ops.get(url, {"segment": world.segment.pk, "page": "99999999999999999999"})
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["tracker:opportunity_create", "accounts:whitespace"])
def test_a_nul_byte_in_a_search_is_refused(ops, name):
    # PostgreSQL refuses a NUL in any text, so a search holding one was a 500 there.
    response = ops.get(reverse(name), {"q": "\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_byte_in_the_matching_search_is_refused(ops, world):
    url = reverse("accounts:match_account", kwargs={"pk": world.account.pk})
    response = ops.get(url, {"q": "a\x00b"})
    assert response.status_code == 400


def test_quota_starting_in_year_one_is_a_400(ops, world):
    body = {
        "rep": world.rep.pk,
        "period_kind": "month",
        "period_start": "0001-01-01",
        "core_amount": "10000.00",
        "cross_sell_amount": "1000.00",
    }
    response = ops.post(reverse("api:quota-list"), body, content_type="application/json")
    assert response.status_code == 400, response.content[:500]


def test_json_nested_a_hundred_thousand_deep_is_a_400(ops):
    body = "[" * 100_000 + "]" * 100_000
    response = ops.post(reverse("api:quota-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert "deep" in json.loads(response.content)["detail"]
