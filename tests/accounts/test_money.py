"""Amounts with their currency and their conversion: pure, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.imports.parsing import ParseError
from accounts.money import (
    MissingRate,
    Money,
    conversion_month,
    parse_currency_code,
    parse_money,
    to_reporting,
)

D = Decimal


@pytest.mark.parametrize(
    ("cell", "amount", "currency"),
    [
        ("€1,234", "1234.00", "EUR"),
        ("JPY 500000", "500000.00", "JPY"),
        ("1.234,56 EUR", "1234.56", "EUR"),
        ("RUB 1 000", "1000.00", "RUB"),
        ("1 000 ₽", "1000.00", "RUB"),
        ("500 руб.", "500.00", "RUB"),
        ("CN¥300", "300.00", "CNY"),
        ("RMB 300", "300.00", "CNY"),
        ("元 300", "300.00", "CNY"),
        ("US$ 10", "10.00", "USD"),
        ("£99.5", "99.50", "GBP"),
        ("(€1,234.00)", "-1234.00", "EUR"),
        ("1234", "1234.00", "USD"),
        ("eur 12", "12.00", "EUR"),
    ],
)
def test_a_cell_gives_its_amount_and_currency(cell, amount, currency):
    money = parse_money(cell, default_currency="USD")
    assert (money.amount, money.currency) == (D(amount), currency)
    assert money.ambiguous == ()


def test_an_excel_number_takes_the_row_or_default_currency():
    assert parse_money(1234.5, default_currency="USD") == Money(D("1234.50"), "USD")
    assert parse_money(7, default_currency="USD", currency="EUR") == Money(D("7.00"), "EUR")


def test_an_ambiguous_symbol_is_read_in_the_default_currency_and_reported():
    money = parse_money("¥5000", default_currency="CNY")
    assert (money.amount, money.currency) == (D("5000.00"), "CNY")
    assert money.ambiguous == ("CNY", "JPY")
    dollars = parse_money("$12.50", default_currency="CAD")
    assert dollars.currency == "CAD"
    assert "USD" in dollars.ambiguous


def test_an_ambiguous_symbol_the_default_does_not_settle_is_refused():
    with pytest.raises(ParseError, match="could be CNY, JPY"):
        parse_money("¥5000", default_currency="USD")


def test_the_row_currency_column_decides_and_must_agree_with_the_cell():
    assert parse_money("¥5000", default_currency="USD", currency="JPY").currency == "JPY"
    with pytest.raises(ParseError, match="in EUR but the row's currency is USD"):
        parse_money("€5", default_currency="USD", currency="USD")


def test_an_unknown_code_is_not_read_as_a_number():
    with pytest.raises(ParseError):
        parse_money("XYZ 100", default_currency="USD")


def test_currency_column_values():
    assert parse_currency_code(" eur ") == "EUR"
    assert parse_currency_code("RMB") == "CNY"
    assert parse_currency_code("€") == "EUR"
    with pytest.raises(ParseError, match="could be"):
        parse_currency_code("$")
    with pytest.raises(ParseError, match="ISO 4217"):
        parse_currency_code("Euros please")


RATES = {("EUR", dt.date(2026, 3, 1)): D("1.0850"), ("JPY", dt.date(2026, 3, 1)): D("0.00667")}


def test_conversion_uses_the_rate_of_the_month_and_rounds_to_cents():
    converted = to_reporting(
        amount=D("1234.00"),
        currency="EUR",
        month=dt.date(2026, 3, 17),
        reporting_currency="USD",
        rates=RATES,
    )
    assert converted == D("1338.89")
    assert to_reporting(
        amount=D("500000"),
        currency="JPY",
        month=dt.date(2026, 3, 1),
        reporting_currency="USD",
        rates=RATES,
    ) == D("3335.00")


def test_the_reporting_currency_needs_no_rate():
    assert to_reporting(
        amount=D("10.00"),
        currency="USD",
        month=dt.date(2020, 1, 1),
        reporting_currency="USD",
        rates={},
    ) == D("10.00")


def test_no_rate_for_the_month_is_never_another_months_rate():
    missing = to_reporting(
        amount=D("1.00"),
        currency="EUR",
        month=dt.date(2026, 4, 2),
        reporting_currency="USD",
        rates=RATES,
    )
    assert missing == MissingRate("EUR", dt.date(2026, 4, 1))
    assert str(missing) == "No exchange rate for EUR in 2026-04."


def test_a_closed_deal_converts_at_its_close_month_an_open_one_at_the_current_month():
    today = dt.date(2026, 6, 15)
    assert conversion_month(closed_on=dt.date(2026, 2, 27), today=today) == dt.date(2026, 2, 1)
    assert conversion_month(closed_on=None, today=today) == dt.date(2026, 6, 1)


def test_quota_and_target_files_read_a_foreign_amount_in_its_currency():
    import datetime as dt
    import io

    from tracker.quota_csv import read_quota_file
    from tracker.target_csv import read_target_file

    def data(text):
        buffer = io.BytesIO(text.encode())
        buffer.name = "f.csv"
        return buffer

    quotas = read_quota_file(
        data=data("rep,period,core,cross_sell\nann,2026-03,JPY 500000,1000\n"),
        name="f.csv",
        reps={"ann": [1]},
        currency="USD",
    )
    assert quotas.errors == []
    [line] = quotas.lines
    # The bare cross-sell cell is in the row's currency, the one its core cell names.
    assert (line.currency, line.core, line.cross_sell) == ("JPY", 500000, 1000)
    mixed = read_quota_file(
        data=data("rep,period,core,cross_sell\nann,2026-03,JPY 500000,€1000\n"),
        name="f.csv",
        reps={"ann": [1]},
        currency="USD",
    )
    assert [(e.row, e.column) for e in mixed.errors] == [(2, "cross_sell")]
    column = read_quota_file(
        data=data("rep,period,currency,core,cross_sell\nann,2026-03,eur,1.000,5\n"),
        name="f.csv",
        reps={"ann": [1]},
        currency="USD",
    )
    assert [(line.currency, line.currency_column) for line in column.lines] == [
        ("EUR", "currency")
    ]
    targets = read_target_file(
        data=data('month,segment,cross_sell\n2026-03,,"€1,234"\n'),
        name="f.csv",
        segments={},
        first_month=dt.date(2026, 1, 1),
        last_month=dt.date(2026, 12, 1),
        currency="USD",
    )
    assert targets.errors == []
    assert [(t.currency, t.cross_sell, t.currency_column) for t in targets.lines] == [
        ("EUR", Decimal("1234"), "cross_sell")
    ]


def test_a_records_amounts_convert_together_or_name_the_missing_rate():
    from accounts.money import MissingRate, amounts_to_reporting

    april = dt.date(2026, 4, 1)
    rates = {("EUR", april): Decimal("1.10")}
    amounts = {"core": Decimal("100"), "cross": Decimal("0.05")}
    converted = amounts_to_reporting(
        amounts=amounts,
        currency="EUR",
        month=dt.date(2026, 4, 30),
        reporting_currency="USD",
        rates=rates,
    )
    assert converted == {"core": Decimal("110.00"), "cross": Decimal("0.06")}
    missing = amounts_to_reporting(
        amounts=amounts,
        currency="EUR",
        month=dt.date(2026, 3, 5),
        reporting_currency="USD",
        rates=rates,
    )
    assert missing == MissingRate("EUR", dt.date(2026, 3, 1))
    same = amounts_to_reporting(
        amounts=amounts, currency="USD", month=april, reporting_currency="USD", rates={}
    )
    assert same == amounts
