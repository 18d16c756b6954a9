"""A comp plan's money is entered in any currency and converted at its first month's rate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ExchangeRate
from tracker.models import CompPlan
from tracker.services.compensation import comp_plan_create, comp_plan_update

pytestmark = pytest.mark.django_db
D = Decimal
JAN = dt.date(2026, 1, 1)
MISSING = "No exchange rate for EUR in 2026-02."
TERMS = {
    "period_end": dt.date(2026, 12, 31),
    "target_variable_pay": D("24000"),
    "cross_sell_share_pct": D("25"),
    "spif_kind": "flat",
    "spif_amount": D("400"),
}


@pytest.fixture
def eur_in_january(merger):
    assert merger.reporting_currency == "USD"
    return ExchangeRate.objects.create(merger=merger, currency="EUR", month=JAN, rate=D("1.5"))


def test_a_plan_in_euros_converts_at_its_first_months_rate(merger, ops_user, eur_in_january):
    plan = comp_plan_create(
        actor=ops_user,
        merger=merger,
        name="EU",
        period_start=dt.date(2026, 1, 15),
        currency="eur",
        **TERMS,
    )
    plan.refresh_from_db()
    assert (plan.currency, plan.target_variable_pay_original, plan.spif_amount_original) == (
        "EUR",
        D("24000"),
        D("400"),
    )
    assert (plan.target_variable_pay, plan.spif_amount) == (D("36000.00"), D("600.00"))
    # A change of other terms keeps the money as entered.
    comp_plan_update(actor=ops_user, plan=plan, cross_sell_share_pct=D("30"))
    plan.refresh_from_db()
    assert (plan.target_variable_pay, plan.target_variable_pay_original) == (
        D("36000.00"),
        D("24000"),
    )


def test_a_plan_in_the_reporting_currency_needs_no_rate(merger, ops_user):
    plan = comp_plan_create(
        actor=ops_user, merger=merger, name="US", period_start=JAN, reps=[], **TERMS
    )
    assert (plan.currency, plan.target_variable_pay, plan.target_variable_pay_original) == (
        "USD",
        D("24000"),
        D("24000"),
    )


def test_a_missing_rate_is_refused_naming_currency_and_month(merger, ops_user, eur_in_january):
    with pytest.raises(ValidationError) as refused:
        comp_plan_create(
            actor=ops_user,
            merger=merger,
            name="Late",
            period_start=dt.date(2026, 2, 1),
            currency="EUR",
            **TERMS,
        )
    assert MISSING in refused.value.message_dict["currency"][0]
    assert not CompPlan.objects.exists()


def test_the_form_and_the_api_refuse_a_missing_rate(client, merger, ops_user, eur_in_january):
    data = {
        "name": "Pilot",
        "period_start": "2026-02-01",
        "period_end": "2026-06-30",
        "target_variable_pay": "24000",
        "cross_sell_share_pct": "25",
        "spif_kind": "flat",
        "spif_amount": "400",
        "spif_percent": "0",
        "recognition": "",
        "currency": "€",
    }
    client.force_login(ops_user)
    refused = client.post(reverse("tracker:comp_plan_create"), data)
    assert refused.status_code == 200
    assert MISSING in refused.content.decode()
    api = APIClient()
    api.force_authenticate(ops_user)
    body = {**data, "merger": merger.pk}
    refused = api.post("/api/v1/comp-plans/", body, format="json")
    assert refused.status_code == 400 and MISSING in str(refused.json())
    created = api.post("/api/v1/comp-plans/", {**body, "period_start": "2026-01-01"})
    assert created.status_code == 201, created.json()
    assert (created.json()["target_variable_pay"], created.json()["currency"]) == (
        "36000.00",
        "EUR",
    )
    plan = CompPlan.objects.get()
    edit = client.get(reverse("tracker:comp_plan_edit", args=[plan.pk])).context["form"]
    assert edit.initial["target_variable_pay"] == D("24000")
