"""The amount as entered, shown on hover beside the reporting-currency figure."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from accounts.templatetags.money_tags import entered_text, entered_title


def record(**values):
    base = {"currency": "EUR", "amount_original": Decimal("1234.5"), "awaiting_rate": None}
    return SimpleNamespace(**{**base, **values})


def test_an_amount_in_another_currency_shows_as_entered():
    with translation.override("en"):
        assert entered_text(record(), "USD") == "€1,234.50 as entered"
        assert entered_title(record(), "USD") == ' title="€1,234.50 as entered"'


def test_an_amount_in_the_reporting_currency_shows_nothing_more():
    assert entered_text(record(currency="USD"), "USD") == ""
    assert entered_text(record(currency=""), "USD") == ""
    assert entered_title(record(amount_original=None), "USD") == ""


def test_a_waiting_amount_says_which_rate_it_waits_for():
    waiting = record(
        currency="JPY",
        revenue_current_original=Decimal("500000"),
        awaiting_rate=dt.date(2026, 3, 1),
    )
    with translation.override("en"):
        text = entered_text(waiting, "USD", "revenue_current")
    assert text == "¥500,000 as entered; waiting for the 2026-03 rate"
