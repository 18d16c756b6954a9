"""The fast paths of the product map give what the plain definitions give."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.product_affinity import (
    InstallBaseCounts,
    Population,
    Thresholds,
    affinities,
    suggestions,
)
from accounts.selectors.product_map import (
    evidence_summary,
    product_affinities,
    product_map_suggestions,
    product_map_with_evidence,
)
from accounts.views import product_map as product_map_views
from tests import factories

POPULATIONS = list(Population)


@st.composite
def install_bases(draw) -> InstallBaseCounts:
    products = range(1, draw(st.integers(2, 6)) + 1)
    populations = {p: draw(st.integers(0, 300)) for p in POPULATIONS}
    # Owners within their population, co-owners within both products' owners: real counts.
    owners = {
        (p, product): draw(st.integers(0, populations[p]))
        for p in POPULATIONS
        for product in products
    }
    co_owners = {}
    for p in POPULATIONS:
        for source in products:
            for target in products:
                if source != target and draw(st.booleans()):
                    most = min(owners[(p, source)], owners[(p, target)])
                    co_owners[(p, source, target)] = draw(st.integers(0, most))
    return InstallBaseCounts(populations=populations, owners=owners, co_owners=co_owners)


def plain_suggestions(counts, mapped, thresholds, limit):
    known = set(mapped)
    found = [a for a in affinities(counts, thresholds) if a.has_evidence and a.pair not in known]
    return found[:limit]


@settings(max_examples=300, deadline=None)
@given(
    counts=install_bases(),
    mapped=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), max_size=4),
    min_owners=st.integers(0, 40),
    min_lift=st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("1.2"), Decimal("2")]),
    limit=st.integers(0, 30),
)
def test_suggestions_match_the_plain_definition(counts, mapped, min_owners, min_lift, limit):
    thresholds = Thresholds(min_owners=min_owners, min_lift=min_lift)
    expected = plain_suggestions(counts, mapped, thresholds, limit)
    assert suggestions(counts, mapped, thresholds, limit=limit) == expected


def test_a_lift_exactly_at_the_threshold_is_suggested():
    # 120 * 10000 / (1000 * 1000) = 1.2 exactly; the interval 10.1-14.1 % lies above 10 %.
    both = Population.BOTH
    counts = InstallBaseCounts(
        populations={both: 10000},
        owners={(both, 1): 1000, (both, 2): 1000},
        co_owners={(both, 1, 2): 120},
    )
    expected = plain_suggestions(counts, [], Thresholds(), 10)
    assert [a.pair for a in expected] == [(1, 2)]
    assert suggestions(counts, [], Thresholds(), limit=10) == expected


def _map(merger, acquirer, acquired, n: int) -> None:
    for i in range(n):
        factories.ProductMappingFactory(
            merger=merger,
            source=factories.ProductFactory(company=acquirer, name=f"Source {i:02d}"),
            target=factories.ProductFactory(company=acquired, name=f"Target {i:02d}"),
        )


def _page(client, page: int):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("accounts:product_map"), {"page": page})
    assert response.status_code == 200
    return response, len(captured)


def test_the_product_map_pages_every_pair_in_map_order(
    client, rep_user, merger, acquirer, acquired, monkeypatch
):
    monkeypatch.setattr(product_map_views, "PAGE_SIZE", 2)
    _map(merger, acquirer, acquired, 2)
    client.force_login(rep_user)
    _response, few = _page(client, 1)
    _map(merger, acquirer, acquired, 3)
    shown = []
    for page in (1, 2, 3):
        response, queries = _page(client, page)
        assert queries == few
        assert response.context["summary"] == evidence_summary(response.context["pairs"])
        shown += [pair.mapping.pk for pair in response.context["page_obj"].object_list]
    assert shown == [pair.mapping.pk for pair in product_map_with_evidence(merger=merger)]
    assert len(shown) == 5
    assert "5 mapped pairs" in response.content.decode()


def test_counts_read_once_give_what_each_table_reads_itself(merger, acquirer, acquired):
    _map(merger, acquirer, acquired, 3)
    counts = product_affinities(merger=merger)
    assert product_map_with_evidence(merger=merger, counts=counts) == product_map_with_evidence(
        merger=merger
    )
    assert product_map_suggestions(merger=merger, counts=counts) == product_map_suggestions(
        merger=merger
    )
