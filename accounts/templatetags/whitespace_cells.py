"""The cells of one row of the whitespace matrix, as HTML.

A page holds up to 50 accounts x 60 products: the template language's tags,
variable lookups and translation nodes for each of those 3,000 cells took most
of the page's time. Here a row's labels are translated once and each cell is
one format_html call; the markup is the one the template wrote per cell.
"""

from dataclasses import dataclass

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.selectors.whitespace import AccountRow, Cell, CellState

register = template.Library()


@dataclass(frozen=True)
class _Labels:
    """The fixed words of the cells in the active language: as {% translate %} writes a
    literal, unescaped (the catalogues are the project's own text)."""

    owned: str
    won: str
    open_won: str
    open_deal: str
    upsell: str
    cross_sell: str
    select: str
    not_applicable: str

    @classmethod
    def now(cls) -> "_Labels":
        return cls(
            owned=mark_safe(_("Owned")),
            won=mark_safe(_("Won")),
            open_won=mark_safe(_("Sold by the program: open the won deal")),
            open_deal=mark_safe(_("Open deal")),
            upsell=mark_safe(_("Upsell")),
            cross_sell=mark_safe(_("Cross-sell")),
            select=mark_safe(_("Select to log an opportunity.")),
            not_applicable=mark_safe(_("Not applicable")),
        )


def _amount(value: object) -> str:
    return floatformat(value, "0g")


def _won(cell: Cell, labels: _Labels) -> SafeString:
    if cell.deal_url:
        link = format_html(
            '<a href="{}" title="{}">{}</a>', cell.deal_url, labels.open_won, labels.won
        )
    else:
        link = mark_safe(labels.won)
    value = (
        format_html('<span class="cell-sub">{}</span>', _amount(cell.value)) if cell.value else ""
    )
    return format_html('<td class="whitespace-cell whitespace-cell--won">{}{}</td>', link, value)


def _in_pipeline(cell: Cell, labels: _Labels) -> SafeString:
    # Like {% blocktranslate %}: the sentence as translated, the stage escaped in it.
    title = _("An open deal, at %(stage)s: open it") % {
        "stage": conditional_escape(cell.deal_stage)
    }
    return format_html(
        '<td class="whitespace-cell whitespace-cell--pipeline">'
        '<a href="{}" title="{}">{}</a></td>',
        cell.deal_url,
        mark_safe(title),
        labels.open_deal,
    )


def _candidate(cell: Cell, recommendation: str, labels: _Labels, can_log: bool) -> SafeString:
    kind = labels.upsell if cell.kind == "upsell" else labels.cross_sell
    via = ""
    if cell.via_source_name:
        via = " " + _("via %(source)s") % {"source": conditional_escape(cell.via_source_name)}
    basis = _("Value: %(basis)s.") % {"basis": conditional_escape(cell.value_basis_label)}
    title = format_html(
        "{}{}: {} {}", mark_safe(kind), mark_safe(via), cell.reason, mark_safe(basis)
    )
    if can_log:
        title = format_html("{} {}", title, labels.select)
    value_class = f"whitespace-cell__value whitespace-cell__basis--{cell.value_basis}"
    if can_log:
        value = format_html(
            '<a class="{}" href="{}" title="{}">{}</a>',
            value_class,
            cell.opportunity_url,
            title,
            _amount(cell.value),
        )
    else:
        value = format_html(
            '<span class="{}" title="{}">{}</span>', value_class, title, _amount(cell.value)
        )
    return format_html(
        '<td class="whitespace-cell whitespace-cell--candidate whitespace-cell--{}">\n'
        "            {}\n"
        '            <span class="cell-sub">{}</span>\n'
        "          </td>",
        recommendation,
        value,
        mark_safe(kind),
    )


def _cell(cell: Cell, recommendation: str, labels: _Labels, can_log: bool) -> SafeString:
    if cell.state == CellState.OWNED:
        return format_html(
            '<td class="whitespace-cell whitespace-cell--owned">{}</td>', mark_safe(labels.owned)
        )
    if cell.state == CellState.WON:
        return _won(cell, labels)
    if cell.state == CellState.IN_PIPELINE:
        return _in_pipeline(cell, labels)
    if cell.state == CellState.CANDIDATE:
        return _candidate(cell, recommendation, labels, can_log)
    return format_html(
        '<td class="whitespace-cell whitespace-cell--na"><span aria-hidden="true">·</span>'
        '<span class="visually-hidden">{}</span></td>',
        mark_safe(labels.not_applicable),
    )


@register.simple_tag
def whitespace_row_cells(row: AccountRow, can_log: bool = False) -> SafeString:
    """`can_log`: candidate cells link to the form that logs a deal, for those who may."""
    labels = _Labels.now()
    return mark_safe(
        "\n          ".join(_cell(cell, row.recommendation, labels, can_log) for cell in row.cells)
    )
