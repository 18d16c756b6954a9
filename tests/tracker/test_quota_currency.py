"""A quota is entered in any currency and counts in the reporting currency, at the rate
of its period's first month; without that rate it is refused, saying which rate."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ExchangeRate
from tests.history import field_lines
from tests.tracker.test_quota_pages import _board, _grid_post
from tracker.models import Quota
from tracker.services.quotas import quota_import_csv, quota_set

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
MISSING = "No exchange rate for EUR in 2026-03."


@pytest.fixture
def eur_in_april(merger):
    # The merger reports in USD; only April has a euro rate.
    assert merger.reporting_currency == "USD"
    return ExchangeRate.objects.create(merger=merger, currency="EUR", month=APRIL, rate=D("1.10"))


def _set(actor, rep, start, **kwargs):
    return quota_set(
        actor=actor,
        rep=rep,
        period_start=start,
        period_kind=kwargs.pop("period_kind", "month"),
        core_amount=D("100000"),
        cross_sell_amount=D("20000"),
        **kwargs,
    )


def test_a_quota_in_euros_converts_at_its_months_rate(leader_user, rep, eur_in_april):
    quota = _set(leader_user, rep, dt.date(2026, 4, 20), currency="eur")
    assert (quota.currency, quota.core_amount_original, quota.cross_sell_amount_original) == (
        "EUR",
        D("100000"),
        D("20000"),
    )
    assert (quota.core_amount, quota.cross_sell_amount) == (D("110000.00"), D("22000.00"))
    fields = {line.field for line in field_lines(quota, created=True)}
    assert {"currency", "core_amount_original", "cross_sell_amount"} <= fields


def test_a_quarter_converts_at_the_rate_of_its_first_month(leader_user, rep, merger):
    ExchangeRate.objects.create(merger=merger, currency="EUR", month=APRIL, rate=D("2"))
    ExchangeRate.objects.create(
        merger=merger, currency="EUR", month=dt.date(2026, 5, 1), rate=D("3")
    )
    quota = _set(leader_user, rep, dt.date(2026, 5, 3), period_kind="quarter", currency="EUR")
    assert quota.period_start == APRIL and quota.core_amount == D("200000.00")


def test_a_quota_in_the_reporting_currency_needs_no_rate(leader_user, rep):
    quota = _set(leader_user, rep, MARCH, currency="USD")
    assert (quota.core_amount, quota.core_amount_original, quota.currency) == (
        D("100000"),
        D("100000"),
        "USD",
    )
    # In the reporting currency the entered amounts would only repeat the history.
    assert len(field_lines(quota, created=True)) == 3


def test_a_missing_rate_is_refused_naming_currency_and_month(leader_user, rep, eur_in_april):
    with pytest.raises(ValidationError) as refused:
        _set(leader_user, rep, MARCH, currency="EUR")
    assert MISSING in refused.value.message_dict["currency"][0]
    assert not Quota.objects.exists()


def test_the_grid_refuses_a_missing_rate_on_its_row(client, leader_user, rep, eur_in_april):
    client.force_login(leader_user)
    data = _grid_post(_board(client), {rep.pk: {"core_amount": "5", "currency": "€"}})
    response = client.post(reverse("tracker:quotas"), data)
    assert response.status_code == 200
    assert MISSING in response.content.decode()
    assert not Quota.objects.exists()


def test_the_grid_shows_a_quota_as_entered(client, leader_user, rep, eur_in_april):
    _set(leader_user, rep, APRIL, currency="EUR")
    client.force_login(leader_user)
    form = client.get(reverse("tracker:quotas"), {"period": "2026-04"}).context["formset"][0]
    assert (form.initial["core_amount"], form.initial["currency"]) == (D("100000"), "EUR")


def test_the_api_takes_a_currency_and_refuses_a_missing_rate(leader_user, rep, eur_in_april):
    api = APIClient()
    api.force_authenticate(leader_user)
    body = {
        "rep": rep.pk,
        "period_kind": "month",
        "core_amount": "1000.00",
        "cross_sell_amount": "10.00",
        "currency": "EUR",
    }
    refused = api.post("/api/v1/quotas/", {**body, "period_start": "2026-03-01"}, format="json")
    assert refused.status_code == 400
    assert MISSING in str(refused.json())
    created = api.post("/api/v1/quotas/", {**body, "period_start": "2026-04-01"}, format="json")
    assert created.status_code == 201, created.json()
    shown = created.json()
    assert (shown["currency"], shown["core_amount_original"], shown["core_amount"]) == (
        "EUR",
        "1000.00",
        "1100.00",
    )
    # A change of one amount keeps the other as entered, in the quota's currency.
    changed = api.patch(
        f"/api/v1/quotas/{shown['id']}/", {"cross_sell_amount": "20", "version": 1}
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["core_amount"], changed.json()["cross_sell_amount"]) == (
        "1100.00",
        "22.00",
    )


def _file(text: str) -> io.BytesIO:
    data = io.BytesIO(text.encode())
    data.name = "quotas.csv"
    return data


def test_an_import_reads_currencies_and_reports_a_missing_rate_by_row(
    merger, ops_user, rep, eur_in_april
):
    text = "rep,period,currency,core,cross_sell\nrep,2026-04,EUR,100,10\nrep,2026-03,EUR,1,1\n"
    result = quota_import_csv(actor=ops_user, merger=merger, file=_file(text))
    assert [(e.row, e.column) for e in result.errors] == [(3, "currency")]
    assert MISSING in result.errors[0].message
    assert not Quota.objects.exists()
    marked = "rep,period,core,cross_sell\nrep,2026-04,€100,10\nrep,2026-03,200,0\n"
    result = quota_import_csv(actor=ops_user, merger=merger, file=_file(marked))
    assert result.ok, result.errors
    april = Quota.objects.get(period_start=APRIL)
    assert (april.currency, april.core_amount, april.cross_sell_amount) == (
        "EUR",
        D("110.00"),
        D("11.00"),
    )
    assert Quota.objects.get(period_start=MARCH).currency == "USD"
