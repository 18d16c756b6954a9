"""How pages write numbers, booleans and dates."""

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.utils import translation
from django.utils.formats import date_format

from accounts.templatetags.formatting import amount, change_value, yes_no


def test_whole_amounts_have_no_cents_and_others_keep_two_places():
    assert amount(Decimal("1500.00")) == "1,500"
    assert amount(Decimal("4002.7")) == "4,002.70"
    assert amount(0) == "0"
    assert amount(None) == ""


def test_booleans_read_as_yes_and_no():
    assert [yes_no(True), yes_no(False), yes_no(None)] == ["Yes", "No", "—"]


def test_every_template_has_the_filters_and_one_date_format():
    template = Template(
        '{{ money|amount }} {{ flag|yes_no }} {{ day }} {{ day|date:"SHORT_DATE_FORMAT" }}'
    )
    with translation.override("en"):
        text = template.render(
            Context({"money": Decimal("20000.00"), "flag": True, "day": dt.date(2026, 12, 6)})
        )
    assert text == "20,000 Yes 6 Dec 2026 6 Dec 2026"


def test_history_values_read_as_words_and_whole_amounts():
    assert [change_value(v) for v in ("True", "False", "60000.00", "12", "Proposal", None)] == [
        "Yes",
        "No",
        "60,000",
        "12",
        "Proposal",
        "",
    ]


def test_each_language_writes_a_date_one_way():

    day = dt.date(2026, 12, 6)
    for language, expected in (("en", "6 Dec 2026"), ("ru", "06.12.2026"), ("it", "06/12/2026")):
        with translation.override(language):
            assert date_format(day) == date_format(day, "SHORT_DATE_FORMAT") == expected


def test_a_paged_table_is_followed_by_page_links_that_keep_the_filters(rf):
    page = Paginator(range(45), 20).page(2)
    template = Template(
        '{% load formatting %}{% table "Rows" paged=page %}<tbody></tbody>{% endtable %}'
        '{% table "Unpaged" %}<tbody></tbody>{% endtable %}'
    )
    request = rf.get("/accounts/", {"segment": "7", "page": "2"})
    with translation.override("en"):
        text = template.render(RequestContext(request, {"page": page}))
    assert text.count("<table") == 2
    assert text.count('class="pagination"') == 1
    assert "Page 2 of 3" in text
    assert '?segment=7&amp;page=3" rel="next"' in text
    assert text.index('class="pagination"') < text.index("Unpaged")
