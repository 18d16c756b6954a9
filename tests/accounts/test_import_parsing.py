import datetime as dt
from decimal import Decimal

import pytest

from accounts.imports.parsing import (
    ParseError,
    crm_key,
    infer_day_first,
    infer_decimal_mark,
    parse_amount,
    parse_bool,
    parse_country,
    parse_customer,
    parse_date,
    parse_integer,
    parse_non_negative,
    parse_percent,
    parse_sales_cycle,
    parse_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("€1,234", "1234.00"),
        ("1.234.567 €", "1234567.00"),
        ("USD 12", "12.00"),
        ("$ -5", "-5.00"),
        ("(1,234.00)", "-1234.00"),
        ("1234.567", "1234.57"),
        ("0", "0.00"),
    ],
)
def test_amounts_in_common_notations(text, expected):
    assert parse_amount(text) == Decimal(expected)


def test_amount_from_excel_number_is_decimal_not_float():
    value = parse_amount(1234.1)
    assert isinstance(value, Decimal)
    assert value == Decimal("1234.10")


def test_single_separator_follows_the_columns_decimal_mark():
    assert parse_amount("1.234", decimal_mark=",") == Decimal("1234.00")
    assert parse_amount("1,234", decimal_mark=",") == Decimal("1.23")
    assert parse_amount("1,234", decimal_mark=".") == Decimal("1234.00")


@pytest.mark.parametrize("text", ["12,3,4", "abc", "1.2.3,4,5", "12-34", "1,23,456.00", ""])
def test_malformed_amount_is_an_error_quoting_the_value(text):
    with pytest.raises(ParseError) as raised:
        parse_amount(text)
    assert f"'{text}' is not an amount" in raised.value.message


def test_negative_amount_is_refused_where_amounts_cannot_be_negative():
    with pytest.raises(ParseError, match="negative"):
        parse_non_negative("(1,234.00)")


def test_too_large_amount_is_refused():
    with pytest.raises(ParseError, match="too large"):
        parse_amount("123456789012345678")


def test_decimal_mark_is_inferred_from_the_column():
    assert infer_decimal_mark(["1.234", "12,5"]) == ","
    assert infer_decimal_mark(["1,234", "12.5"]) == "."
    assert infer_decimal_mark(["1.234,56"]) == ","
    assert infer_decimal_mark(["1,234", "2,000"]) is None
    assert infer_decimal_mark(["1,5", "2.5"]) is None


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("2024-03-31", True, dt.date(2024, 3, 31)),
        ("2024-03-31 14:05", True, dt.date(2024, 3, 31)),
        ("2024-03-31T10:00:00.000Z", True, dt.date(2024, 3, 31)),
        ("31.03.2024", False, dt.date(2024, 3, 31)),
        ("31/03/2024", True, dt.date(2024, 3, 31)),
        ("3/14/2024", False, dt.date(2024, 3, 14)),
        ("3/14/2024 10:15 AM", False, dt.date(2024, 3, 14)),
        ("04/03/2024", True, dt.date(2024, 3, 4)),
        ("04/03/2024", False, dt.date(2024, 4, 3)),
        ("31-03-24", True, dt.date(2024, 3, 31)),
        ("14 Mar 2024", True, dt.date(2024, 3, 14)),
        ("March 14, 2024", True, dt.date(2024, 3, 14)),
    ],
)
def test_dates_in_common_formats(text, day_first, expected):
    assert parse_date(text, day_first=day_first) == expected


def test_excel_dates_pass_through_and_serial_numbers_convert():
    assert parse_date(dt.datetime(2024, 3, 31, 9, 30)) == dt.date(2024, 3, 31)
    assert parse_date(45382) == dt.date(2024, 3, 31)


def test_day_month_order_is_inferred_from_the_column():
    assert infer_day_first(["01/02/2024", "25/02/2024"]) is True
    assert infer_day_first(["01/02/2024", "2/25/2024"]) is False
    assert infer_day_first(["01/02/2024", "02/03/2024"]) is None
    assert infer_day_first(["25/02/2024", "2/25/2024"]) is None


def test_date_against_the_columns_order_says_so():
    with pytest.raises(ParseError, match="month/day/year"):
        parse_date("25/02/2024", day_first=False)


def test_invalid_date_is_an_error():
    with pytest.raises(ParseError, match="not a date"):
        parse_date("next Tuesday")
    with pytest.raises(ParseError):
        parse_date("2024-02-30")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("0", False),
        ("x", True),
        ("", False),
        (1, True),
        (True, True),
    ],
)
def test_booleans(value, expected):
    assert parse_bool(value) is expected


def test_unknown_boolean_is_an_error():
    with pytest.raises(ParseError, match="yes or no"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Customer - Direct", True),
        ("customer", True),
        ("Prospect", False),
        ("lead", False),
        ("Former Customer", False),
        ("Channel Partner / Reseller", False),
        ("yes", True),
    ],
)
def test_customer_flag_from_crm_types_and_lifecycle_stages(value, expected):
    assert parse_customer(value) is expected


def test_integers_accept_grouping_and_excel_floats():
    assert parse_integer("1,200") == 1200
    assert parse_integer("1 200") == 1200
    assert parse_integer(1200.0) == 1200
    with pytest.raises(ParseError, match="whole number"):
        parse_integer("12.5")
    with pytest.raises(ParseError, match="whole number"):
        parse_integer("-3")


def test_percent_accepts_the_sign_and_stays_within_bounds():
    assert parse_percent("12,5 %", decimal_mark=",") == Decimal("12.50")
    with pytest.raises(ParseError, match="between 0 and 100"):
        parse_percent("120")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("USA", "US"),
        ("United States", "US"),
        ("Россия", "RU"),
        ("中国", "CN"),
        ("The Netherlands", "NL"),
        ("GBR", "GB"),
    ],
)
def test_countries_become_iso_codes(value, expected):
    assert parse_country(value) == expected


def test_unknown_country_is_an_error():
    with pytest.raises(ParseError, match="not a known country"):
        parse_country("Atlantis")


def test_sales_cycle():
    assert parse_sales_cycle("Transactional") == "short"
    assert parse_sales_cycle("long") == "long"
    with pytest.raises(ParseError):
        parse_sales_cycle("medium")


@pytest.mark.parametrize("name", ["ООО Ромашка", "华为技术有限公司", "Société Générale", "Müller"])
def test_names_are_kept_intact(name):
    assert parse_text(name) == name


def test_line_breaks_inside_a_name_become_spaces():
    assert parse_text("Acme\nWidgets  GmbH ") == "Acme Widgets GmbH"


def test_text_longer_than_the_field_is_an_error():
    with pytest.raises(ParseError, match="longer than 5"):
        parse_text("abcdefgh", max_length=5)


def test_salesforce_15_and_18_character_ids_share_a_key():
    assert crm_key("001D000000IqhSLIAZ") == crm_key("001D000000IqhSL") == "001D000000IqhSL"
    assert crm_key("12345") == "12345"
    assert crm_key("ABCDEFGHIJKLMNOPQR") == "ABCDEFGHIJKLMNOPQR"
