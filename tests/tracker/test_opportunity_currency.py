"""A deal is entered in its customer's currency and shown in the reporting currency."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ExchangeRate
from tests import factories
from tests.tracker.test_opportunity_pages import form_data
from tracker.models import Opportunity

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def setup(merger, acquired, rep):
    stages = factories.stages_of(merger, "identified", "won", "lost")
    account = factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")
    product = factories.ProductFactory(company=acquired, name="Vibration sensors")
    month = timezone.localdate().replace(day=1)
    ExchangeRate.objects.create(merger=merger, currency="EUR", month=month, rate=D("1.10"))
    return account, product, stages


def test_a_rep_logs_a_deal_in_euros_and_sees_both_amounts(client, rep_user, rep, setup):
    account, product, _stages = setup
    client.force_login(rep_user)
    url = f"{reverse('tracker:opportunity_create')}?account={account.pk}"
    form = client.get(url).context["form"]
    data = form_data(
        form,
        product=product.pk,
        customer_need="Fewer unplanned stops",
        amount="20000",
        currency="eur",
        expected_close=(timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        owner=rep.pk,
        confirm="1",
    )
    response = client.post(reverse("tracker:opportunity_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    deal = Opportunity.objects.get()
    assert (deal.amount, deal.amount_original, deal.currency) == (D("22000.00"), D("20000"), "EUR")
    page = client.get(reverse("tracker:opportunity_detail", args=[deal.pk])).content.decode()
    assert "22,000" in page and "22,000.00" not in page and "€20,000.00 as entered" in page
    edit = client.get(reverse("tracker:opportunity_edit", args=[deal.pk])).context["form"]
    assert (edit["amount"].value(), edit["currency"].value()) == (D("20000.00"), "EUR")
    listed = client.get(reverse("tracker:pipeline")).content.decode()
    assert 'title="€20,000.00 as entered"' in listed


def test_without_a_rate_for_the_month_the_deal_is_refused_naming_the_rate(
    client, rep_user, rep, setup
):
    account, product, _stages = setup
    client.force_login(rep_user)
    url = f"{reverse('tracker:opportunity_create')}?account={account.pk}"
    form = client.get(url).context["form"]
    data = form_data(
        form,
        product=product.pk,
        customer_need="Fewer unplanned stops",
        amount="1000000",
        currency="RUB",
        expected_close=(timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        owner=rep.pk,
        confirm="1",
    )
    response = client.post(reverse("tracker:opportunity_create"), data)
    assert response.status_code == 200
    month = f"{timezone.localdate():%Y-%m}"
    assert f"No exchange rate for RUB in {month}." in " ".join(
        response.context["form"].errors["amount"]
    )
    assert not Opportunity.objects.exists()


def test_the_api_takes_a_currency_and_shows_both_amounts(rep_user, rep, setup):
    from rest_framework.test import APIClient

    account, product, stages = setup
    api = APIClient()
    api.force_authenticate(rep_user)
    created = api.post(
        "/api/v1/opportunities/",
        {
            "merger": account.merger_id,
            "account": account.pk,
            "product": product.pk,
            "stage": stages["identified"].pk,
            "amount": "1000.00",
            "currency": "EUR",
            "expected_close": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "customer_need": "Fewer unplanned stops",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["amount"], body["amount_original"], body["currency"]) == (
        "1100.00",
        "1000.00",
        "EUR",
    )
    changed = api.patch(
        f"/api/v1/opportunities/{body['id']}/",
        {"version": body["version"], "amount": "2000.00"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["amount"], changed.json()["currency"]) == ("2200.00", "EUR")
