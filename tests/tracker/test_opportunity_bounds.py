"""Values an attack sent that used to be accepted: fractional ids, endless text, dates in
year 1 and year 9999."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from tests import factories
from tests.tracker.test_api_opportunities import new_opportunity_body
from tracker.models import MAX_CUSTOMER_NEED, Opportunity
from tracker.views.forms import OpportunityCreateForm

API = "/api/v1/opportunities/"


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won")


@pytest.fixture
def api(rep_user, rep):
    client = APIClient()
    client.force_authenticate(rep_user)
    return client


@pytest.mark.parametrize("account", [1.5, True, "1.5", "1e0", " 1"])
def test_an_account_id_that_is_not_a_whole_number_is_refused(api, merger, stages, account):
    body = new_opportunity_body(merger, stages)
    body["account"] = account if account != 1.5 else body["account"] + 0.5

    response = api.post(API, body, format="json")

    assert response.status_code == 400, response.json()
    assert "account" in response.json()
    assert not Opportunity.objects.exists()


def test_a_whole_number_id_as_text_is_still_accepted(api, merger, stages):
    body = new_opportunity_body(merger, stages)
    body["account"] = str(body["account"])
    assert api.post(API, body, format="json").status_code == 201


def test_a_customer_need_longer_than_the_limit_is_refused_by_api_form_and_database(
    api, merger, stages, rep
):
    long_need = "n" * (MAX_CUSTOMER_NEED + 1)
    response = api.post(
        API, new_opportunity_body(merger, stages, customer_need=long_need), format="json"
    )
    assert response.status_code == 400
    assert "customer_need" in response.json()

    form_field = OpportunityCreateForm.base_fields["customer_need"]
    assert form_field.max_length == MAX_CUSTOMER_NEED

    opportunity = factories.OpportunityFactory(
        merger=merger, owner=rep, stage=stages["identified"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(customer_need=long_need)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2080-01-01"])
def test_an_expected_close_far_from_the_program_is_refused(api, merger, stages, day):
    response = api.post(
        API, new_opportunity_body(merger, stages, expected_close=day), format="json"
    )

    assert response.status_code == 400, response.json()
    assert "expected_close" in response.json()


def test_an_expected_close_within_ten_years_is_accepted(api, merger, stages):
    day = (dt.date.today() + dt.timedelta(days=365 * 9)).isoformat()
    response = api.post(
        API, new_opportunity_body(merger, stages, expected_close=day), format="json"
    )
    assert response.status_code == 201, response.json()


def test_the_database_refuses_a_close_date_in_year_one(merger, rep, stages):
    opportunity = factories.OpportunityFactory(
        merger=merger, owner=rep, stage=stages["identified"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(expected_close=dt.date(1, 1, 1))
