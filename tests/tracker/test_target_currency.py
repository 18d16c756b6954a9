"""Synergy targets in any currency count in the reporting currency at their month's rate."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import ExchangeRate
from tests.history import field_lines
from tracker.models import SynergyTarget
from tracker.services.targets import Source, TargetCell, targets_import_csv, targets_set

pytestmark = pytest.mark.django_db
D = Decimal
FEB, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
MISSING = "No exchange rate for EUR in 2026-02."


@pytest.fixture
def eur_in_march(merger):
    assert merger.reporting_currency == "USD"
    return ExchangeRate.objects.create(merger=merger, currency="EUR", month=MARCH, rate=D("1.2"))


def _set(actor, merger, *cells):
    return targets_set(actor=actor, merger=merger, cells=list(cells), source=Source.API)


def test_a_target_in_euros_converts_at_its_months_rate(ops_user, merger, eur_in_march):
    _set(ops_user, merger, TargetCell(MARCH, None, D("1000"), D("100"), currency="EUR"))
    target = SynergyTarget.objects.get()
    assert (target.revenue_synergy, target.cross_sell) == (D("1200.00"), D("120.00"))
    assert (target.currency, target.revenue_synergy_original, target.cross_sell_original) == (
        "EUR",
        D("1000"),
        D("100"),
    )
    # One figure changed, without a currency: still in euros, the other kept as entered.
    _set(ops_user, merger, TargetCell(MARCH, None, cross_sell=D("200")))
    target.refresh_from_db()
    assert (target.currency, target.cross_sell, target.revenue_synergy) == (
        "EUR",
        D("240.00"),
        D("1200.00"),
    )
    fields = {line.field for line in field_lines(SynergyTarget, created=True)}
    assert {"currency", "cross_sell_original", "cross_sell"} <= fields


def test_changing_the_currency_of_one_figure_only_is_refused(ops_user, merger, eur_in_march):
    _set(ops_user, merger, TargetCell(MARCH, None, D("1000"), D("100"), currency="EUR"))
    with pytest.raises(ValidationError) as refused:
        _set(ops_user, merger, TargetCell(MARCH, None, cross_sell=D("5"), currency="USD"))
    assert "give both targets" in refused.value.message_dict["currency"][0]


def test_a_missing_rate_is_refused_naming_currency_and_month(ops_user, merger, eur_in_march):
    with pytest.raises(ValidationError) as refused:
        _set(ops_user, merger, TargetCell(FEB, None, cross_sell=D("5"), currency="EUR"))
    assert MISSING in refused.value.message_dict["currency"][0]
    assert not SynergyTarget.objects.exists()


def test_the_api_takes_a_currency_and_refuses_a_missing_rate(ops_user, merger, eur_in_march):
    api = APIClient()
    api.force_authenticate(ops_user)
    body = {"merger": merger.pk, "cross_sell": "100", "currency": "eur"}
    refused = api.post("/api/v1/synergy-targets/", {**body, "month": "2026-02"})
    assert refused.status_code == 400
    assert MISSING in str(refused.json())
    created = api.post("/api/v1/synergy-targets/", {**body, "month": "2026-03"})
    assert created.status_code == 201, created.json()
    assert (created.json()["cross_sell"], created.json()["cross_sell_original"]) == (
        "120.00",
        "100.00",
    )


def test_an_import_reports_a_missing_rate_by_file_row_and_column(ops_user, merger, eur_in_march):
    text = "month,segment,cross_sell\n2026-03,,€100\n2026-02,,EUR 5\n"
    data = io.BytesIO(text.encode())
    data.name = "targets.csv"
    result = targets_import_csv(actor=ops_user, merger=merger, file=data)
    assert [(e.file, e.row, e.column) for e in result.errors] == [("targets.csv", 3, "cross_sell")]
    assert MISSING in result.errors[0].message
    assert not SynergyTarget.objects.exists()
    data = io.BytesIO(b"month,segment,currency,cross_sell\n2026-03,,EUR,100\n")
    data.name = "targets.csv"
    assert targets_import_csv(actor=ops_user, merger=merger, file=data).ok
    assert SynergyTarget.objects.get().cross_sell == D("120.00")
