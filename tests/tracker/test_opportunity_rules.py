"""Opportunity rules: warnings that ask to confirm, "don't sell" overrides, duplicates, bulk."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import Direction, Kind, ProductMapping, RecordChange, UnifiedAccount
from core.signals import program_data_changed
from tests import factories
from tests.history import field_lines
from tracker.models import Opportunity, Stage
from tracker.opportunity_rules import (
    SMALL_CROSS_SELL,
    UPSELL_RAISE,
    CurrentSpend,
    opportunity_warnings,
    suggested_amount,
)
from tracker.selectors.opportunities import account_current_spend
from tracker.services.bulk import BulkStatus, opportunities_bulk_change
from tracker.services.opportunities import (
    DuplicateOpen,
    WarningsNotConfirmed,
    opportunity_create,
    opportunity_update,
)

API = "/api/v1/opportunities/"
DONT_SELL = UnifiedAccount.Recommendation.DONT_SELL
UPSELL_ONLY = UnifiedAccount.Recommendation.UPSELL_ONLY


# Pure rules: no database.


def spend(amount: str, *, upgraded_from: bool = False) -> CurrentSpend:
    return CurrentSpend(Decimal(amount), "Storage 1TB", upgraded_from=upgraded_from)


def codes(warnings) -> list[str]:
    return [warning.code for warning in warnings]


def test_an_upsell_raising_spend_by_more_than_a_quarter_warns():
    warnings = opportunity_warnings(
        kind=Kind.UPSELL,
        amount=Decimal("3000"),
        current_spend=spend("10000"),
        typical_core_deal=Decimal("0"),
    )
    assert codes(warnings) == [UPSELL_RAISE]
    assert "30%" in warnings[0].message
    assert warnings[0].field == "amount"


def test_an_upsell_of_exactly_a_quarter_does_not_warn():
    warnings = opportunity_warnings(
        kind=Kind.UPSELL,
        amount=Decimal("2500"),
        current_spend=spend("10000"),
        typical_core_deal=Decimal("0"),
    )
    assert warnings == []


def test_an_upsell_over_an_upgraded_product_names_what_it_upgrades():
    warnings = opportunity_warnings(
        kind=Kind.UPSELL,
        amount=Decimal("5000"),
        current_spend=spend("10000", upgraded_from=True),
        typical_core_deal=Decimal("0"),
    )
    assert "which it upgrades" in warnings[0].message


def test_an_upsell_with_nothing_to_compare_with_does_not_warn():
    assert (
        opportunity_warnings(
            kind=Kind.UPSELL,
            amount=Decimal("5000"),
            current_spend=None,
            typical_core_deal=Decimal("0"),
        )
        == []
    )


def test_a_cross_sell_under_a_tenth_of_the_core_deal_warns():
    warnings = opportunity_warnings(
        kind=Kind.CROSS_SELL,
        amount=Decimal("4999.99"),
        current_spend=None,
        typical_core_deal=Decimal("50000"),
    )
    assert codes(warnings) == [SMALL_CROSS_SELL]
    assert "50,000.00" in warnings[0].message


def test_a_cross_sell_of_a_tenth_or_more_does_not_warn():
    assert (
        opportunity_warnings(
            kind=Kind.CROSS_SELL,
            amount=Decimal("5000"),
            current_spend=None,
            typical_core_deal=Decimal("50000"),
        )
        == []
    )


def test_an_amount_not_yet_estimated_warns_of_nothing():
    assert (
        opportunity_warnings(
            kind=Kind.CROSS_SELL,
            amount=Decimal("0"),
            current_spend=None,
            typical_core_deal=Decimal("50000"),
        )
        == []
    )


def test_a_suggested_upsell_stays_within_the_quarter_rule():
    amount = suggested_amount(
        kind=Kind.UPSELL, typical_deal_size=Decimal("25000"), current_spend=spend("40000")
    )
    assert amount == Decimal("10000.00")
    cross = suggested_amount(
        kind=Kind.CROSS_SELL, typical_deal_size=Decimal("25000"), current_spend=None
    )
    assert cross == Decimal("25000")


# With the database.


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won")


@pytest.fixture
def account(merger):
    return factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")


@pytest.fixture
def product(acquired):
    return factories.ProductFactory(company=acquired, name="Storage 2TB")


@pytest.fixture
def create(merger, account, product, rep, rep_user, stages):
    def create(**overrides):
        fields = {
            "actor": rep_user,
            "merger": merger,
            "account": account,
            "product": product,
            "owner": rep,
            "stage": stages["identified"],
            "expected_close": dt.date(2026, 9, 30),
            "customer_need": "Their archive outgrows the current plan",
            "amount": Decimal("40000.00"),
        }
        return opportunity_create(**{**fields, **overrides})

    return create


def hold(account, company, product, revenue: str):
    source = factories.SourceAccountFactory(company=company, unified=account)
    return factories.HoldingFactory(account=source, product=product, annual_revenue=revenue)


def test_current_spend_sums_the_product_over_the_accounts_crm_records(
    account, acquirer, acquired, product
):
    hold(account, acquired, product, "6000.00")
    hold(account, acquirer, product, "4000.00")
    assert account_current_spend(account_id=account.pk, product=product) == CurrentSpend(
        Decimal("10000.00"), "Storage 2TB"
    )


def test_current_spend_of_an_unowned_upgrade_is_what_it_upgrades(
    merger, account, acquired, product
):
    smaller = factories.ProductFactory(company=acquired, name="Storage 1TB")
    factories.ProductMappingFactory(
        merger=merger, source=smaller, target=product, relation=ProductMapping.Relation.UPGRADE
    )
    hold(account, acquired, smaller, "8000.00")
    found = account_current_spend(account_id=account.pk, product=product)
    assert found == CurrentSpend(Decimal("8000.00"), "Storage 1TB", upgraded_from=True)


def test_a_complementary_product_is_not_an_upgrade_source(merger, account, acquired, product):
    other = factories.ProductFactory(company=acquired)
    factories.ProductMappingFactory(merger=merger, source=other, target=product)
    hold(account, acquired, other, "8000.00")
    assert account_current_spend(account_id=account.pk, product=product) is None


def test_unconfirmed_warnings_write_nothing(create, account, acquired, product):
    hold(account, acquired, product, "10000.00")
    with pytest.raises(WarningsNotConfirmed) as excinfo:
        create(kind=Kind.UPSELL, amount=Decimal("4000"), warnings_confirmed=False)
    assert codes(excinfo.value.warnings) == [UPSELL_RAISE]
    assert not Opportunity.objects.exists()


def test_confirmed_warnings_save(create, account, acquired, product):
    hold(account, acquired, product, "10000.00")
    opportunity = create(kind=Kind.UPSELL, amount=Decimal("4000"), warnings_confirmed=True)
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("4000.00")


def test_a_small_cross_sell_asks_to_confirm_against_the_owners_core_deal(create, rep):
    rep.typical_core_deal = Decimal("100000")
    rep.save()
    with pytest.raises(WarningsNotConfirmed) as excinfo:
        create(amount=Decimal("9000"), warnings_confirmed=False)
    assert codes(excinfo.value.warnings) == [SMALL_CROSS_SELL]


def test_an_update_asks_again_only_when_a_warned_value_changes(create, rep_user):
    opportunity = create(amount=Decimal("1000"))  # warned, confirmed by default
    opportunity = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=1,
        changes={"next_step": "Call the CFO"},
        warnings_confirmed=False,
    )
    assert opportunity.version == 2
    with pytest.raises(WarningsNotConfirmed):
        opportunity_update(
            actor=rep_user,
            opportunity=opportunity,
            expected_version=2,
            changes={"amount": Decimal("1200")},
            warnings_confirmed=False,
        )


def test_a_rep_is_told_to_ask_their_leader_on_a_dont_sell_account(create, account):
    account.recommendation = DONT_SELL
    account.save()
    with pytest.raises(ValidationError) as excinfo:
        create(risk_override_reason="I think it is fine")
    [message] = excinfo.value.message_dict["account"]
    assert "Ask your sales leader" in message
    assert not Opportunity.objects.exists()


def test_a_leader_must_say_why_they_override_the_risk_screen(create, account, leader_user):
    account.recommendation = DONT_SELL
    account.save()
    with pytest.raises(ValidationError) as excinfo:
        create(actor=leader_user)
    assert "risk_override_reason" in excinfo.value.message_dict


def test_a_leaders_override_is_recorded_with_name_and_reason(create, account, leader_user):
    account.recommendation = DONT_SELL
    account.save()
    opportunity = create(actor=leader_user, risk_override_reason="  CFO asked us directly  ")
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert (stored.risk_override_reason, stored.risk_override_by) == (
        "CFO asked us directly",
        leader_user,
    )
    [row] = field_lines(stored, action=RecordChange.Action.OVERRIDDEN)
    assert (row.changed_by, row.new_value) == (leader_user, "CFO asked us directly")


def test_moving_an_opportunity_onto_a_dont_sell_account_needs_the_override(
    create, merger, rep_user, leader_user
):
    opportunity = create()
    risky = factories.UnifiedAccountFactory(merger=merger, recommendation=DONT_SELL)
    with pytest.raises(ValidationError) as excinfo:
        opportunity_update(
            actor=rep_user,
            opportunity=opportunity,
            expected_version=1,
            changes={"account": risky},
        )
    assert "Ask your sales leader" in excinfo.value.message_dict["account"][0]
    moved = opportunity_update(
        actor=leader_user,
        opportunity=opportunity,
        expected_version=1,
        changes={"account": risky},
        risk_override_reason="Signed framework covers it",
    )
    assert moved.risk_override_by == leader_user
    actions = {(line.action, line.field) for line in field_lines(opportunity)}
    assert ("overridden", "risk_override_reason") in actions
    assert ("changed", "account") in actions


def test_a_rep_cannot_log_a_cross_sell_on_an_upsell_only_account(create, account):
    account.recommendation = UPSELL_ONLY
    account.save()
    with pytest.raises(ValidationError) as excinfo:
        create(kind=Kind.CROSS_SELL, risk_override_reason="They asked for it")
    [message] = excinfo.value.message_dict["kind"]
    assert "upsell only for Acme Mining" in message
    assert "Log an upsell, or ask your sales leader" in message
    assert not Opportunity.objects.exists()


def test_an_upsell_on_an_upsell_only_account_is_fine(create, account):
    account.recommendation = UPSELL_ONLY
    account.save()
    opportunity = create(kind=Kind.UPSELL, amount=Decimal("4000.00"))
    assert (opportunity.kind, opportunity.risk_override_reason) == (Kind.UPSELL, "")


def test_a_leader_logs_a_cross_sell_on_an_upsell_only_account_with_a_reason(
    create, account, leader_user
):
    account.recommendation = UPSELL_ONLY
    account.save()
    with pytest.raises(ValidationError) as excinfo:
        create(actor=leader_user, kind=Kind.CROSS_SELL)
    assert "upsell only" in excinfo.value.message_dict["risk_override_reason"][0]
    opportunity = create(
        actor=leader_user, kind=Kind.CROSS_SELL, risk_override_reason="New plant, new budget"
    )
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert (stored.risk_override_reason, stored.risk_override_by) == (
        "New plant, new budget",
        leader_user,
    )
    assert field_lines(stored, action=RecordChange.Action.OVERRIDDEN, actor=leader_user)


def test_turning_an_upsell_into_a_cross_sell_on_an_upsell_only_account_needs_the_override(
    create, account, rep_user, leader_user
):
    account.recommendation = UPSELL_ONLY
    account.save()
    opportunity = create(kind=Kind.UPSELL, amount=Decimal("4000.00"))
    # Other changes to the upsell go through as before.
    opportunity = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=1,
        changes={"amount": Decimal("4500.00")},
    )
    with pytest.raises(ValidationError) as excinfo:
        opportunity_update(
            actor=rep_user,
            opportunity=opportunity,
            expected_version=2,
            changes={"kind": Kind.CROSS_SELL},
        )
    assert "upsell only" in excinfo.value.message_dict["kind"][0]
    changed = opportunity_update(
        actor=leader_user,
        opportunity=opportunity,
        expected_version=2,
        changes={"kind": Kind.CROSS_SELL},
        risk_override_reason="Bought a second site",
    )
    assert (changed.kind, changed.risk_override_by) == (Kind.CROSS_SELL, leader_user)


def test_moving_a_cross_sell_onto_an_upsell_only_account_needs_the_override(
    create, merger, rep_user
):
    opportunity = create(kind=Kind.CROSS_SELL)
    careful = factories.UnifiedAccountFactory(merger=merger, recommendation=UPSELL_ONLY)
    with pytest.raises(ValidationError) as excinfo:
        opportunity_update(
            actor=rep_user,
            opportunity=opportunity,
            expected_version=1,
            changes={"account": careful},
        )
    assert "upsell only" in excinfo.value.message_dict["kind"][0]


def test_a_duplicate_names_the_first_opportunity_by_id(create):
    first = create()
    with pytest.raises(DuplicateOpen) as excinfo:
        create()
    assert excinfo.value.existing_id == first.pk
    assert f"#{first.pk}" in excinfo.value.message_dict["product"][0]


def test_every_write_tells_the_scores_once_it_commits(
    create, rep_user, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, merger_id, **kwargs):
        heard.append(merger_id)

    program_data_changed.connect(receiver, dispatch_uid="test-heard")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            opportunity = create()
        with django_capture_on_commit_callbacks(execute=True):
            opportunity_update(
                actor=rep_user,
                opportunity=opportunity,
                expected_version=1,
                changes={"next_step": "Demo"},
            )
    finally:
        program_data_changed.disconnect(dispatch_uid="test-heard")
    assert heard == [opportunity.merger_id, opportunity.merger_id]


# Bulk changes.


def test_bulk_moves_each_item_with_history_and_refuses_the_rest(
    merger, rep, other_rep, leader_user, stages, product
):
    mine = [
        factories.OpportunityFactory(
            merger=merger, owner=rep, product=product, stage=stages["identified"]
        )
        for _ in range(2)
    ]
    stale = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )
    not_covered = factories.OpportunityFactory(
        merger=merger, owner=other_rep, product=product, stage=stages["identified"]
    )
    outcome = opportunities_bulk_change(
        actor=leader_user,
        merger=merger,
        items=[(o.pk, 1) for o in mine] + [(stale.pk, 7), (not_covered.pk, 1), (999999, 1)],
        stage=stages["proposal"],
    )
    by_id = {result.opportunity_id: result for result in outcome.results}
    assert [by_id[o.pk].status for o in mine] == [BulkStatus.CHANGED, BulkStatus.CHANGED]
    assert by_id[stale.pk].status is BulkStatus.REFUSED
    assert "version" in by_id[stale.pk].message
    assert by_id[not_covered.pk].status is BulkStatus.REFUSED
    assert by_id[999999].status is BulkStatus.REFUSED
    assert Opportunity.objects.get(pk=not_covered.pk).stage == stages["identified"]
    [row] = field_lines(mine[0], field="stage")
    assert (row.changed_by, row.old_value, row.new_value) == (
        leader_user,
        f"Identified (#{stages['identified'].pk})",
        f"Proposal (#{stages['proposal'].pk})",
    )


def test_bulk_closing_won_without_a_date_is_refused_per_item(
    merger, rep, leader_user, stages, product
):
    opportunity = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["proposal"]
    )
    refused = opportunities_bulk_change(
        actor=leader_user, merger=merger, items=[(opportunity.pk, 1)], stage=stages["won"]
    )
    assert refused.results[0].status is BulkStatus.REFUSED
    assert "close date" in refused.results[0].message
    won = opportunities_bulk_change(
        actor=leader_user,
        merger=merger,
        items=[(opportunity.pk, 1)],
        stage=stages["won"],
        closed_on=dt.date(2026, 1, 15),
    )
    assert won.results[0].status is BulkStatus.CHANGED
    assert Opportunity.objects.get(pk=opportunity.pk).outcome == Stage.Outcome.WON


def test_bulk_needs_a_stage_or_an_owner(merger, leader_user):
    with pytest.raises(ValidationError):
        opportunities_bulk_change(actor=leader_user, merger=merger, items=[(1, 1)])


# The API: warnings in the body, overrides, duplicates with a link, bulk.


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body_for(merger, account, product, stages, **overrides) -> dict:
    return {
        "merger": merger.pk,
        "account": account.pk,
        "product": product.pk,
        "stage": stages["identified"].pk,
        "direction": Direction.B_TO_A,
        "expected_close": "2026-12-31",
        "customer_need": "Their archive outgrows the current plan",
        **overrides,
    }


def test_the_api_saves_despite_warnings_and_returns_them(
    merger, rep, rep_user, account, product, stages, acquired
):
    hold(account, acquired, product, "10000.00")
    response = api(rep_user).post(
        API,
        body_for(merger, account, product, stages, kind="upsell", amount="5000.00"),
        format="json",
    )
    assert response.status_code == 201, response.content
    [warning] = response.json()["warnings"]
    assert warning["code"] == UPSELL_RAISE
    assert "50%" in warning["message"]


def test_the_api_returns_no_warnings_when_none_apply(
    merger, rep, rep_user, account, product, stages
):
    response = api(rep_user).post(
        API, body_for(merger, account, product, stages, amount="30000.00"), format="json"
    )
    assert response.json()["warnings"] == []


def test_the_api_refuses_a_rep_on_a_dont_sell_account_and_takes_a_leaders_override(
    merger, rep, rep_user, leader_user, account, product, stages
):
    account.recommendation = DONT_SELL
    account.save()
    body = body_for(merger, account, product, stages, risk_override_reason="Because")
    refused = api(rep_user).post(API, body, format="json")
    assert refused.status_code == 400
    assert "Ask your sales leader" in refused.json()["account"][0]

    body["owner"] = rep.pk
    accepted = api(leader_user).post(API, body, format="json")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["risk_override_reason"] == "Because"
    assert accepted.json()["risk_override_by"] == leader_user.pk


def test_the_api_refuses_a_reps_cross_sell_on_an_upsell_only_account_but_takes_an_upsell(
    merger, rep, rep_user, leader_user, account, product, stages
):
    account.recommendation = UPSELL_ONLY
    account.save()
    body = body_for(merger, account, product, stages, kind="cross_sell")
    refused = api(rep_user).post(API, body, format="json")
    assert refused.status_code == 400
    assert "upsell only" in refused.json()["kind"][0]
    no_reason = api(leader_user).post(API, {**body, "owner": rep.pk}, format="json")
    assert "risk_override_reason" in no_reason.json()

    upsell = api(rep_user).post(
        API, {**body, "kind": "upsell", "amount": "1000.00"}, format="json"
    )
    assert upsell.status_code == 201, upsell.content
    assert upsell.json()["risk_override_reason"] == ""

    other = factories.ProductFactory(company=product.company, name="Analytics")
    overridden = api(leader_user).post(
        API,
        {**body, "product": other.pk, "owner": rep.pk, "risk_override_reason": "New budget"},
        format="json",
    )
    assert overridden.status_code == 201, overridden.content
    assert overridden.json()["risk_override_by"] == leader_user.pk


def test_the_api_duplicate_refusal_links_the_first(
    merger, rep, rep_user, account, product, stages
):
    first = factories.OpportunityFactory(
        merger=merger, owner=rep, account=account, product=product, stage=stages["identified"]
    )
    response = api(rep_user).post(API, body_for(merger, account, product, stages), format="json")
    assert response.status_code == 400
    body = response.json()
    assert f"#{first.pk}" in body["product"][0]
    assert body["existing_opportunity"] == [f"http://testserver{API}{first.pk}/"]


def test_the_api_bulk_changes_per_item_for_leaders(merger, rep, leader_user, stages, product):
    ok = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )
    stale = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )
    response = api(leader_user).post(
        f"{API}bulk/",
        {
            "merger": merger.pk,
            "items": [{"id": ok.pk, "version": 1}, {"id": stale.pk, "version": 3}],
            "stage": stages["proposal"].pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["changed"], body["refused"]) == (1, 1)
    results = {row["id"]: row for row in body["results"]}
    assert (results[ok.pk]["status"], results[ok.pk]["version"]) == ("changed", 2)
    assert results[stale.pk]["status"] == "refused"
    assert results[stale.pk]["version"] is None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("rep_user", 403), ("executive_user", 403), ("ops_user", 200), ("leader_user", 200)],
)
def test_the_api_bulk_is_for_leaders_and_ops(
    request, merger, rep, stages, product, persona, expected
):
    opportunity = factories.OpportunityFactory(
        merger=merger, owner=rep, stage=stages["identified"]
    )
    response = api(request.getfixturevalue(persona)).post(
        f"{API}bulk/",
        {
            "merger": merger.pk,
            "items": [{"id": opportunity.pk, "version": 1}],
            "stage": stages["proposal"].pk,
        },
        format="json",
    )
    assert response.status_code == expected


def test_the_api_bulk_needs_a_stage_or_owner(merger, leader_user):
    response = api(leader_user).post(
        f"{API}bulk/", {"merger": merger.pk, "items": [{"id": 1, "version": 1}]}, format="json"
    )
    assert response.status_code == 400
