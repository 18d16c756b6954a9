"""CRM imports read each amount's currency and convert it, or say which rate is missing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.imports.columns import ACCOUNTS, INSTALL_BASE
from accounts.models import ExchangeRate, Holding, ImportJob, SourceAccount
from accounts.services.imports import import_preview, import_run
from accounts.services.products import product_update
from tests import factories
from tests.accounts.test_import_service import create, imported, media  # noqa: F401
from tracker.services.exchange_rates import amounts_convert_at_rates

pytestmark = pytest.mark.django_db
D = Decimal

ACCOUNTS_FILE = (
    "crm_id,name,revenue_current,revenue_prior\n"
    'A1,Euro Kunde,"€1,234","€1,000"\n'
    "A2,Yen Kaisha,JPY 500000,JPY 400000\n"
    'A3,Rouble OOO,"RUB 1 000",0\n'
    "A4,Dollar Inc,2500,2000\n"
)


# Every amount of an account: a file that leaves one out follows no rate correction.
EVERY_AMOUNT = (
    "crm_id,name,revenue_current,revenue_prior,credits_returns_12m\n"
    'A1,Euro Kunde,"€1,234","€1,000",€0\n'
    "A4,Dollar Inc,2500,2000,0\n"
)


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def rate(merger, currency: str, value: str) -> None:
    ExchangeRate.objects.create(
        merger=merger, currency=currency, month=this_month(), rate=D(value)
    )


@pytest.fixture
def program():
    merger = factories.MergerFactory(reporting_currency="USD")
    return merger, factories.CompanyFactory(merger=merger)


def test_each_amount_keeps_its_currency_and_converts_at_the_months_rate(program):
    merger, company = program
    rate(merger, "EUR", "1.1")
    rate(merger, "JPY", "0.0065")
    rate(merger, "RUB", "0.011")
    imported(merger, company, ACCOUNTS, ACCOUNTS_FILE)
    rows = {
        a.crm_id: (a.currency, a.revenue_current_original, a.revenue_current, a.awaiting_rate)
        for a in SourceAccount.objects.filter(company=company)
    }
    assert rows == {
        "A1": ("EUR", D("1234.00"), D("1357.40"), None),
        "A2": ("JPY", D("500000.00"), D("3250.00"), None),
        "A3": ("RUB", D("1000.00"), D("11.00"), None),
        "A4": ("USD", D("2500.00"), D("2500.00"), None),
    }


def test_a_missing_rate_is_reported_and_the_row_waits_until_the_rate_is_saved(program):
    merger, company = program
    rate(merger, "EUR", "1.1")
    rate(merger, "RUB", "0.011")
    job = imported(merger, company, ACCOUNTS, ACCOUNTS_FILE)
    waiting = SourceAccount.objects.get(company=company, crm_id="A2")
    assert (waiting.revenue_current, waiting.revenue_current_original) == (D("0"), D("500000"))
    assert waiting.awaiting_rate == this_month()
    notices = [(n["row"], n["column"], n["message"]) for n in job.notices]
    month = f"{this_month():%Y-%m}"
    assert (3, "revenue_current", f"No exchange rate for JPY in {month}.") == (
        notices[0][0],
        notices[0][1],
        notices[0][2].split(" The row")[0],
    )
    rate(merger, "JPY", "0.0065")
    amounts_convert_at_rates(merger_id=merger.pk, pairs={("JPY", this_month())}, actor_id=None)
    waiting.refresh_from_db()
    assert (waiting.revenue_current, waiting.revenue_prior, waiting.awaiting_rate) == (
        D("3250.00"),
        D("2600.00"),
        None,
    )


def test_the_import_can_refuse_rows_without_a_rate_naming_row_column_and_rate(program):
    merger, company = program
    rate(merger, "EUR", "1.1")
    job = create(
        merger, company, ACCOUNTS, ACCOUNTS_FILE, missing_rate=ImportJob.MissingRate.REFUSE
    )
    preview = import_preview(job=job)
    month = f"{this_month():%Y-%m}"
    found = {(p.row, p.column) for p in preview.problems if f"in {month}" in p.message}
    assert found == {(3, "revenue_current"), (3, "revenue_prior"), (4, "revenue_current")}
    job.status = ImportJob.Status.PREVIEWED
    job.save()
    import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not SourceAccount.objects.filter(company=company).exists()


def test_an_ambiguous_symbol_follows_the_declared_default_and_is_reported(program):
    merger, company = program
    rate(merger, "CNY", "0.14")
    job = imported(
        merger,
        company,
        ACCOUNTS,
        "crm_id,name,revenue_current\nC1,Yuan Co,¥700\nC2,Yuan Two,CN¥700\n",
        default_currency="CNY",
    )
    assert set(
        SourceAccount.objects.filter(company=company).values_list("currency", "revenue_current")
    ) == {("CNY", D("98.00"))}
    assert [(n["row"], n["column"]) for n in job.notices] == [(2, "revenue_current")]


def test_an_ambiguous_symbol_without_a_fitting_default_is_a_row_problem(program):
    merger, company = program
    job = create(merger, company, ACCOUNTS, "crm_id,name,revenue_current\nC1,Yen?,¥700\n")
    problems = import_preview(job=job).problems
    assert [(p.row, p.column) for p in problems] == [(2, "revenue_current")]
    assert "could be CNY, JPY" in problems[0].message


def test_a_currency_column_gives_the_row_its_currency(program):
    merger, company = program
    rate(merger, "EUR", "1.1")
    imported(merger, company, ACCOUNTS, "crm_id,name,Currency,revenue_current\nE1,Eu,eur,100\n")
    account = SourceAccount.objects.get(company=company)
    assert (account.currency, account.revenue_current) == ("EUR", D("110.00"))


def test_install_base_revenue_carries_its_currency(program):
    merger, company = program
    rate(merger, "RUB", "0.011")
    imported(merger, company, ACCOUNTS, "crm_id,name\nR1,Rouble\n")
    imported(merger, company, "products", "code,name\nP1,Product\n")
    imported(
        merger,
        company,
        INSTALL_BASE,
        'account_crm_id,product_code,annual_revenue\nR1,P1,"1.234,56 RUB"\n',
    )
    holding = Holding.objects.get(account__company=company)
    assert (holding.currency, holding.annual_revenue_original, holding.annual_revenue) == (
        "RUB",
        D("1234.56"),
        D("13.58"),
    )


def test_the_upload_form_takes_the_default_currency_and_the_missing_rate_rule(
    client, program, django_user_model
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from core.access import Role

    merger, company = program
    user = factories.UserFactory(username="ops-currency", role=Role.OPS)
    factories.MembershipFactory(merger=merger, user=user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:imports"),
        {
            "company": company.pk,
            "kind": ACCOUNTS,
            "file": SimpleUploadedFile("a.csv", b"crm_id,name,revenue_current\nY1,Yen,1000\n"),
            "default_currency": "jpy",
            "missing_rate": ImportJob.MissingRate.REFUSE,
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.default_currency, job.missing_rate) == ("JPY", "refuse")
    problems = import_preview(job=job).problems
    assert [(p.row, p.column) for p in problems] == [(2, "revenue_current")]


def test_the_pages_show_amounts_as_entered_waiting_rows_and_what_to_check(
    client, program, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from core.access import Role

    merger, company = program
    rate(merger, "EUR", "1.1")
    user = factories.UserFactory(username="ops-pages", role=Role.OPS)
    factories.MembershipFactory(merger=merger, user=user)
    client.force_login(user)
    job = create(
        merger,
        company,
        ACCOUNTS,
        "crm_id,name,revenue_current\nE1,Eu,€100\nG1,Gb,£50\nB1,Bad,€-5\n",
    )
    page = client.get(reverse("accounts:import_detail", args=[job.pk])).content.decode()
    assert "110.00 (100.00 EUR)" in page
    assert "waits for a rate (50.00 GBP)" in page
    assert "Money(" not in page
    job = imported(merger, company, ACCOUNTS, "crm_id,name,revenue_current\nG1,Gb,£50\n")
    page = client.get(reverse("accounts:import_detail", args=[job.pk])).content.decode()
    assert "No exchange rate for GBP" in page


def test_a_corrected_rate_converts_the_imported_amounts_again(program, ops_user):
    merger, company = program
    rate(merger, "EUR", "1.1")
    imported(merger, company, ACCOUNTS, EVERY_AMOUNT)
    euro, dollar = (SourceAccount.objects.get(company=company, crm_id=c) for c in ("A1", "A4"))
    assert (euro.rate_month, dollar.rate_month) == (this_month(), None)
    older = factories.SourceAccountFactory(
        company=company, currency="EUR", revenue_current=D("5"), revenue_current_original=D("4")
    )  # converted before the month was kept: left as it is
    ExchangeRate.objects.filter(merger=merger, currency="EUR").update(rate=D("1.2"))
    pairs = {("EUR", this_month())}
    assert amounts_convert_at_rates(merger_id=merger.pk, pairs=pairs, actor_id=None) == 1
    euro.refresh_from_db()
    assert (euro.revenue_current, euro.revenue_prior) == (D("1480.80"), D("1200.00"))
    older.refresh_from_db()
    assert older.revenue_current == D("5")
    assert amounts_convert_at_rates(merger_id=merger.pk, pairs=pairs, actor_id=None) == 0


def test_a_price_set_by_hand_is_in_the_reporting_currency_and_stays(program, ops_user):
    merger, company = program
    rate(merger, "EUR", "1.1")
    product = factories.ProductFactory(
        company=company,
        currency="EUR",
        list_price=D("110.00"),
        list_price_original=D("100"),
        rate_month=this_month(),
    )
    product_update(actor=ops_user, product=product, list_price=D("150.00"))
    ExchangeRate.objects.filter(merger=merger, currency="EUR").update(rate=D("1.2"))
    amounts_convert_at_rates(merger_id=merger.pk, pairs={("EUR", this_month())}, actor_id=None)
    product.refresh_from_db()
    assert (product.list_price, product.list_price_original, product.currency) == (
        D("150.00"),
        None,
        "",
    )


def test_one_price_set_by_hand_leaves_the_other_waiting_for_its_rate(program, ops_user):
    merger, company = program
    product = factories.ProductFactory(
        company=company,
        currency="EUR",
        list_price=D("0.00"),
        list_price_original=D("100"),
        typical_deal_size=D("0.00"),
        typical_deal_size_original=D("5000"),
        awaiting_rate=this_month(),
    )
    product_update(actor=ops_user, product=product, list_price=D("150.00"))
    rate(merger, "EUR", "1.2")
    amounts_convert_at_rates(merger_id=merger.pk, pairs={("EUR", this_month())}, actor_id=None)
    product.refresh_from_db()
    assert (product.list_price, product.typical_deal_size) == (D("150.00"), D("6000.00"))
    assert (product.currency, product.list_price_original, product.awaiting_rate) == (
        "EUR",
        None,
        None,
    )


def test_a_file_that_leaves_an_amount_out_follows_no_rate_correction(program):
    merger, company = program
    rate(merger, "GBP", "1.3")
    rate(merger, "EUR", "1.1")
    both = "crm_id,name,revenue_current,revenue_prior\nA1,Kunde,GBP 100,GBP 200\n"
    imported(merger, company, ACCOUNTS, both)
    imported(merger, company, ACCOUNTS, "crm_id,name,revenue_current\nA1,Kunde,EUR 100\n")
    account = SourceAccount.objects.get(company=company, crm_id="A1")
    # The amount left out keeps what the earlier file gave it, in pounds.
    assert (account.rate_month, account.revenue_prior_original) == (None, D("200.00"))
    ExchangeRate.objects.filter(merger=merger, currency="EUR").update(rate=D("1.2"))
    pairs = {("EUR", this_month())}
    amounts_convert_at_rates(merger_id=merger.pk, pairs=pairs, actor_id=None)
    account.refresh_from_db()
    assert (account.revenue_current, account.revenue_prior) == (D("110.00"), D("260.00"))


def test_an_import_converts_at_a_rate_saved_after_its_check(program, monkeypatch):
    merger, company = program
    rate(merger, "EUR", "1.1")
    # The check read the rates before sales ops saved the one there is now.
    read_at_check = {("EUR", this_month()): D("1.0")}
    monkeypatch.setattr(
        "accounts.services.imports.checking.rates_of", lambda **_kwargs: read_at_check
    )
    imported(merger, company, ACCOUNTS, EVERY_AMOUNT)
    account = SourceAccount.objects.get(company=company, crm_id="A1")
    assert (account.revenue_current, account.rate_month) == (D("1357.40"), this_month())
