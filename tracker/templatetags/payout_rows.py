"""The rows of the compensation page's payout table, as HTML.

A large program lists a thousand reps: the template language's tags, lookups,
filters and translation nodes for their ten thousand cells took most of the
page's time. Here the fixed words are translated once per table and each row is
one format_html call; the markup is the one the template wrote per row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.selectors.compensation import PayoutRow

register = template.Library()

ROW = """      <tr>
        <th scope="row">{}{}</th>
        <td>{}</td>
        <td class="num">{}</td>
        <td class="num">{}</td>
        <td class="num">{}</td>
        <td class="num attainment">{}</td>
        <td class="num">{}</td>
        <td class="num">{}</td>
        <td class="num"><strong>{}</strong></td>
        <td>{}</td>
      </tr>"""
NO_PAYOUT = "–"


@dataclass(frozen=True)
class _Table:
    """The table's fixed words in the active language, as {% translate %} writes a
    literal: unescaped (the catalogues are the project's own text)."""

    no_plan: SafeString
    no_quota: SafeString
    not_a_condition: SafeString
    met: SafeString
    not_met: SafeString
    not_met_yet: SafeString
    no_quota_to_meet: SafeString
    # Formatted once per value and table: a month's quotas, wins and payouts repeat a
    # few hundred amounts over a thousand rows, and equal numbers print alike.
    whole: Callable[[Decimal], str]
    amount: Callable[[Decimal], str]
    count: Callable[[int], str]

    @classmethod
    def now(cls) -> "_Table":
        def muted(text: str) -> SafeString:
            return mark_safe(f'<span class="muted">{text}</span>')

        def badge(kind: str, text: str) -> SafeString:
            return mark_safe(f'<span class="badge badge--{kind}">{text}</span>')

        return cls(
            no_plan=muted(_("no plan")),
            no_quota=muted(_("no quota")),
            not_a_condition=muted(_("not a condition")),
            # Translated outside the f-strings: xgettext does not read calls inside them.
            met=badge("sell", _("Cross-sell quota met")),
            not_met=badge("dont_sell", _("Cross-sell quota not met")),
            not_met_yet=badge("pending", _("Not met yet")),
            no_quota_to_meet=badge("dont_sell", _("Not met: no cross-sell quota")),
            whole=cache(lambda value: floatformat(value, "0g")),
            # A payout in cents, every row alike: 62.80 beside 945.00, not beside 945.
            amount=cache(lambda value: floatformat(value, "2g")),
            count=cache(localize),
        )


def _attainment(row: PayoutRow, table: _Table) -> SafeString:
    pct = row.attainment_pct
    if pct is None:
        return table.no_quota
    return format_html(
        '<meter min="0" max="150" low="70" high="100" optimum="150" value="{}" '
        'aria-hidden="true"></meter> <span>{}%</span>',
        str(pct),
        localize(pct),
    )


def _club(row: PayoutRow, table: _Table, in_progress: bool) -> SafeString:
    if row.president_club_met is None:
        return table.not_a_condition
    if row.president_club_met:
        return table.met
    # Beside "no quota", "quota not met" would speak of a quota the rep never had.
    if row.attainment is None:
        return table.no_quota_to_meet
    # A week into a period nobody has missed its quota yet.
    return table.not_met_yet if in_progress else table.not_met


def _row(row: PayoutRow, table: _Table, in_progress: bool, period: str) -> SafeString:
    team = row.rep.team
    payout = row.payout
    credited = format_html(
        '<a href="{}?period={}">{}</a>',
        reverse("tracker:credited_deals", args=[row.rep.pk]),
        period,
        table.whole(row.credited_won),
    )
    return format_html(
        ROW,
        str(row.rep),
        format_html('<span class="cell-sub">{}</span>', str(team)) if team else "",
        row.plan.name if row.plan else table.no_plan,
        credited,
        table.count(row.won_count),
        table.whole(row.cross_sell_quota),
        _attainment(row, table),
        table.amount(payout.cross_sell_variable) if payout else NO_PAYOUT,
        table.amount(payout.spif) if payout else NO_PAYOUT,
        table.amount(payout.total) if payout else NO_PAYOUT,
        _club(row, table, in_progress),
    )


@register.simple_tag
def payout_rows(rows: list[PayoutRow], in_progress: bool = False, period: str = "") -> SafeString:
    """The rows; `in_progress` while the period has days to come; each credited won links
    to its deals in `period` (a period code)."""
    table = _Table.now()
    return mark_safe("\n".join(_row(row, table, in_progress, period) for row in rows))
