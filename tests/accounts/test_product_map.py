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
    Thresholds,
    affinities,
    pair_affinity,
    suggestions,
)
from accounts.selectors.product_map import (
    product_affinities,
    product_map_suggestions,
    product_map_with_evidence,
)
from accounts.services.ownership import product_ownership_refresh
from accounts.services.product_map import (
    product_mapping_create,
    product_mapping_delete,
    product_mapping_update,
)
from tests import factories
from tests.accounts.install_base import account_owning, record

# 100 accounts: 20 own P (1), 50 own Q (2), 16 own both; 10 own R (3), 2 with P.
COUNTS = InstallBaseCounts(
    population=100,
    owners={1: 20, 2: 50, 3: 10},
    co_owners={(1, 2): 16, (2, 1): 16, (1, 3): 2, (3, 1): 2},
)


def test_confidence_is_the_share_of_source_owners_who_own_the_target():
    affinity = pair_affinity(1, 2, COUNTS)
    assert affinity.support == 16
    assert affinity.confidence == Decimal("0.8")
    assert affinity.base_rate == Decimal("0.5")


def test_lift_compares_confidence_with_the_targets_base_rate():
    assert pair_affinity(1, 2, COUNTS).lift == Decimal("1.6")
    # Owners of Q own P at 32% against a 20% base rate.
    assert pair_affinity(2, 1, COUNTS).lift == Decimal("1.6")
    assert pair_affinity(2, 1, COUNTS).confidence == Decimal("0.32")


def test_a_pair_needs_support_and_lift_to_count_as_evidence():
    assert pair_affinity(1, 2, COUNTS).has_evidence
    # Lift 1.0 with only 2 co-owners: neither enough support nor lift.
    assert not pair_affinity(1, 3, COUNTS).has_evidence
    assert not pair_affinity(1, 2, COUNTS, Thresholds(min_support=17)).has_evidence
    assert not pair_affinity(1, 2, COUNTS, Thresholds(min_lift=Decimal("1.7"))).has_evidence


def test_lift_exactly_at_the_threshold_counts():
    counts = InstallBaseCounts(population=10, owners={1: 5, 2: 5}, co_owners={(1, 2): 3})
    affinity = pair_affinity(1, 2, counts, Thresholds(min_support=3))
    assert affinity.lift == Decimal("1.2")
    assert affinity.has_evidence


def test_a_pair_nobody_owns_together_has_zero_affinity():
    affinity = pair_affinity(3, 2, COUNTS)
    assert (affinity.support, affinity.confidence, affinity.lift) == (0, 0, 0)
    assert not affinity.has_evidence


def test_an_empty_install_base_gives_zero_not_an_error():
    empty = InstallBaseCounts(population=0, owners={}, co_owners={})
    assert pair_affinity(1, 2, empty).lift == 0
    assert affinities(empty) == []


def test_affinities_come_strongest_lift_first():
    assert [a.pair for a in affinities(COUNTS)][:2] == [(1, 2), (2, 1)]


def test_suggestions_leave_out_mapped_pairs_and_pairs_without_evidence():
    assert [a.pair for a in suggestions(COUNTS, mapped=[(2, 1)])] == [(1, 2)]
    assert suggestions(COUNTS, mapped=[(1, 2), (2, 1)]) == []


def counted(merger) -> InstallBaseCounts:
    """The install base as the product map sees it after an analysis refresh."""
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


@pytest.fixture
def install_base(merger, acquirer, acquired, catalogue):
    """Ten accounts: six own sensor + analytics (customers of both), four own the gateway."""
    sensor, gateway, analytics = catalogue["sensor"], catalogue["gateway"], catalogue["analytics"]
    for _ in range(6):
        account = account_owning(merger, acquirer, sensor)
        record(account, acquired, analytics)
    for _ in range(4):
        account_owning(merger, acquirer, gateway)
    product_ownership_refresh(merger_id=merger.pk)


def test_co_ownership_is_counted_once_per_unified_account(merger, acquirer, acquired, catalogue):
    sensor, analytics = catalogue["sensor"], catalogue["analytics"]
    account = account_owning(merger, acquirer, sensor, analytics)
    # The same customer's other CRM record holds both again: still one co-owner.
    record(account, acquired, sensor, analytics)
    counts = counted(merger)
    assert counts.population == 1
    assert counts.owners == {sensor.pk: 1, analytics.pk: 1}
    assert counts.co_owners == {(sensor.pk, analytics.pk): 1, (analytics.pk, sensor.pk): 1}


def test_counts_need_a_unified_account_and_stay_within_the_program(merger, acquirer, catalogue):
    factories.HoldingFactory(
        account=factories.SourceAccountFactory(company=acquirer, unified=None),
        product=catalogue["sensor"],
    )
    other_company = factories.CompanyFactory(role="acquirer")
    outsider = factories.UnifiedAccountFactory(merger=other_company.merger)
    record(outsider, other_company, factories.ProductFactory(company=other_company))
    counts = counted(merger)
    assert counts.population == 0
    assert counts.owners == {}


def test_the_product_map_reads_the_counts_in_one_query(
    merger, install_base, django_assert_num_queries
):
    product_ownership_refresh(merger_id=merger.pk)
    with django_assert_num_queries(1):
        counts = product_affinities(merger=merger)
    assert counts.population == 10


def test_a_recount_replaces_the_counts_of_the_program_only(
    merger, acquirer, install_base, catalogue
):
    other_company = factories.CompanyFactory(role="acquirer")
    record(
        factories.UnifiedAccountFactory(merger=other_company.merger),
        other_company,
        factories.ProductFactory(company=other_company),
    )
    product_ownership_refresh(merger_id=other_company.merger_id)
    product_ownership_refresh(merger_id=merger.pk)
    account_owning(merger, acquirer, catalogue["gateway"])

    product_ownership_refresh(merger_id=merger.pk)

    assert product_affinities(merger=merger).owners[catalogue["gateway"].pk] == 5
    assert product_affinities(merger=other_company.merger).population == 1


def test_an_unknown_program_has_nothing_to_count(db):
    assert product_ownership_refresh(merger_id=999_999) == 0


def test_the_analysis_refresh_recounts_ownership(merger, install_base):
    from accounts.services.refresh import merger_analysis_refresh

    assert merger_analysis_refresh(merger_id=merger.pk, notify=False)["ownership_rows"] > 0
    assert product_affinities(merger=merger).population == 10


def test_strong_unmapped_cross_company_pairs_are_suggested(merger, install_base, catalogue):
    found = product_map_suggestions(merger=merger)
    pairs = {(s.source.name, s.target.name) for s in found}
    assert pairs == {
        ("Vibration sensor", "Predictive analytics"),
        ("Predictive analytics", "Vibration sensor"),
    }
    assert all(s.affinity.support == 6 for s in found)


def test_mapped_pairs_are_not_suggested_again(merger, install_base, catalogue):
    factories.ProductMappingFactory(
        merger=merger, source=catalogue["sensor"], target=catalogue["analytics"]
    )
    found = product_map_suggestions(merger=merger)
    assert [(s.source.pk, s.target.pk) for s in found] == [
        (catalogue["analytics"].pk, catalogue["sensor"].pk)
    ]


def test_mapped_pairs_without_co_ownership_are_flagged(merger, install_base, catalogue):
    supported = factories.ProductMappingFactory(
        merger=merger,
        source=catalogue["sensor"],
        target=catalogue["analytics"],
        validated_with_customers=True,
    )
    hopeful = factories.ProductMappingFactory(
        merger=merger, source=catalogue["gateway"], target=catalogue["training"]
    )
    evidence = {e.mapping.pk: e for e in product_map_with_evidence(merger=merger)}
    assert not evidence[supported.pk].no_evidence
    assert evidence[supported.pk].validated_with_customers
    assert evidence[supported.pk].affinity.lift == Decimal("1.6667")
    assert evidence[hopeful.pk].no_evidence
    assert not evidence[hopeful.pk].validated_with_customers
    assert evidence[hopeful.pk].affinity.support == 0


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
    migration = importlib.import_module("accounts.migrations.0007_product_ownership")

    migration.count_install_bases(django_apps, SimpleNamespace(connection=connection))

    assert product_affinities(merger=merger) == expected
