"""A month inside a sentence is written as the reader's language writes it there."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

from core.dates import month_in_text

NOVEMBER = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "November 2026"),
        ("ru", "ноябрь 2026"),
        ("it", "novembre 2026"),
        ("zh-hans", "2026年11月"),
    ],
)
def test_a_month_in_a_sentence(language, written):
    with translation.override(language):
        assert month_in_text(NOVEMBER) == written
        template = engines["django"].from_string("{{ month|month_in_text }}")
        assert template.render({"month": NOVEMBER}) == written


def test_no_month_is_no_text():
    assert engines["django"].from_string("{{ month|month_in_text }}").render({}) == ""
