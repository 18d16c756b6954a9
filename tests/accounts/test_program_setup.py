"""Setting a program up in the app: the program, its legacy companies, the first pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import LegacyCompany, Merger, ProgramMembership
from accounts.services.mergers import (
    CompanySpec,
    company_create,
    company_delete,
    company_update,
    merger_update,
    program_create,
)
from core.access import Role
from tests import factories

ACQUIRER, ACQUIRED = LegacyCompany.Role.ACQUIRER, LegacyCompany.Role.ACQUIRED
COMPANIES = [
    CompanySpec("Sensa Instruments", "Sensa", ACQUIRER, "salesforce"),
    CompanySpec("Predikt Analytics", "Predikt", ACQUIRED, "hubspot"),
]


@pytest.fixture
def ops(db):
    return factories.UserFactory(username="newops", role=Role.OPS)


def _create(actor, companies=COMPANIES, **fields):
    values = {
        "name": "Sensa + Predikt",
        "day_one": dt.date(2026, 1, 1),
        "reporting_currency": "EUR",
    }
    return program_create(actor=actor, companies=companies, **{**values, **fields})


def test_a_program_is_created_with_its_companies_and_its_creator_as_member(ops):
    leader = factories.UserFactory(username="cso")
    merger = _create(ops, accountable_leader=leader, horizon_months=36)

    assert merger.horizon_months == 36
    companies = {c.short_name: (c.role, c.crm) for c in merger.companies.all()}
    assert companies == {"Sensa": (ACQUIRER, "salesforce"), "Predikt": (ACQUIRED, "hubspot")}
    members = set(ProgramMembership.objects.filter(merger=merger).values_list("user__username"))
    assert members == {("newops",), ("cso",)}


@pytest.mark.parametrize(
    "companies",
    [
        [COMPANIES[0]],
        [COMPANIES[1], CompanySpec("Other", "O", ACQUIRED)],
        [COMPANIES[0], CompanySpec("Second", "S", ACQUIRER), COMPANIES[1]],
        [COMPANIES[0], CompanySpec("sensa instruments", "S2", ACQUIRED)],
    ],
    ids=["no acquired", "no acquirer", "two acquirers", "same name"],
)
def test_a_program_needs_one_acquirer_and_an_acquired_company(ops, companies):
    with pytest.raises(ValidationError):
        _create(ops, companies=companies)
    assert not Merger.objects.exists()


def test_program_names_are_unique_whatever_their_case(ops):
    _create(ops)
    with pytest.raises(ValidationError) as error:
        _create(ops, name="SENSA + predikt")
    assert "name" in error.value.message_dict


def test_naming_a_leader_later_makes_them_a_member(ops, merger):
    leader = factories.UserFactory(username="cso")
    merger_update(merger=merger, actor=ops, accountable_leader=leader)
    assert ProgramMembership.objects.filter(merger=merger, user=leader).exists()


def test_company_rules(ops, merger, acquirer, acquired):
    with pytest.raises(ValidationError) as error:
        company_create(
            actor=ops, merger=merger, name="Third", short_name="T", role=ACQUIRER, crm="other"
        )
    assert "role" in error.value.message_dict
    third = company_create(
        actor=ops, merger=merger, name="Third", short_name="T", role=ACQUIRED, crm="other"
    )
    company_update(actor=ops, company=third, name="Third Co", crm="hubspot")
    third.refresh_from_db()
    assert (third.name, third.crm) == ("Third Co", "hubspot")

    factories.SourceAccountFactory(company=acquired)
    with pytest.raises(ValidationError) as error:
        company_update(actor=ops, company=acquired, role=ACQUIRER)
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        company_delete(actor=ops, company=acquired)
    company_delete(actor=ops, company=third)
    assert not LegacyCompany.objects.filter(pk=third.pk).exists()


def test_a_company_with_reps_stays(ops, merger, acquirer, rep):
    with pytest.raises(ValidationError):
        company_delete(actor=ops, company=acquirer)


# Pages


def test_sales_ops_without_a_program_is_offered_to_set_one_up(client, ops):
    client.force_login(ops)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    assert reverse("accounts:program_create").encode() in response.content


def test_a_rep_without_a_program_is_told_to_ask_sales_ops(client, db):
    client.force_login(factories.UserFactory(role=Role.REP))
    response = client.get(reverse("accounts:home"))
    assert reverse("accounts:program_create").encode() not in response.content
    assert b"Ask your sales ops team" in response.content


def _program_post(**overrides) -> dict:
    data = {
        "program-name": "Sensa + Predikt",
        "program-day_one": "2026-01-01",
        "program-reporting_currency": "eur",
        "program-horizon_months": "48",
        "program-accountable_leader": "",
        "acquirer-name": "Sensa Instruments",
        "acquirer-short_name": "Sensa",
        "acquirer-crm": "salesforce",
        "acquired-name": "Predikt Analytics",
        "acquired-short_name": "Predikt",
        "acquired-crm": "hubspot",
        "another-name": "",
        "another-short_name": "",
        "another-crm": "other",
    }
    return {**data, **overrides}


def test_creating_a_program_lands_on_its_checklist(client, ops):
    client.force_login(ops)
    response = client.post(reverse("accounts:program_create"), _program_post(), follow=True)

    merger = Merger.objects.get()
    assert merger.reporting_currency == "EUR"
    assert merger.companies.count() == 2
    assert response.redirect_chain[-1][0] == reverse("accounts:home")
    page = response.content.decode()
    assert "Set up the program" in page
    assert "Next: Import each company" in page


def test_a_third_company_can_be_named_at_creation(client, ops):
    client.force_login(ops)
    client.post(
        reverse("accounts:program_create"),
        _program_post(**{"another-name": "Third Co", "another-short_name": "Third"}),
    )
    roles = sorted(Merger.objects.get().companies.values_list("role", flat=True))
    assert roles == [ACQUIRED, ACQUIRED, ACQUIRER]


def test_program_form_errors_are_shown_and_nothing_is_created(client, ops):
    client.force_login(ops)
    response = client.post(
        reverse("accounts:program_create"),
        _program_post(**{"program-reporting_currency": "eu1", "acquired-name": ""}),
    )
    assert response.status_code == 400
    assert b"three-letter ISO 4217 code" in response.content
    assert not Merger.objects.exists()


def test_program_settings_save_through_the_service(client, merger, ops_user, acquirer, acquired):
    client.force_login(ops_user)
    response = client.post(
        reverse("accounts:program_settings"),
        {
            "name": merger.name,
            "day_one": "2026-02-01",
            "reporting_currency": "USD",
            "horizon_months": "60",
            "accountable_leader": ops_user.pk,
            "stale_after_days": "21",
        },
    )
    assert response.status_code == 302
    merger.refresh_from_db()
    assert (merger.day_one, merger.horizon_months, merger.stale_after_days) == (
        dt.date(2026, 2, 1),
        60,
        21,
    )
    assert merger.accountable_leader == ops_user


def test_companies_are_added_and_edited_on_the_settings_page(client, merger, ops_user, acquirer):
    client.force_login(ops_user)
    response = client.post(
        reverse("accounts:company_create"),
        {"name": "Predikt Analytics", "short_name": "Predikt", "role": ACQUIRED, "crm": "hubspot"},
    )
    assert response.status_code == 302
    predikt = LegacyCompany.objects.get(name="Predikt Analytics")
    response = client.post(
        reverse("accounts:company_update", args=[predikt.pk]),
        {"name": "Predikt", "short_name": "P", "role": ACQUIRER, "crm": "hubspot"},
    )
    assert response.status_code == 400
    assert b"has its acquirer already" in response.content


def test_the_api_names_a_leader_who_shares_a_program_and_makes_them_a_member(
    ops_user, leader_user, outsider_user
):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(ops_user)
    body = {"name": "Next deal", "day_one": "2026-09-01", "reporting_currency": "EUR"}
    refused = client.post("/api/v1/mergers/", {**body, "accountable_leader": outsider_user.pk})
    assert refused.status_code == 400
    created = client.post("/api/v1/mergers/", {**body, "accountable_leader": leader_user.pk})
    assert created.status_code == 201
    merger = Merger.objects.get(pk=created.json()["id"])
    assert set(merger.members.values_list("username", flat=True)) == {"ops", "leader"}
