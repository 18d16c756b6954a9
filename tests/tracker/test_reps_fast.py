"""The reps page counts certifications per rep and pages its rows like the plain definition."""

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from core.access import Role
from tests import factories
from tracker.models import Certification, Rep
from tracker.selectors.org import reps_of
from tracker.views import org


def _rep(merger, company, products, certified: int) -> Rep:
    user = factories.UserFactory(role=Role.REP)
    factories.MembershipFactory(merger=merger, user=user)
    rep = factories.RepFactory(merger=merger, user=user, company=company)
    for product in products[:certified]:
        Certification.objects.create(rep=rep, product=product, certified_on=dt.date(2026, 1, 1))
    return rep


def test_certification_counts_match_a_plain_count(merger, acquirer):
    products = [factories.ProductFactory(company=acquirer) for _ in range(3)]
    for certified in (0, 1, 3, 2, 0):
        _rep(merger, acquirer, products, certified)
    plain = {
        rep.pk: rep.n
        for rep in Rep.objects.filter(merger=merger).annotate(n=Count("certification_records"))
    }
    fast = {rep.pk: rep.certification_count for rep in reps_of(merger=merger)}
    assert fast == plain
    assert sorted(fast.values()) == [0, 0, 1, 2, 3]


def test_the_page_shows_every_rep_across_its_pages(
    client, ops_user, merger, acquirer, monkeypatch
):
    monkeypatch.setattr(org, "REPS_PAGE_SIZE", 2)
    reps = [_rep(merger, acquirer, [], 0) for _ in range(5)]
    client.force_login(ops_user)
    shown = []
    for page in (1, 2, 3):
        response = client.get(reverse("tracker:reps"), {"page": page})
        assert response.status_code == 200
        shown += [rep.pk for rep in response.context["page_obj"].object_list]
    assert shown == [rep.pk for rep in reps_of(merger=merger)]
    assert set(shown) >= {rep.pk for rep in reps}
