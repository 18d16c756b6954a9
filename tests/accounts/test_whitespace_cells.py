"""The whitespace matrix's cells written in Python equal the template they replace."""

import re
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from accounts.selectors.whitespace import AccountRow, Cell, CellState
from accounts.templatetags.whitespace_cells import whitespace_row_cells

# The markup the page's template wrote for each cell, kept as the reference.
REFERENCE = """{% load i18n %}{% for cell in row.cells %}
{% if cell.state == "owned" %}
<td class="whitespace-cell whitespace-cell--owned">{% translate "Owned" %}</td>
{% elif cell.state == "won" %}
<td class="whitespace-cell whitespace-cell--won">{% if cell.deal_url %}<a href="{{ cell.deal_url }}" title="{% translate 'Sold by the program: open the won deal' %}">{% translate "Won" %}</a>{% else %}{% translate "Won" %}{% endif %}{% if cell.value %}<span class="cell-sub">{{ cell.value|floatformat:"0g" }}</span>{% endif %}</td>
{% elif cell.state == "in_pipeline" %}
<td class="whitespace-cell whitespace-cell--pipeline"><a href="{{ cell.deal_url }}" title="{% blocktranslate with stage=cell.deal_stage %}An open deal, at {{ stage }}: open it{% endblocktranslate %}">{% translate "Open deal" %}</a></td>
{% elif cell.state == "candidate" %}
<td class="whitespace-cell whitespace-cell--candidate whitespace-cell--{{ row.recommendation }}">
{% if can_log %}<a class="whitespace-cell__value whitespace-cell__basis--{{ cell.value_basis }}" href="{{ cell.opportunity_url }}"{% else %}<span class="whitespace-cell__value whitespace-cell__basis--{{ cell.value_basis }}"{% endif %} title="{% if cell.kind == 'upsell' %}{% translate 'Upsell' %}{% else %}{% translate 'Cross-sell' %}{% endif %}{% if cell.via_source_name %} {% blocktranslate with source=cell.via_source_name %}via {{ source }}{% endblocktranslate %}{% endif %}: {{ cell.reason }} {% blocktranslate with basis=cell.value_basis_label %}Value: {{ basis }}.{% endblocktranslate %}{% if can_log %} {% translate 'Select to log an opportunity.' %}{% endif %}">{{ cell.value|floatformat:"0g" }}{% if can_log %}</a>{% else %}</span>{% endif %}
<span class="cell-sub">{% if cell.kind == "upsell" %}{% translate "Upsell" %}{% else %}{% translate "Cross-sell" %}{% endif %}</span>
</td>
{% else %}
<td class="whitespace-cell whitespace-cell--na"><span aria-hidden="true">·</span><span class="visually-hidden">{% translate "Not applicable" %}</span></td>
{% endif %}
{% endfor %}"""  # noqa: E501

CELLS = (
    Cell(product_id=1, state=CellState.OWNED),
    Cell(product_id=2, state=CellState.WON, value=Decimal("12500.40"), deal_url="/o/1/"),
    Cell(product_id=3, state=CellState.WON),
    Cell(product_id=4, state=CellState.IN_PIPELINE, deal_url="/o/2/", deal_stage="<Quote> & co"),
    Cell(
        product_id=5,
        state=CellState.CANDIDATE,
        value=Decimal("1234567.89"),
        kind="upsell",
        reason='Owns "A" & <B>',
        via_source_name="Map's <pair>",
        opportunity_url="/new/?a=1&b=2",
        value_basis="segment_median",
        value_basis_label="Segment median",
    ),
    Cell(
        product_id=6,
        state=CellState.CANDIDATE,
        value=Decimal("0"),
        kind="cross_sell",
        reason="Fits",
        opportunity_url="/new/?a=3",
        value_basis="typical_deal",
        value_basis_label="Typical deal",
    ),
    Cell(product_id=7, state=CellState.NOT_APPLICABLE),
)


def _row() -> AccountRow:
    return AccountRow(
        id=1,
        name="Acme",
        status="both",
        segment_name="",
        recommendation="upsell_only",
        recommendation_reason="",
        connection_strength=None,
        cells=CELLS,
        candidate_value=Decimal("0"),
        candidate_count=2,
    )


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("can_log", [True, False])
@pytest.mark.parametrize("language", ["en", "ru", "it", "zh-hans"])
def test_cells_equal_the_template(language: str, can_log: bool) -> None:
    reference = engines["django"].from_string(REFERENCE)
    with translation.override(language):
        expected = reference.render({"row": _row(), "can_log": can_log})
        assert _markup(whitespace_row_cells(_row(), can_log)) == _markup(expected)
