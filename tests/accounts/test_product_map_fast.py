"""The fast paths of the product map give what the plain definitions give."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.product_affinity import (
    InstallBaseCounts,
    Population,
    Thresholds,
    affinities,
    suggestions,
)

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
