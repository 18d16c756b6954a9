"""Every product's family is one of the product's own company: the service names the
field, and PostgreSQL refuses any other write."""

import importlib
import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import Product, ProductFamily
from accounts.services.products import product_update
from tests import factories

POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")


@pytest.fixture
def companies(db):
    merger = factories.MergerFactory()
    return (
        factories.CompanyFactory(merger=merger, name="Sensa"),
        factories.CompanyFactory(merger=merger, name="Predikt"),
    )


def _refused(write) -> None:
    with (
        pytest.raises(IntegrityError, match="must belong to the company of the product"),
        transaction.atomic(),
    ):
        write()


@POSTGRESQL
def test_a_product_takes_a_family_of_its_own_company(companies):
    sensa, predikt = companies
    own = factories.FamilyFactory(company=sensa)
    product = factories.ProductFactory(company=sensa, family=own)
    foreign = factories.FamilyFactory(company=predikt)
    _refused(lambda: factories.ProductFactory(company=sensa, family=foreign))
    other = foreign
    _refused(lambda: Product.objects.filter(pk=product.pk).update(family=other))
    _refused(lambda: Product.objects.filter(pk=product.pk).update(company=predikt))
    _refused(
        lambda: Product.objects.bulk_create(
            [Product(company=predikt, code="X", name="X", family=own)]
        )
    )
    # Moving the product with a family of its new company, or without one, is fine.
    Product.objects.filter(pk=product.pk).update(company=predikt, family=other)
    Product.objects.filter(pk=product.pk).update(company=sensa, family=None)


@POSTGRESQL
def test_a_family_does_not_move_away_from_its_products(companies):
    sensa, predikt = companies
    family = factories.FamilyFactory(company=sensa)
    factories.ProductFactory(company=sensa, family=family)
    _refused(lambda: ProductFamily.objects.filter(pk=family.pk).update(company=predikt))
    empty = factories.FamilyFactory(company=sensa)
    ProductFamily.objects.filter(pk=empty.pk).update(company=predikt)


@POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_family_moved_while_a_product_joins_it_is_refused_after_the_product_commits():
    merger = factories.MergerFactory()
    sensa = factories.CompanyFactory(merger=merger, name="Sensa")
    predikt = factories.CompanyFactory(merger=merger, name="Predikt")
    family = factories.FamilyFactory(company=sensa)
    product_written, outcome = threading.Event(), {}

    def move_family() -> None:
        product_written.wait(timeout=30)
        try:
            # Waits for the product's transaction, then sees its product.
            ProductFamily.objects.filter(pk=family.pk).update(company=predikt)
        except IntegrityError as error:
            outcome["refused"] = str(error)
        finally:
            connection.close()

    mover = threading.Thread(target=move_family)
    mover.start()
    with transaction.atomic():
        factories.ProductFactory(company=sensa, family=family)
        product_written.set()
        mover.join(timeout=0.5)
        assert mover.is_alive()  # the family's row is locked by the product's check
    mover.join(timeout=30)
    assert "must belong to the company of the product" in outcome["refused"]
    assert ProductFamily.objects.get(pk=family.pk).company == sensa


def test_the_product_service_names_the_family_of_another_company(companies):
    sensa, predikt = companies
    product = factories.ProductFactory(company=sensa)
    with pytest.raises(ValidationError) as refusal:
        product_update(
            actor=factories.UserFactory(),
            product=product,
            family=factories.FamilyFactory(company=predikt),
        )
    assert refusal.value.message_dict == {"family": ["The family belongs to another company."]}


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the trigger refuses the data")
def test_the_migration_takes_products_out_of_another_companys_family(companies):
    sensa, predikt = companies
    foreign = factories.FamilyFactory(company=predikt)
    own = factories.FamilyFactory(company=sensa)
    stray = factories.ProductFactory(company=sensa)
    kept = factories.ProductFactory(company=sensa, family=own)
    Product.objects.filter(pk=stray.pk).update(family=foreign)
    migration = importlib.import_module("accounts.migrations.0031_product_family_of_its_company")
    migration.foreign_families_detach(apps, None)
    assert Product.objects.get(pk=stray.pk).family is None
    assert Product.objects.get(pk=kept.pk).family == own
