"""Exchange rates: entered or imported by sales ops; what depends on a rate follows it."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ExchangeRate
from scorecards.services.month_close import month_close
from tests import factories
from tests.history import field_lines
from tests.scorecards.test_hand_built_program import Clock
from tracker.models import Opportunity, SnapshotLine
from tracker.rate_csv import read_rate_file
from tracker.selectors.restatements import restatements_of_month
from tracker.services.exchange_rates import exchange_rate_set, exchange_rates_import_csv
from tracker.services.opportunities import opportunity_create, opportunity_update

D = Decimal
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def _file(text: str, name: str = "rates.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = name
    return data


# Reading a file, without a database


def test_every_bad_row_is_named_by_file_row_and_column():
    text = (
        "currency,month,rate\n"
        "EUR,2026-03,1.085\n"
        "XYZ,2026-03,1\n"
        "RUB,2026-13,0.011\n"
        "CNY,2026-03,-0.14\n"
        "USD,2026-03,1\n"
        "EUR,2026-03,1.09\n"
        "JPY,2026-03,\n"
    )
    result = read_rate_file(
        data=_file(text, "march.csv"), name="march.csv", reporting_currency="USD"
    )
    found = {(error.file, error.row, error.column) for error in result.errors}
    assert found == {
        ("march.csv", 3, "currency"),
        ("march.csv", 4, "month"),
        ("march.csv", 5, "rate"),
        ("march.csv", 6, "currency"),
        ("march.csv", 7, "month"),
        ("march.csv", 8, "rate"),
    }
    assert [(line.currency, line.month, line.rate) for line in result.lines] == [
        ("EUR", MAR, D("1.085"))
    ]


def test_a_file_without_the_columns_says_which_are_missing():
    result = read_rate_file(
        data=_file("code,value\nEUR,1\n"), name="r.csv", reporting_currency="USD"
    )
    assert result.file_errors and not result.lines
    assert "month" in result.file_errors[0] and "rate" in result.file_errors[0]


def test_a_decimal_comma_and_a_symbol_are_read():
    text = "Currency;Month;Rate\n€;2026-03-01;1,085\nRMB;2026-03;0,14\n"
    result = read_rate_file(data=_file(text), name="r.csv", reporting_currency="USD")
    assert result.errors == []
    assert [(line.currency, line.rate) for line in result.lines] == [
        ("EUR", D("1.085")),
        ("CNY", D("0.14")),
    ]


# Writing rates


@pytest.mark.django_db
def test_sales_ops_sets_a_rate_and_every_change_is_kept(merger, ops_user):
    exchange_rate_set(actor=ops_user, merger=merger, currency="eur", month=MAR, rate=D("1.08"))
    exchange_rate_set(actor=ops_user, merger=merger, currency="EUR", month=MAR, rate=D("1.09"))
    assert ExchangeRate.objects.get(merger=merger, currency="EUR", month=MAR).rate == D("1.09")
    history = [
        (line.old_value, line.new_value, line.changed_by)
        for line in field_lines(ExchangeRate, created=True, merger=merger, field="rate")
    ]
    assert [(D(old) if old else None, D(new), by) for old, new, by in history] == [
        (None, D("1.08"), ops_user),
        (D("1.08"), D("1.09"), ops_user),
    ]


@pytest.mark.django_db
def test_only_sales_ops_sets_rates_and_the_reporting_currency_has_none(
    merger, ops_user, rep_user, executive_user
):
    for user in (rep_user, executive_user):
        with pytest.raises(PermissionDenied):
            exchange_rate_set(actor=user, merger=merger, currency="EUR", month=MAR, rate=D("1"))
    with pytest.raises(ValidationError) as error:
        exchange_rate_set(actor=ops_user, merger=merger, currency="USD", month=MAR, rate=D("1"))
    assert "currency" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_second_rate_or_one_not_above_zero(merger):
    from django.db import IntegrityError, transaction

    ExchangeRate.objects.create(merger=merger, currency="EUR", month=MAR, rate=D("1"))
    for values in ({"month": MAR, "rate": D("2")}, {"month": FEB, "rate": D("0")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExchangeRate.objects.create(merger=merger, currency="EUR", **values)


@pytest.mark.django_db
def test_an_import_writes_every_row_or_none(merger, ops_user):
    bad = exchange_rates_import_csv(
        actor=ops_user,
        merger=merger,
        file=_file("currency,month,rate\nEUR,2026-03,1.08\nRUB,2026-03,zero\n"),
    )
    assert not bad.ok and [(e.row, e.column) for e in bad.errors] == [(3, "rate")]
    assert not ExchangeRate.objects.exists()
    checked = exchange_rates_import_csv(
        actor=ops_user,
        merger=merger,
        file=_file("currency,month,rate\nEUR,2026-03,1.08\n"),
        dry_run=True,
    )
    assert checked.ok and not ExchangeRate.objects.exists()
    good = exchange_rates_import_csv(
        actor=ops_user,
        merger=merger,
        file=_file("currency,month,rate\nEUR,2026-03,1.08\nRUB,2026-03,0.011\n"),
    )
    assert (good.created, good.updated, good.unchanged) == (2, 0, 0)


# What follows a rate


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.mark.django_db
def test_a_deal_in_euros_converts_at_its_months_rate_and_needs_one(
    merger, acquirer, acquired, rep, rep_user, ops_user, clock, django_capture_on_commit_callbacks
):
    merger.day_one = JAN
    merger.save()
    clock.at(dt.date(2026, 2, 5))
    account = factories.UnifiedAccountFactory(merger=merger)
    record = factories.SourceAccountFactory(company=acquirer, unified=account, is_customer=True)
    factories.HoldingFactory(
        account=record,
        product=factories.ProductFactory(company=acquirer),
        since=dt.date(2024, 1, 1),
    )
    product = factories.ProductFactory(company=acquired)
    stages = factories.stages_of(merger, "identified", "won")

    def log():
        return opportunity_create(
            actor=rep_user,
            merger=merger,
            account=account,
            product=product,
            owner=rep,
            stage=stages["identified"],
            expected_close=dt.date(2026, 4, 30),
            customer_need="Fewer unplanned stops",
            amount=D("1000"),
            currency="EUR",
        )

    with pytest.raises(ValidationError, match="No exchange rate for EUR in 2026-02"):
        log()
    ExchangeRate.objects.create(merger=merger, currency="EUR", month=FEB, rate=D("1.10"))
    deal = log()
    assert (deal.amount, deal.amount_original, deal.currency) == (D("1100.00"), D("1000"), "EUR")
    clock.at(dt.date(2026, 2, 20))
    deal.refresh_from_db()
    opportunity_update(
        actor=rep_user,
        opportunity=deal,
        expected_version=deal.version,
        changes={"stage": stages["won"], "closed_on": dt.date(2026, 2, 20)},
    )
    clock.at(dt.date(2026, 3, 1), hour=0)
    month_close(merger_id=merger.pk, month=JAN)
    month_close(merger_id=merger.pk, month=FEB)
    frozen = SnapshotLine.objects.get(
        snapshot__merger=merger, snapshot__month=FEB, scope="program"
    )
    assert frozen.realized_synergy == D("1100.00")

    # Sales ops corrects February's rate in March: the deal follows, February does not.
    clock.at(dt.date(2026, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_set(actor=ops_user, merger=merger, currency="EUR", month=FEB, rate=D("1.20"))
    deal.refresh_from_db()
    assert deal.amount == D("1200.00")
    change = field_lines(deal, field="amount")[-1]
    assert (change.old_value, change.new_value, change.changed_by) == (
        "1100.00",
        "1200.00",
        ops_user,
    )
    frozen.refresh_from_db()
    assert frozen.realized_synergy == D("1100.00")
    restated = restatements_of_month(merger=merger, month=MAR)
    assert [(item.opportunity_id, item.amount) for item in restated.items] == [
        (deal.pk, D("100.00"))
    ]


@pytest.mark.django_db
def test_open_deals_follow_the_current_months_rate(
    merger, acquirer, acquired, rep, rep_user, ops_user, django_capture_on_commit_callbacks
):
    month = timezone.localdate().replace(day=1)
    ExchangeRate.objects.create(merger=merger, currency="RUB", month=month, rate=D("0.011"))
    deal = factories.OpportunityFactory(merger=merger, owner=rep, amount=D("11.00"))
    Opportunity.objects.filter(pk=deal.pk).update(currency="RUB", amount_original=D("1000"))
    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_set(
            actor=ops_user, merger=merger, currency="RUB", month=month, rate=D("0.012")
        )
    deal.refresh_from_db()
    assert deal.amount == D("12.00")


# Pages and API


@pytest.mark.django_db
def test_the_page_lists_rates_and_what_waits_and_sales_ops_imports_a_file(
    client, merger, ops_user, rep_user, django_capture_on_commit_callbacks
):
    ExchangeRate.objects.create(merger=merger, currency="EUR", month=MAR, rate=D("1.085"))
    waiting = factories.SourceAccountFactory(
        company=factories.CompanyFactory(merger=merger), currency="JPY"
    )
    waiting.awaiting_rate, waiting.revenue_current_original = MAR, D("500000")
    waiting.save()
    client.force_login(rep_user)
    page = client.get(reverse("tracker:exchange_rates")).content.decode()
    assert "1.085" in page and "JPY" in page and "2026-03" in page
    assert 'name="rate"' not in page
    assert client.post(reverse("tracker:exchange_rates"), {"currency": "EUR"}).status_code == 403
    client.force_login(ops_user)
    upload = SimpleUploadedFile("rates.csv", b"currency,month,rate\nRUB,2026-03,abc\n")
    refused = client.post(reverse("tracker:exchange_rates"), {"file": upload})
    assert refused.status_code == 400
    assert "rates.csv, row 2, column rate" in refused.content.decode()
    upload = SimpleUploadedFile("rates.csv", b"currency,month,rate\nJPY,2026-03,0.0067\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tracker:exchange_rates"), {"file": upload})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.awaiting_rate, waiting.revenue_current) == (None, D("3350.00"))


@pytest.mark.django_db
def test_the_api_reads_for_everyone_and_writes_for_sales_ops(merger, ops_user, rep_user):
    api = APIClient()
    api.force_authenticate(rep_user)
    body = {"merger": merger.pk, "currency": "EUR", "month": "2026-03", "rate": "1.085"}
    assert api.post("/api/v1/exchange-rates/", body).status_code == 403
    api.force_authenticate(ops_user)
    created = api.post("/api/v1/exchange-rates/", body)
    assert created.status_code == 201, created.content
    assert created.json()["month"] == "2026-03"
    api.force_authenticate(rep_user)
    listed = api.get("/api/v1/exchange-rates/", {"merger": merger.pk}).json()
    assert [(row["currency"], row["rate"]) for row in listed["results"]] == [
        ("EUR", "1.0850000000")
    ]
