"""A period reads in the reader's language on the pages: a quarter by its number and
year, not by the code ("2026-Q4") that forms, files and links take."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from tracker.quota_math import MONTH, QUARTER, Period
from tracker.views.quota_forms import period_choices, period_label

Q4 = Period(date(2026, 10, 1), QUARTER)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Q4 2026"),
        ("ru", "4-й квартал 2026"),
        ("it", "4° trimestre 2026"),
        ("zh-hans", "2026年第4季度"),
    ],
)
def test_a_quarter_is_named_in_the_readers_language(language, expected):
    with translation.override(language):
        assert period_label(Q4) == expected


def test_the_picker_offers_quarters_by_name_and_keeps_their_code_as_the_value():
    with translation.override("ru"):
        groups = dict(period_choices(date(2026, 12, 7)))
    quarters = dict(next(choices for name, choices in groups.items() if "вартал" in name))
    assert quarters["2026-Q4"] == "4-й квартал 2026"
    assert Period(date(2026, 12, 1), MONTH).code == "2026-12"


@pytest.mark.parametrize("page", ["tracker:quotas", "tracker:compensation"])
def test_a_quarters_page_names_it_in_russian(client, ops_user, page):
    client.force_login(ops_user)
    client.cookies["django_language"] = "ru"
    with translation.override("ru"):
        html = client.get(reverse(page), {"period": "2026-Q4"}).content.decode()
    heading = html.split('class="page-header__meta"')[1].split("</p>")[0]
    assert "4-й квартал 2026" in heading
    assert "2026-Q4" not in heading
