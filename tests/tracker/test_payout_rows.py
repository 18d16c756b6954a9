"""The payout table's rows written in Python equal the template they replace, and each
rep's plan read as ids equals the joined read it replaces."""

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from tests import factories
from tracker.compensation import Payout
from tracker.models import CompPlan
from tracker.selectors.compensation import PayoutRow, plans_by_rep
from tracker.templatetags.payout_rows import payout_rows

# The markup the compensation page's template wrote for each row, kept as the reference.
REFERENCE = """{% load i18n %}{% for row in rows %}
<tr>
<th scope="row">{{ row.rep }}{% if row.rep.team %}<span class="cell-sub">{{ row.rep.team }}</span>{% endif %}</th>
<td>{% if row.plan %}{{ row.plan.name }}{% else %}<span class="muted">{% translate "no plan" %}</span>{% endif %}</td>
<td class="num"><a href="{% url 'tracker:credited_deals' row.rep.pk %}?period={{ period }}">{{ row.credited_won|floatformat:"0g" }}</a></td>
<td class="num">{{ row.won_count }}</td>
<td class="num">{{ row.cross_sell_quota|floatformat:"0g" }}</td>
<td class="num attainment">{% if row.attainment_pct is not None %}<meter min="0" max="150" low="70" high="100" optimum="150" value="{{ row.attainment_pct|stringformat:'s' }}" aria-hidden="true"></meter> <span>{{ row.attainment_pct }}%</span>{% else %}<span class="muted">{% translate "no quota" %}</span>{% endif %}</td>
<td class="num">{% if row.payout %}{{ row.payout.cross_sell_variable|floatformat:"2g" }}{% else %}–{% endif %}</td>
<td class="num">{% if row.payout %}{{ row.payout.spif|floatformat:"2g" }}{% else %}–{% endif %}</td>
<td class="num"><strong>{% if row.payout %}{{ row.payout.total|floatformat:"2g" }}{% else %}–{% endif %}</strong></td>
<td>{% if row.president_club_met is None %}<span class="muted">{% translate "not a condition" %}</span>{% elif row.president_club_met %}<span class="badge badge--sell">{% translate "Cross-sell quota met" %}</span>{% elif row.attainment is None %}<span class="badge badge--dont_sell">{% translate "Not met: no cross-sell quota" %}</span>{% else %}<span class="badge badge--dont_sell">{% translate "Cross-sell quota not met" %}</span>{% endif %}</td>
</tr>
{% endfor %}"""  # noqa: E501


class _Named(SimpleNamespace):
    def __str__(self) -> str:
        return self.name


def _rows() -> list[PayoutRow]:
    team = _Named(name="North & <South>")
    plan = _Named(name='Sellers "2026" & co')
    return [
        PayoutRow(
            rep=_Named(name="Ann <O'Neil>", team=team, pk=1),
            plan=plan,
            credited_won=Decimal("1234567.40"),
            won_count=1234,
            cross_sell_quota=Decimal("1000000.00"),
            attainment=Decimal("1.2345674"),
            payout=Payout(cross_sell_variable=Decimal("12000.50"), spif=Decimal("500.00")),
            president_club_met=True,
        ),
        PayoutRow(
            rep=_Named(name="Bob", team=None, pk=2),
            plan=plan,
            credited_won=Decimal("0"),
            won_count=0,
            cross_sell_quota=Decimal("5000"),
            attainment=Decimal("0"),
            payout=Payout(cross_sell_variable=Decimal("0"), spif=Decimal("0")),
            president_club_met=False,
        ),
        PayoutRow(
            rep=_Named(name="Cy", team=team, pk=3),
            plan=None,
            credited_won=Decimal("99.99"),
            won_count=1,
            cross_sell_quota=Decimal("0"),
            attainment=None,
            payout=None,
            president_club_met=None,
        ),
    ]


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "ru", "it", "zh-hans"])
def test_rows_equal_the_template(language: str) -> None:
    reference = engines["django"].from_string(REFERENCE)
    with translation.override(language):
        expected = reference.render({"rows": _rows(), "period": "2026-Q2"})
        assert _markup(payout_rows(_rows(), period="2026-Q2")) == _markup(expected)


def test_the_badges_and_payouts_read_in_the_readers_language_and_in_cents() -> None:
    """The badges were translated inside f-strings, which xgettext does not read: they
    stayed English; payouts mixed 62.80 with 945."""
    with translation.override("ru"):
        html = payout_rows(_rows())
    assert "План по кросс-продажам выполнен" in html
    assert "План по кросс-продажам не выполнен" in html
    with translation.override("en"):
        html = payout_rows(_rows())
    assert "12,000.50" in html and ">500.00<" in html and ">0.00<" in html


def test_a_rep_without_a_quota_is_not_said_to_miss_it() -> None:
    """Beside "no quota", "Cross-sell quota not met" told the reader of a quota missed
    that did not exist; the club is still not reached, for want of a quota."""
    [_ann, _bob, cy] = _rows()
    row = dataclasses.replace(cy, president_club_met=False)
    html = payout_rows([row])
    assert "Not met: no cross-sell quota" in html
    assert "Cross-sell quota not met" not in html


def test_a_period_still_running_has_no_quota_missed_yet() -> None:
    """A week into December every rep short of quota read "Cross-sell quota not met",
    as if the month were over."""
    [ann, bob, _cy] = _rows()
    html = payout_rows([ann, bob], in_progress=True)
    assert "Not met yet" in html
    assert "Cross-sell quota not met" not in html
    assert "Cross-sell quota met" in html
    with translation.override("ru"):
        assert "Пока не выполнен" in payout_rows([bob], in_progress=True)


def test_no_rows_no_markup() -> None:
    assert payout_rows([]) == ""


def _plans_by_definition(merger, first, last) -> dict:
    """Each rep's plan as one joined read of memberships in plan order: the latest wins."""
    memberships = (
        CompPlan.reps.through.objects.filter(
            compplan__merger=merger,
            compplan__period_start__lte=last,
            compplan__period_end__gte=first,
        )
        .select_related("compplan")
        .order_by("compplan__for_leaders", "compplan__period_start", "compplan_id")
    )
    return {row.rep_id: row.compplan for row in memberships}


def test_plans_by_rep_equal_their_definition(merger, rep, other_rep) -> None:
    third = factories.RepFactory(merger=merger)
    plans = [
        ("Sellers H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), False, [rep, other_rep]),
        ("Sellers Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), False, [other_rep]),
        ("Leaders", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True, [rep]),
        ("Sellers 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), False, [third]),
        ("Other leaders", dt.date(2026, 1, 1), dt.date(2026, 3, 31), True, [third]),
    ]
    for name, start, end, for_leaders, reps in plans:
        plan = CompPlan.objects.create(
            merger=merger,
            name=name,
            period_start=start,
            period_end=end,
            for_leaders=for_leaders,
            target_variable_pay=Decimal("60000"),
            cross_sell_share_pct=Decimal("20"),
        )
        plan.reps.set(reps)
    # Another program's plan on the same dates does not count.
    CompPlan.objects.create(
        merger=factories.MergerFactory(),
        name="Elsewhere",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        target_variable_pay=Decimal("1"),
        cross_sell_share_pct=Decimal("1"),
    ).reps.set([rep])
    for first, last in [
        (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 1), dt.date(2026, 1, 31)),
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
    ]:
        expected = _plans_by_definition(merger, first, last)
        assert plans_by_rep(merger=merger, first=first, last=last) == expected
