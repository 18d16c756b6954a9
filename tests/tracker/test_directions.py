"""A deal's direction follows the Day-1 install base: synergy or business as usual."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Direction, Holding, SourceAccount
from tests import factories
from tests.history import field_lines
from tracker.models import Opportunity
from tracker.services.directions import opportunity_directions_refresh
from tracker.services.opportunities import opportunity_create, opportunity_update

DAY_ONE = dt.date(2025, 7, 1)


@pytest.fixture
def program(merger):
    merger.day_one = DAY_ONE
    merger.save()
    return merger


@pytest.fixture
def stages(program):
    return factories.stages_of(program, "identified", "won")


@pytest.fixture
def sensor(acquirer):
    return factories.ProductFactory(company=acquirer, name="Sensor")


@pytest.fixture
def analytics(acquired):
    return factories.ProductFactory(company=acquired, name="Analytics")


@pytest.fixture
def log(program, rep, rep_user, stages):
    def log(account, product, **extra):
        return opportunity_create(
            actor=rep_user,
            merger=program,
            account=account,
            product=product,
            owner=rep,
            stage=stages["identified"],
            expected_close=dt.date(2026, 9, 30),
            customer_need="Downtime on the crushers",
            **extra,
        )

    return log


def _account(program, company, *, is_customer=False, holding=None, since=None):
    account = factories.UnifiedAccountFactory(merger=program)
    record = factories.SourceAccountFactory(
        company=company, unified=account, is_customer=is_customer
    )
    if holding is not None:
        factories.HoldingFactory(account=record, product=holding, since=since)
    return account


def test_a_day_one_customer_buying_from_its_own_company_is_business_as_usual(
    program, acquirer, sensor, analytics, log
):
    customer = _account(program, acquirer, holding=sensor, since=dt.date(2024, 3, 1))
    assert log(customer, factories.ProductFactory(company=acquirer)).direction == Direction.WITHIN
    assert log(customer, analytics).direction == Direction.B_TO_A


def test_a_flagged_customer_counts_from_day_one_and_a_later_buyer_does_not(
    program, acquirer, sensor, log
):
    flagged = _account(program, acquirer, is_customer=True)
    bought_after = _account(program, acquirer, holding=sensor, since=dt.date(2025, 9, 1))
    prospect = _account(program, acquirer)
    other = factories.ProductFactory(company=acquirer)
    assert log(flagged, other).direction == Direction.WITHIN
    # A new customer after Day 1, or a prospect: the combined company reached them.
    assert log(bought_after, other).direction == Direction.A_TO_B
    assert log(prospect, other).direction == Direction.A_TO_B


def test_asking_for_another_direction_is_refused_with_the_reason(program, acquirer, sensor, log):
    customer = _account(program, acquirer, is_customer=True)
    with pytest.raises(ValidationError) as refused:
        log(customer, factories.ProductFactory(company=acquirer), direction=Direction.A_TO_B)
    [message] = refused.value.message_dict["direction"]
    assert "customer on Day 1" in message
    assert not Opportunity.objects.exists()


def test_a_win_never_makes_a_day_one_customer(program, acquirer, sensor, analytics, log, stages):
    buyer = _account(program, acquirer, holding=sensor, since=dt.date(2024, 3, 1))
    first = log(buyer, analytics)
    opportunity_update(
        actor=first.created_by,
        opportunity=first,
        expected_version=first.version,
        changes={"stage": stages["won"], "closed_on": dt.date(2026, 2, 10), "amount": 5000},
    )
    assert Holding.objects.filter(origin=Holding.Origin.WON_DEAL).exists()
    # The acquired company sells the buyer more: still synergy, not business as usual.
    assert log(buyer, factories.ProductFactory(company=first.product.company)).direction == (
        Direction.B_TO_A
    )


def test_the_refresh_follows_a_crm_import_and_records_the_change(
    program, acquirer, acquired, analytics, log
):
    account = _account(program, acquirer, is_customer=True)
    deal = log(account, analytics)
    assert deal.direction == Direction.B_TO_A
    # An import of the acquired company's CRM shows it had the account all along.
    SourceAccount.objects.create(
        company=acquired, unified=account, crm_id="B-1", name=account.name, is_customer=True
    )

    assert opportunity_directions_refresh(merger_id=program.pk) == 1
    assert opportunity_directions_refresh(merger_id=program.pk) == 0

    deal.refresh_from_db()
    assert (deal.direction, deal.version) == (Direction.WITHIN, 2)
    [change] = field_lines(deal, field="direction")
    assert (change.old_value, change.new_value, change.changed_by) == ("b_to_a", "within", None)
