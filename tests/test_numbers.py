"""The table writers of core.numbers give exactly what Django's number_format and
conditional_escape give, in every language of the product."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from accounts.templatetags.formatting import amount
from core.numbers import escaped, number_text, number_writer
from scorecards.dashboard_math import Tile
from scorecards.views.tiles import tile_view

LANGUAGES = ["en", "ru", "it", "zh-hans"]
DECIMALS = [
    "0",
    "-0",
    "0.00",
    "-0.00",
    "0.04",
    "-0.04",
    "0.05",
    "-0.05",
    "0.099",
    "0.1",
    "-0.5",
    "0.009",
    "-0.009",
    "0.01",
    "0.0000001",
    "1E-30",
    "-1E-30",
    "1",
    "-1",
    "9.99",
    "-9.99",
    "12.345",
    "99.95",
    "100",
    "999",
    "1000",
    "-1000",
    "1234.5",
    "-1234.56789",
    "12345.678",
    "123456",
    "1234567.891",
    "-98765432.10",
    "1E+3",
    "1.5E+7",
    "17034000.00",
    "123456789012345678901234567890.123",
    "1E+250",
    "Infinity",
    "-Infinity",
    "NaN",
]
INTEGERS = [0, 1, -1, 7, 12, 999, 1000, -1000, 12345, 1234567, -98765432, 10**20, True, False]
OTHERS = [0.25, -1234.5, 1e-20, 123456.789, "1234.5", None, ""]


def _cases():
    values = [Decimal(text) for text in DECIMALS] + INTEGERS + OTHERS
    for value in values:
        for decimal_pos in (None, 0, 1, 2):
            for force_grouping in (False, True):
                yield value, decimal_pos, force_grouping


@pytest.mark.parametrize("thousands", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
def test_number_text_is_number_format(language, thousands, settings):
    settings.USE_THOUSAND_SEPARATOR = thousands
    with translation.override(language):
        write = number_writer()
        for value, decimal_pos, force_grouping in _cases():
            try:
                expected = number_format(value, decimal_pos, force_grouping=force_grouping)
            except Exception as error:
                with pytest.raises(type(error)):
                    number_text(value, decimal_pos, force_grouping=force_grouping)
                continue
            written = number_text(value, decimal_pos, force_grouping=force_grouping)
            case = (value, decimal_pos, force_grouping)
            assert written == expected, case
            assert type(written) is type(expected), case
            assert write(value, decimal_pos, force_grouping=force_grouping) == expected, case


def test_number_text_follows_a_changed_format(settings):
    with translation.override("en"):
        assert number_text(Decimal("1234567"), 0, force_grouping=True) == "1,234,567"
        settings.FORMAT_MODULE_PATH = None
        settings.NUMBER_GROUPING = (3, 2, 0)
        with translation.override(None):
            value = Decimal("123456789")
            assert number_text(value, 0, force_grouping=True) == number_format(
                value, 0, force_grouping=True
            )


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "R&D <lab> \"x\" 'y'",
        SafeString("<b>safe</b>"),
        format_html("<a href='{}'>{}</a>", "/x/?a=1&b=2", "<R&D>"),
        gettext_lazy("Month"),
        Decimal("1.5"),
        12,
        None,
    ],
)
def test_escaped_is_conditional_escape(value):
    written = escaped(value)
    assert written == conditional_escape(value)
    assert type(written) is type(conditional_escape(value))


def test_chinese_groups_large_numbers_by_three_with_commas():
    # Chinese business figures are written 44,396,000; Django's zh_Hans writes 44396000.
    tile = Tile("pipeline", "Open pipeline", Decimal("44396000"), "money", Decimal("18657500"))
    with translation.override("zh-hans"):
        shown = tile_view(tile, currency="USD")
        assert shown.value == "44,396,000 USD"
        assert shown.change == "+25,738,500 USD"
        assert amount(Decimal("18657500.40")) == "18,657,500.40"
        assert number_format(Decimal("25202800"), 0, force_grouping=True) == "25,202,800"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("2.0619"), "ratio", "2.1×"),
        (Decimal("1.5634"), "ratio", "1.6×"),
        (Decimal("74.46"), "percent", "74.5%"),
        (Decimal("1234.5"), "money", "1,235 USD"),
    ],
)
def test_a_tile_rounds_as_the_quota_page_does(value, unit, shown):
    """number_text cuts: a rep's coverage of 2.0619 read 2.0x on the dashboard, 2.1x on
    the quota page."""
    with translation.override("en"):
        assert tile_view(Tile("k", "Label", value, unit), currency="USD").value == shown
