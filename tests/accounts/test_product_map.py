"""The product map: affinity from the install base, suggestions, evidence flags and writes."""

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import ProductMapping, ProductOwnership, WhitespaceCell
from accounts.product_affinity import (
    InstallBaseCounts,
    Population,
    Thresholds,
    Verdict,
    affinities,
    pair_affinity,
    pair_population,
    suggestions,
    wilson_interval,
)
from accounts.selectors.product_map import (
    evidence_summary,
    product_affinities,
    product_map_suggestions,
    product_map_with_evidence,
)
from accounts.services.overlap import account_statuses_refresh
from accounts.services.ownership import product_ownership_refresh
from accounts.services.product_map import (
    product_mapping_create,
    product_mapping_delete,
    product_mapping_update,
)
from tests import factories
from tests.accounts.install_base import account_owning, record

BOTH, ACQUIRER = Population.BOTH, Population.ACQUIRER

# 100 customers of both: 20 own P (1), 50 own Q (2), 16 own both; 10 own R (3), 2 with P.
# Among the acquirer's 400 customers, 40 own P and 8 of them S (4), which 200 own.
COUNTS = InstallBaseCounts(
    populations={BOTH: 100, ACQUIRER: 400},
    owners={
        (BOTH, 1): 20,
        (BOTH, 2): 50,
        (BOTH, 3): 10,
        (ACQUIRER, 1): 40,
        (ACQUIRER, 4): 200,
    },
    co_owners={
        (BOTH, 1, 2): 16,
        (BOTH, 2, 1): 16,
        (BOTH, 1, 3): 2,
        (BOTH, 3, 1): 2,
        (ACQUIRER, 1, 4): 8,
    },
)


def test_the_wilson_interval_matches_the_published_values():
    assert wilson_interval(8, 10) == (Decimal("0.4902"), Decimal("0.9433"))
    # Not zero-wide at the edges, and never outside 0-100%.
    assert wilson_interval(0, 10) == (Decimal("0.0000"), Decimal("0.2775"))
    assert wilson_interval(10, 10) == (Decimal("0.7225"), Decimal("1.0000"))
    assert wilson_interval(0, 0) == (Decimal(0), Decimal(1))


def test_a_pair_is_measured_among_the_customers_who_could_own_both():
    assert pair_population("acquirer", "acquired") == BOTH
    assert pair_population("acquired", "acquirer") == BOTH
    assert pair_population("acquirer", "acquirer") == ACQUIRER
    assert pair_population("acquired", "acquired") == Population.ACQUIRED


def test_confidence_is_the_share_of_source_owners_who_own_the_target():
    affinity = pair_affinity(1, 2, BOTH, COUNTS)
    assert (affinity.support, affinity.source_owners, affinity.population_size) == (16, 20, 100)
    assert affinity.confidence == Decimal("0.8")
    assert (affinity.confidence_low, affinity.confidence_high) == wilson_interval(16, 20)
    assert affinity.base_rate == Decimal("0.5")


def test_lift_and_its_interval_compare_the_share_with_the_base_rate():
    affinity = pair_affinity(1, 2, BOTH, COUNTS)
    assert affinity.lift == Decimal("1.6")
    low, high = wilson_interval(16, 20)
    assert affinity.lift_low == (low / Decimal("0.5")).quantize(Decimal("0.0001"))
    assert affinity.lift_high == (high / Decimal("0.5")).quantize(Decimal("0.0001"))
    # Owners of Q own P at 32% against a 20% base rate.
    assert pair_affinity(2, 1, BOTH, COUNTS).lift == Decimal("1.6")
    assert pair_affinity(2, 1, BOTH, COUNTS).confidence == Decimal("0.32")


def test_an_interval_above_the_base_rate_supports_the_pair():
    affinity = pair_affinity(1, 2, BOTH, COUNTS)
    assert affinity.confidence_low > affinity.base_rate
    assert affinity.verdict == Verdict.SUPPORTS
    assert affinity.has_evidence


def test_an_interval_below_the_base_rate_contradicts_the_pair():
    # 8 of 40 owners of P own S (20%, CI about 10-35%) where half of all customers do.
    affinity = pair_affinity(1, 4, ACQUIRER, COUNTS)
    assert affinity.confidence_high < affinity.base_rate == Decimal("0.5")
    assert affinity.verdict == Verdict.CONTRADICTS
    assert not affinity.has_evidence


def test_an_interval_spanning_the_base_rate_is_inconclusive():
    # 2 of 20 owners of P own R (10%, CI 3-30%) against a 10% base rate.
    affinity = pair_affinity(1, 3, BOTH, COUNTS)
    assert affinity.confidence_low < affinity.base_rate < affinity.confidence_high
    assert affinity.verdict == Verdict.INCONCLUSIVE


def test_no_evidence_only_when_too_few_owners_to_say():
    # R has 10 owners among the customers of both: fewer than the 20 needed.
    assert pair_affinity(3, 1, BOTH, COUNTS).verdict == Verdict.NO_EVIDENCE
    assert pair_affinity(1, 2, BOTH, COUNTS, Thresholds(min_owners=21)).verdict == (
        Verdict.NO_EVIDENCE
    )
    assert pair_affinity(1, 2, BOTH, COUNTS, Thresholds(min_owners=20)).verdict == (
        Verdict.SUPPORTS
    )


def test_a_supported_pair_needs_the_minimum_lift_to_be_suggested():
    assert not pair_affinity(1, 2, BOTH, COUNTS, Thresholds(min_lift=Decimal("1.7"))).has_evidence


def test_lift_exactly_at_the_threshold_counts():
    counts = InstallBaseCounts(
        populations={BOTH: 1000},
        owners={(BOTH, 1): 500, (BOTH, 2): 500},
        co_owners={(BOTH, 1, 2): 300},
    )
    affinity = pair_affinity(1, 2, BOTH, counts)
    assert affinity.lift == Decimal("1.2")
    assert affinity.has_evidence


def test_the_same_products_in_another_population_are_counted_there():
    # P's 40 owners among the acquirer's customers, not its 20 among customers of both.
    assert pair_affinity(1, 4, ACQUIRER, COUNTS).source_owners == 40
    assert pair_affinity(1, 4, BOTH, COUNTS).source_owners == 20


def test_a_pair_nobody_owns_together_has_zero_affinity():
    affinity = pair_affinity(3, 2, BOTH, COUNTS)
    assert (affinity.support, affinity.confidence, affinity.lift) == (0, 0, 0)
    assert not affinity.has_evidence


def test_an_empty_install_base_gives_zero_not_an_error():
    empty = InstallBaseCounts(populations={}, owners={}, co_owners={})
    affinity = pair_affinity(1, 2, BOTH, empty)
    assert (affinity.lift, affinity.lift_low, affinity.lift_high) == (0, 0, 0)
    assert affinity.verdict == Verdict.NO_EVIDENCE
    assert affinities(empty) == []


def test_affinities_come_strongest_lift_first():
    assert [a.pair for a in affinities(COUNTS)][:2] == [(1, 2), (2, 1)]


def test_suggestions_leave_out_mapped_pairs_and_pairs_without_evidence():
    assert [a.pair for a in suggestions(COUNTS, mapped=[(2, 1)])] == [(1, 2)]
    assert suggestions(COUNTS, mapped=[(1, 2), (2, 1)]) == []


def counted(merger) -> InstallBaseCounts:
    """The install base as the product map sees it after an analysis refresh."""
    account_statuses_refresh(merger_id=merger.pk)
    product_ownership_refresh(merger_id=merger.pk)
    return product_affinities(merger=merger)


@pytest.fixture
def catalogue(acquirer, acquired):
    return {
        "sensor": factories.ProductFactory(company=acquirer, name="Vibration sensor"),
        "gateway": factories.ProductFactory(company=acquirer, name="Gateway"),
        "analytics": factories.ProductFactory(company=acquired, name="Predictive analytics"),
        "training": factories.ProductFactory(company=acquired, name="Training"),
    }


def _both(merger, acquirer, acquired, a_products, b_products):
    account = account_owning(merger, acquirer, *a_products)
    record(account, acquired, *b_products)
    return account


@pytest.fixture
def install_base(merger, acquirer, acquired, catalogue):
    """Sixty customers of both and forty of the acquirer only.

    Of the customers of both, 24 own the sensor and 20 of them the analytics
    too, against 4 of the 36 others; 30 own the training, unrelated to the
    sensor. The acquirer's own customers own a gateway and no analytics.
    """
    sensor, gateway = catalogue["sensor"], catalogue["gateway"]
    analytics, training = catalogue["analytics"], catalogue["training"]
    for i in range(60):
        a_side = [sensor] if i < 24 else [gateway]
        b_side = [analytics] if i < 20 or 24 <= i < 28 else []
        b_side += [training] if i % 2 else []
        _both(
            merger,
            acquirer,
            acquired,
            a_side,
            b_side or [factories.ProductFactory(company=acquired)],
        )
    for _ in range(40):
        account_owning(merger, acquirer, gateway)
    counted(merger)


def test_co_ownership_is_counted_once_per_unified_account(merger, acquirer, acquired, catalogue):
    sensor, analytics = catalogue["sensor"], catalogue["analytics"]
    account = account_owning(merger, acquirer, sensor)
    # The same customer's other CRM record holds both again: still one co-owner.
    record(account, acquired, sensor, analytics)
    counts = counted(merger)
    assert counts.populations == {BOTH: 1, ACQUIRER: 1, Population.ACQUIRED: 1}
    assert counts.owners == {
        (BOTH, sensor.pk): 1,
        (BOTH, analytics.pk): 1,
        (ACQUIRER, sensor.pk): 1,
        (Population.ACQUIRED, analytics.pk): 1,
    }
    assert counts.co_owners == {
        (BOTH, sensor.pk, analytics.pk): 1,
        (BOTH, analytics.pk, sensor.pk): 1,
    }


def test_each_population_counts_its_own_customers(merger, acquirer, acquired, catalogue):
    sensor, gateway, analytics = catalogue["sensor"], catalogue["gateway"], catalogue["analytics"]
    _both(merger, acquirer, acquired, [sensor, gateway], [analytics])
    account_owning(merger, acquirer, sensor, gateway)
    account_owning(merger, acquired, analytics)
    counts = counted(merger)
    assert counts.populations == {BOTH: 1, ACQUIRER: 2, Population.ACQUIRED: 2}
    assert counts.owners[(ACQUIRER, sensor.pk)] == 2
    assert counts.owners[(BOTH, sensor.pk)] == 1
    # A pair within the acquirer's catalogue is counted among its customers only.
    assert counts.co_owners[(ACQUIRER, sensor.pk, gateway.pk)] == 2
    assert (BOTH, sensor.pk, gateway.pk) not in counts.co_owners


def test_counts_need_a_unified_account_and_stay_within_the_program(merger, acquirer, catalogue):
    factories.HoldingFactory(
        account=factories.SourceAccountFactory(company=acquirer, unified=None),
        product=catalogue["sensor"],
    )
    other_company = factories.CompanyFactory(role="acquirer")
    outsider = factories.UnifiedAccountFactory(merger=other_company.merger)
    record(outsider, other_company, factories.ProductFactory(company=other_company))
    counts = counted(merger)
    assert counts.populations == {}
    assert counts.owners == {}


def test_the_product_map_reads_the_counts_in_one_query(
    merger, install_base, django_assert_num_queries
):
    with django_assert_num_queries(1):
        counts = product_affinities(merger=merger)
    assert counts.populations == {BOTH: 60, ACQUIRER: 100, Population.ACQUIRED: 60}


def test_a_recount_replaces_the_counts_of_the_program_only(
    merger, acquirer, install_base, catalogue
):
    other_company = factories.CompanyFactory(role="acquirer")
    record(
        factories.UnifiedAccountFactory(merger=other_company.merger),
        other_company,
        factories.ProductFactory(company=other_company),
    )
    counted(other_company.merger)
    account_owning(merger, acquirer, catalogue["gateway"])

    counts = counted(merger)

    assert counts.owners[(ACQUIRER, catalogue["gateway"].pk)] == 77
    assert product_affinities(merger=other_company.merger).populations == {ACQUIRER: 1}


def test_an_unknown_program_has_nothing_to_count(db):
    assert product_ownership_refresh(merger_id=999_999) == 0


def test_the_analysis_refresh_recounts_ownership(merger, install_base):
    from accounts.services.refresh import merger_analysis_refresh

    ProductOwnership.objects.all().delete()
    assert merger_analysis_refresh(merger_id=merger.pk, notify=False)["ownership_rows"] > 0
    assert product_affinities(merger=merger).populations[BOTH] == 60


def test_strong_unmapped_cross_company_pairs_are_suggested(merger, install_base, catalogue):
    found = product_map_suggestions(merger=merger)
    pairs = {(s.source.name, s.target.name) for s in found}
    assert pairs == {
        ("Vibration sensor", "Predictive analytics"),
        ("Predictive analytics", "Vibration sensor"),
    }
    assert all(s.affinity.support == 20 for s in found)


def test_mapped_pairs_are_not_suggested_again(merger, install_base, catalogue):
    factories.ProductMappingFactory(
        merger=merger, source=catalogue["sensor"], target=catalogue["analytics"]
    )
    found = product_map_suggestions(merger=merger)
    assert [(s.source.pk, s.target.pk) for s in found] == [
        (catalogue["analytics"].pk, catalogue["sensor"].pk)
    ]


def test_mapped_pairs_get_a_verdict_from_the_customers_of_both(merger, install_base, catalogue):
    supported = factories.ProductMappingFactory(
        merger=merger,
        source=catalogue["sensor"],
        target=catalogue["analytics"],
        validated_with_customers=True,
    )
    unrelated = factories.ProductMappingFactory(
        merger=merger, source=catalogue["sensor"], target=catalogue["training"]
    )
    reverse = factories.ProductMappingFactory(
        merger=merger, source=catalogue["training"], target=catalogue["gateway"]
    )
    upgrade = factories.ProductMappingFactory(
        merger=merger,
        source=catalogue["gateway"],
        target=catalogue["sensor"],
        relation=ProductMapping.Relation.UPGRADE,
    )
    pairs = product_map_with_evidence(merger=merger)
    evidence = {e.mapping.pk: e for e in pairs}

    first = evidence[supported.pk]
    assert first.verdict == Verdict.SUPPORTS
    assert first.validated_with_customers
    # 20 of the sensor's 24 owners among the 60 customers of both, against 24 of 60.
    assert (first.affinity.population, first.affinity.source_owners) == (BOTH, 24)
    assert first.affinity.population_size == 60
    assert first.affinity.lift == Decimal("2.0833")
    assert evidence[unrelated.pk].verdict == Verdict.INCONCLUSIVE
    assert not evidence[unrelated.pk].no_evidence
    # The acquired company's training to the acquirer's gateway: 18 of the training's
    # 30 owners among customers of both own a gateway, as do 36 of all 60.
    backwards = evidence[reverse.pk].affinity
    assert (backwards.population, backwards.support, backwards.source_owners) == (BOTH, 18, 30)
    assert backwards.lift == 1
    assert backwards.verdict == Verdict.INCONCLUSIVE
    assert evidence[upgrade.pk].verdict == Verdict.NOT_MEASURED
    assert evidence[upgrade.pk].affinity.population == ACQUIRER
    summary = evidence_summary(pairs)
    assert (summary.supports, summary.not_measured) == (1, 1)
    assert (
        summary.supports
        + summary.contradicts
        + summary.inconclusive
        + (summary.no_evidence)
        + summary.not_measured
        == 4
    )


def test_a_pair_with_too_few_owners_has_no_evidence(merger, acquirer, acquired, catalogue):
    for _ in range(5):
        _both(merger, acquirer, acquired, [catalogue["sensor"]], [catalogue["analytics"]])
    counted(merger)
    mapping = factories.ProductMappingFactory(
        merger=merger, source=catalogue["sensor"], target=catalogue["analytics"]
    )
    [pair] = product_map_with_evidence(merger=merger)
    assert pair.mapping == mapping
    assert pair.affinity.lift == 1
    assert pair.no_evidence


def test_creating_a_pair_materialises_its_whitespace(
    merger, acquirer, catalogue, ops_user, django_capture_on_commit_callbacks
):
    owner = account_owning(merger, acquirer, catalogue["gateway"])
    with django_capture_on_commit_callbacks(execute=True):
        mapping = product_mapping_create(
            actor=ops_user,
            merger=merger,
            source=catalogue["gateway"],
            target=catalogue["training"],
            relation=ProductMapping.Relation.SERVICE,
            reason="New gateway owners need their team trained",
        )
    assert mapping.created_by == ops_user
    cell = WhitespaceCell.objects.get(account=owner)
    assert (cell.product, cell.via) == (catalogue["training"], mapping)


def test_a_pair_must_join_two_different_products_of_the_program(merger, catalogue, ops_user):
    foreign = factories.ProductFactory()
    with pytest.raises(ValidationError) as error:
        product_mapping_create(
            actor=ops_user,
            merger=merger,
            source=catalogue["sensor"],
            target=foreign,
            relation=ProductMapping.Relation.COMPLEMENTARY,
            reason="x",
        )
    assert "target" in error.value.message_dict
    with pytest.raises(ValidationError, match="cannot be mapped to itself"):
        product_mapping_create(
            actor=ops_user,
            merger=merger,
            source=catalogue["sensor"],
            target=catalogue["sensor"],
            relation=ProductMapping.Relation.COMPLEMENTARY,
            reason="x",
        )


def test_a_pair_cannot_be_mapped_twice(merger, catalogue, ops_user):
    kwargs = {
        "actor": ops_user,
        "merger": merger,
        "source": catalogue["sensor"],
        "target": catalogue["analytics"],
        "relation": ProductMapping.Relation.COMPLEMENTARY,
        "reason": "Sensors feed the analytics",
    }
    product_mapping_create(**kwargs)
    with pytest.raises(ValidationError, match="already in the product map"):
        product_mapping_create(**kwargs)


def test_an_unknown_relation_is_rejected(merger, catalogue, ops_user):
    with pytest.raises(ValidationError) as error:
        product_mapping_create(
            actor=ops_user,
            merger=merger,
            source=catalogue["sensor"],
            target=catalogue["analytics"],
            relation="synergy",
            reason="x",
        )
    assert "relation" in error.value.message_dict


def test_updating_a_pair_refreshes_its_whitespace(
    merger, acquirer, catalogue, ops_user, django_capture_on_commit_callbacks
):
    account_owning(merger, acquirer, catalogue["gateway"])
    mapping = factories.ProductMappingFactory(
        merger=merger, source=catalogue["gateway"], target=catalogue["training"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        product_mapping_update(
            actor=ops_user,
            mapping=mapping,
            relation=ProductMapping.Relation.UPGRADE,
            validated_with_customers=True,
        )
    mapping.refresh_from_db()
    assert mapping.validated_with_customers
    assert WhitespaceCell.objects.get(via=mapping).kind == "upsell"


def test_an_update_cannot_point_a_pair_at_itself(merger, catalogue, ops_user):
    mapping = factories.ProductMappingFactory(
        merger=merger, source=catalogue["gateway"], target=catalogue["training"]
    )
    with pytest.raises(ValidationError):
        product_mapping_update(actor=ops_user, mapping=mapping, target=catalogue["gateway"])


def test_only_map_fields_can_be_updated(merger, catalogue, ops_user):
    mapping = factories.ProductMappingFactory(
        merger=merger, source=catalogue["gateway"], target=catalogue["training"]
    )
    with pytest.raises(ValueError, match="not editable"):
        product_mapping_update(actor=ops_user, mapping=mapping, merger=factories.MergerFactory())


def test_deleting_a_pair_removes_its_candidates(
    merger, acquirer, catalogue, ops_user, django_capture_on_commit_callbacks
):
    account_owning(merger, acquirer, catalogue["gateway"])
    with django_capture_on_commit_callbacks(execute=True):
        mapping = product_mapping_create(
            actor=ops_user,
            merger=merger,
            source=catalogue["gateway"],
            target=catalogue["training"],
            relation=ProductMapping.Relation.SERVICE,
            reason="Training",
        )
    assert WhitespaceCell.objects.filter(merger=merger).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        product_mapping_delete(actor=ops_user, mapping=mapping)
    assert not WhitespaceCell.objects.filter(merger=merger).exists()


def test_the_migration_counts_existing_programs_as_the_refresh_does(merger, install_base):
    expected = counted(merger)
    ProductOwnership.objects.all().delete()
    migration = importlib.import_module("accounts.migrations.0011_evidence_risk_segments")

    migration.count_install_bases(django_apps, SimpleNamespace(connection=connection))

    assert product_affinities(merger=merger) == expected
