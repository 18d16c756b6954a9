"""The board pack writes its numbers in its own language, rounded, and its units too."""

from decimal import Decimal

import pytest
from django.utils import translation

from scorecards.exports.pdf.values import (
    indicator_value_text,
    money_text,
    percent_text,
    score_text,
    signed_text,
)

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "money", "percent", "score"),
    [
        ("en", "22,384,201", "17.7%", "4.68"),
        ("ru", f"22{NBSP}384{NBSP}201", "17,7%", "4,68"),
        ("it", "22.384.201", "17,7%", "4,68"),
    ],
)
def test_numbers_follow_the_packs_language_and_round(language, money, percent, score):
    """A Russian pack wrote 22,384,200 in its tables beside 9,2% in its sentences."""
    with translation.override(language):
        assert money_text(Decimal("22384200.50")) == money
        assert percent_text(Decimal("0.17654")) == percent
        assert score_text(Decimal("4.675")) == score
        assert signed_text(Decimal("-0.25")) == "−" + score_text(Decimal("0.25"))


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", "1", "1 year"),
        ("en", "2.5", "2.5 years"),
        ("ru", "1", "1 год"),
        ("ru", "2.5", "2,5 года"),
        ("ru", "5", "5 лет"),
        ("it", "2", "2 anni"),
    ],
)
def test_a_tenure_in_years_is_written_in_the_packs_language(language, value, shown):
    with translation.override(language):
        assert indicator_value_text({"value": Decimal(value), "unit": "years"}) == shown


def test_a_share_has_no_space_before_its_sign():
    with translation.override("en"):
        assert indicator_value_text({"value": Decimal("25"), "unit": "%"}) == "25%"
