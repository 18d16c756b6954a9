"""The setup pages read a fixed number of queries, however large the organisation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.access import Role
from tests import factories
from tracker.models import Certification

PAGES = [
    "tracker:setup",
    "tracker:people",
    "tracker:teams",
    "tracker:reps",
    "tracker:certifications",
    "tracker:stages",
    "tracker:targets",
]


def _grow(merger, company, product, count: int) -> None:
    for _ in range(count):
        team = factories.TeamFactory(merger=merger)
        user = factories.UserFactory(role=Role.REP)
        factories.MembershipFactory(merger=merger, user=user)
        rep = factories.RepFactory(merger=merger, user=user, team=team, company=company)
        Certification.objects.create(rep=rep, product=product, certified_on=dt.date(2026, 1, 1))
        factories.SegmentFactory(merger=merger)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", PAGES)
def test_query_count_does_not_grow(client, ops_user, merger, acquirer, acquired, url_name):
    product = factories.ProductFactory(company=acquirer)
    factories.StageFactory(merger=merger)
    client.force_login(ops_user)
    _grow(merger, acquirer, product, 2)
    url = reverse(url_name)
    # The first request fills the process's caches (content types): the count that must
    # not grow is the steady one.
    _queries(client, url)
    few = _queries(client, url)
    _grow(merger, acquirer, product, 8)
    assert _queries(client, url) == few
