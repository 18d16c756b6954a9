"""The install base side of a won deal: holdings the program writes, and what leaves them alone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from accounts.imports.columns import ACCOUNTS, INSTALL_BASE
from accounts.models import Holding, MatchDecision, SourceAccount
from accounts.services.imports import import_job_create, import_preview, import_run
from accounts.services.matching import accounts_match, unified_account_fields_refresh
from accounts.services.won_holdings import WonSale, program_crm_id, won_holdings_apply
from tests import factories

SOLD_ON = dt.date(2026, 2, 10)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def analytics(acquired):
    return factories.ProductFactory(company=acquired, name="Analytics", code="PDK-1")


@pytest.fixture
def buyer(merger, acquirer):
    account = factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")
    factories.SourceAccountFactory(company=acquirer, unified=account, crm_id="A1", name="Acme")
    return account


def sell(merger, account, product, amount="40000.00", on=SOLD_ON) -> dict:
    pair = (account.pk, product.pk)
    sale = WonSale(account.pk, product.pk, Decimal(amount), on)
    return won_holdings_apply(merger_id=merger.pk, pairs={pair}, sales={pair: sale})


def undo(merger, account, product) -> dict:
    return won_holdings_apply(merger_id=merger.pk, pairs={(account.pk, product.pk)}, sales={})


def test_a_sale_is_held_once_and_applying_it_again_changes_nothing(
    merger, buyer, analytics, django_assert_max_num_queries
):
    first = sell(merger, buyer, analytics)
    with django_assert_max_num_queries(6):
        again = sell(merger, buyer, analytics)

    assert first == again
    holding = Holding.objects.get(pk=first[(buyer.pk, analytics.pk)])
    assert holding.origin == Holding.Origin.WON_DEAL
    assert holding.account.crm_id == program_crm_id(buyer.pk)
    assert Holding.objects.count() == 1


def test_pairs_of_another_program_are_left_alone(merger, buyer, analytics):
    other = factories.MergerFactory()
    assert sell(other, buyer, analytics) == {}
    assert not Holding.objects.exists()


def test_undoing_a_sale_keeps_the_buyers_crm_record(merger, buyer, analytics, acquired):
    crm_record = factories.SourceAccountFactory(company=acquired, unified=buyer, crm_id="B7")
    sell(merger, buyer, analytics)
    assert Holding.objects.get().account == crm_record

    undo(merger, buyer, analytics)

    assert not Holding.objects.exists()
    assert SourceAccount.objects.filter(pk=crm_record.pk).exists()


def test_a_crm_id_of_the_program_cannot_be_a_crms(merger, acquired):
    with pytest.raises(IntegrityError):
        factories.SourceAccountFactory(company=acquired, crm_id=program_crm_id(1))


def _import(merger, company, kind, content):
    job = import_job_create(
        merger=merger,
        company=company,
        kind=kind,
        uploaded_file=SimpleUploadedFile("export.csv", content.encode()),
        actor=None,
    )
    assert import_preview(job=job).can_import
    return import_run(job_id=job.pk)


def test_a_reimport_of_the_selling_companys_crm_never_meets_the_programs_record(
    merger, buyer, analytics, acquired
):
    sell(merger, buyer, analytics)
    record = SourceAccount.objects.get(origin=SourceAccount.Origin.PROGRAM)
    crm_id = record.crm_id.strip()

    _import(merger, acquired, ACCOUNTS, f"crm_id,name\n{record.crm_id},Someone else\n")

    record.refresh_from_db()
    assert record.name == "Acme Mining"
    # The file's id, stripped of its spaces, is a CRM record of its own.
    assert SourceAccount.objects.get(company=acquired, crm_id=crm_id).name == "Someone else"


def test_a_crm_that_reports_the_sold_product_makes_the_holding_its_own(
    merger, buyer, analytics, acquired
):
    crm_record = factories.SourceAccountFactory(company=acquired, unified=buyer, crm_id="B7")
    sell(merger, buyer, analytics)

    _import(
        merger,
        acquired,
        INSTALL_BASE,
        "account_crm_id,product_code,annual_revenue,since\nB7,PDK-1,41000,2026-02-01\n",
    )

    holding = Holding.objects.get(account=crm_record)
    assert holding.origin == Holding.Origin.CRM
    assert holding.annual_revenue == Decimal("41000.00")
    # From now on the CRM's holding is the sale: undoing the deal leaves it.
    undo(merger, buyer, analytics)
    assert Holding.objects.filter(pk=holding.pk).exists()


def test_matching_leaves_the_programs_records_with_their_accounts(merger, buyer, analytics):
    sell(merger, buyer, analytics)
    record = SourceAccount.objects.get(origin=SourceAccount.Origin.PROGRAM)

    accounts_match(merger=merger, refresh_analysis=False)

    record.refresh_from_db()
    assert record.unified == buyer
    assert not MatchDecision.objects.filter(source=record).exists()


def test_an_accounts_name_and_domain_come_from_its_crm_records_only(merger, acquirer, acquired):
    account = factories.UnifiedAccountFactory(merger=merger, name="Old name")
    factories.SourceAccountFactory(
        company=acquired, unified=account, name="Borealis Metals", domain="borealis.example"
    )
    sensor = factories.ProductFactory(company=acquirer)
    sell(merger, account, sensor)  # a record at the acquirer, whose records usually come first

    unified_account_fields_refresh(merger_id=merger.pk, unified_ids=[account.pk])

    account.refresh_from_db()
    assert (account.name, account.domain) == ("Borealis Metals", "borealis.example")
