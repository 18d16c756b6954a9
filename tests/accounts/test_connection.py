"""Connection strength: pure scoring, and its refresh onto unified accounts."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts import connection
from accounts.connection import (
    ConnectionSignals,
    connection_score,
    connection_strength,
    growth_pct,
    tenure_years,
)
from accounts.models import UnifiedAccount
from accounts.selectors.risk import account_screen
from accounts.services.risk import account_signals_refresh
from tests import factories

TODAY = dt.date(2026, 3, 1)


def test_weights_add_up_to_a_hundred():
    assert connection.MAX_STRENGTH == 100


def test_no_signals_give_zero_strength_with_the_missing_signals_as_reasons():
    result = connection_strength(ConnectionSignals(), today=TODAY)
    assert result.strength == 0
    assert "Decision maker not known" in result.reasons
    assert "No revenue in the last 12 months" in result.reasons


def test_every_strong_signal_gives_full_strength_with_its_reasons():
    signals = ConnectionSignals(
        revenue_current=Decimal("112000"),
        revenue_prior=Decimal("100000"),
        products_held=4,
        relationship_since=dt.date(2020, 2, 1),
        decision_maker_known=True,
        has_relationship_owner=True,
    )
    result = connection_strength(signals, today=TODAY)
    assert result.strength == 100
    assert result.reasons == (
        "Decision maker known",
        "Named relationship owner",
        "Relationship of 6 years",
        "Revenue grew 12% last year",
        "Holds 4 products",
    )


def test_score_alone_equals_the_strength_with_reasons():
    signals = ConnectionSignals(
        revenue_current=Decimal("103"),
        revenue_prior=Decimal("100"),
        products_held=2,
        relationship_since=dt.date(2023, 1, 1),
        has_relationship_owner=True,
    )
    assert connection_score(signals, today=TODAY) == 10 + 12 + 5 + 8 + 10
    assert connection_score(signals, today=TODAY) == (
        connection_strength(signals, today=TODAY).strength
    )


def test_decision_maker_weighs_more_than_a_relationship_owner():
    with_dm = connection_strength(ConnectionSignals(decision_maker_known=True), today=TODAY)
    with_owner = connection_strength(ConnectionSignals(has_relationship_owner=True), today=TODAY)
    assert with_dm.strength > with_owner.strength


def test_tenure_points_are_capped():
    short = ConnectionSignals(relationship_since=dt.date(2024, 3, 1))
    long = ConnectionSignals(relationship_since=dt.date(2001, 1, 1))
    assert (
        connection_strength(short, today=TODAY).strength == 2 * connection.TENURE_POINTS_PER_YEAR
    )
    assert connection_strength(long, today=TODAY).strength == connection.TENURE_MAX_POINTS


def test_falling_revenue_is_named_as_a_reason():
    signals = ConnectionSignals(revenue_current=Decimal("92"), revenue_prior=Decimal("100"))
    result = connection_strength(signals, today=TODAY)
    assert "Revenue fell 8% last year" in result.reasons
    assert result.strength == connection.REVENUE_POINTS


def test_small_growth_earns_fewer_points_than_strong_growth():
    some = ConnectionSignals(revenue_current=Decimal("103"), revenue_prior=Decimal("100"))
    strong = ConnectionSignals(revenue_current=Decimal("150"), revenue_prior=Decimal("100"))
    assert (
        connection_strength(some, today=TODAY).strength
        < connection_strength(strong, today=TODAY).strength
    )


def test_growth_needs_a_prior_year():
    assert growth_pct(Decimal("10"), Decimal("0")) is None
    assert growth_pct(Decimal("125"), Decimal("100")) == Decimal("25")


def test_tenure_counts_only_completed_years():
    assert tenure_years(dt.date(2020, 3, 2), TODAY) == 5
    assert tenure_years(dt.date(2020, 3, 1), TODAY) == 6
    assert tenure_years(None, TODAY) == 0
    assert tenure_years(dt.date(2027, 1, 1), TODAY) == 0


@pytest.fixture
def account(merger, acquirer, acquired):
    unified = factories.UnifiedAccountFactory(merger=merger, name="Northwind")
    first = factories.SourceAccountFactory(
        company=acquirer,
        unified=unified,
        is_customer=True,
        decision_maker_known=True,
        relationship_owner="Dana",
        relationship_since=dt.date(2018, 1, 1),
        revenue_current=Decimal("60000"),
        revenue_prior=Decimal("50000"),
    )
    second = factories.SourceAccountFactory(
        company=acquired,
        unified=unified,
        relationship_since=dt.date(2022, 1, 1),
        revenue_current=Decimal("50000"),
        revenue_prior=Decimal("50000"),
    )
    product = factories.ProductFactory(company=acquirer)
    factories.HoldingFactory(account=first, product=product)
    factories.HoldingFactory(account=second, product=product)
    factories.HoldingFactory(account=second, product=factories.ProductFactory(company=acquired))
    return unified


def test_refresh_stores_strength_from_signals_summed_over_crm_records(account):
    account_signals_refresh(merger_id=account.merger_id)
    account.refresh_from_db()
    screen = account_screen(account=account)
    # Revenue 110k vs 100k (+10%), oldest relationship 2018, two distinct products.
    assert "Revenue grew 10% last year" in screen.reasons
    assert "Holds 2 products" in screen.reasons
    assert "Decision maker known" in screen.reasons
    assert account.connection_strength == screen.strength
    assert screen.strength >= 60
    assert screen.strong


def test_account_without_crm_records_has_no_strength(merger):
    lonely = factories.UnifiedAccountFactory(merger=merger, connection_strength=40)
    account_signals_refresh(merger_id=merger.pk)
    lonely.refresh_from_db()
    assert lonely.connection_strength is None
    assert account_screen(account=lonely).has_signals is False


def test_refresh_writes_nothing_when_nothing_changed(account):
    assert account_signals_refresh(merger_id=account.merger_id) == 1
    assert account_signals_refresh(merger_id=account.merger_id) == 0


def test_account_screen_shows_the_connection_note(account):
    UnifiedAccount.objects.filter(pk=account.pk).update(connection_note="Met the CFO at the fair")
    account.refresh_from_db()
    assert account_screen(account=account).note == "Met the CFO at the fair"
