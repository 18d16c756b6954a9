"""A chart's "View data" rows are written in Python exactly as the template tags wrote them."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import format_html

from core.charts import Chart

# The loop templates/includes/chart.html ran over every cell before.
TAGS = Template(
    "{% for row in rows %}<tr>{% for cell in row %}{% if forloop.first %}"
    '<th scope="row">{{ cell }}</th>{% else %}<td class="num">{{ cell }}</td>{% endif %}'
    "{% endfor %}</tr>\n{% endfor %}"
)
ROWS = [
    [format_html('<a href="{}">{}</a>', "/x/?a=1&b=2", "R&D <lab>"), 1234, Decimal("1234.50")],
    ["Food & <drink>", Decimal("-0.5"), 0.25, None, "—"],
    [7],
    [],
]


@pytest.mark.parametrize("language", ["en", "ru", "it", "zh-hans"])
def test_rows_are_the_ones_the_template_tags_wrote(language):
    chart = Chart(id="c", title="t", figure={}, rows=ROWS)
    with translation.override(language):
        expected = TAGS.render(Context({"rows": ROWS}))
        written = chart.rows_html
    assert written.split("\n") == expected.split("\n")[:-1]
