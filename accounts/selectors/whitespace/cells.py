"""Each cell of a page of the grid, and what a candidate cell hands to a new opportunity."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import Holding, Merger, UnifiedAccount, WhitespaceCell
from accounts.pipeline import Deal, deals_on_accounts, new_deal_path
from accounts.selectors.whitespace.grid import ZERO, AccountRow, Cell, CellState, ProductColumn


def opportunity_url(
    *, account_id: int, product_id: int, kind: str, direction: str, amount: Any
) -> str:
    """The link that opens a new opportunity prefilled from a candidate cell; none without a
    pipeline."""
    path = new_deal_path()
    if not path:
        return ""
    query = urlencode(
        {
            "account": account_id,
            "product": product_id,
            "kind": kind,
            "direction": direction,
            "amount": amount,
        }
    )
    return f"{path}?{query}"


def cell_opportunity_url(cell: WhitespaceCell) -> str:
    """The new-opportunity link of a stored candidate cell."""
    return opportunity_url(
        account_id=cell.account_id,
        product_id=cell.product_id,
        kind=cell.kind,
        direction=cell.direction,
        amount=cell.potential_value,
    )


type Pair = tuple[int, int]


@dataclass
class PageFacts:
    """What one page of accounts holds, is offered and is being sold, by (account, product)."""

    holdings: dict[Pair, set[str]] = field(default_factory=dict)
    candidates: dict[Pair, dict[str, Any]] = field(default_factory=dict)
    open_deals: dict[Pair, Deal] = field(default_factory=dict)
    won_deals: dict[Pair, Deal] = field(default_factory=dict)


def page_facts(account_ids: list[int], cell_filter: Q) -> PageFacts:
    page = PageFacts()
    holdings = (
        Holding.objects.filter(account__unified_id__in=account_ids)
        .values_list("account__unified_id", "product_id", "origin")
        .distinct()
    )
    for account_id, product_id, origin in holdings:
        page.holdings.setdefault((account_id, product_id), set()).add(origin)
    cells = (
        WhitespaceCell.objects.filter(cell_filter, account_id__in=account_ids)
        .values(
            "account_id",
            "product_id",
            "potential_value",
            "value_basis",
            "kind",
            "direction",
            "via__reason",
            "via__source__name",
        )
        .order_by()
    )
    for cell in cells:
        page.candidates[(cell["account_id"], cell["product_id"])] = cell
    for deal in deals_on_accounts(account_ids=account_ids):
        deals = page.open_deals if deal.is_open else page.won_deals
        deals[(deal.account_id, deal.product_id)] = deal
    return page


def _cell(account_id: int, product_id: int, page: PageFacts) -> Cell:
    """Owned before won before in pipeline before candidate: what the account has comes first."""
    pair = (account_id, product_id)
    origins = page.holdings.get(pair, set())
    if Holding.Origin.CRM in origins:
        return Cell(product_id=product_id, state=CellState.OWNED)
    if Holding.Origin.WON_DEAL in origins:
        deal = page.won_deals.get(pair)
        return Cell(
            product_id=product_id,
            state=CellState.WON,
            value=deal.amount if deal else ZERO,
            deal_url=deal.url if deal else "",
        )
    if (deal := page.open_deals.get(pair)) is not None:
        return Cell(
            product_id=product_id,
            state=CellState.IN_PIPELINE,
            value=deal.amount,
            deal_url=deal.url,
            deal_stage=deal.stage,
        )
    found = page.candidates.get(pair)
    if found is None:
        return Cell(product_id=product_id, state=CellState.NOT_APPLICABLE)
    return Cell(
        product_id=product_id,
        state=CellState.CANDIDATE,
        value=found["potential_value"],
        kind=found["kind"],
        direction=found["direction"],
        reason=found["via__reason"] or _("Fits the segment: most of its customers own it."),
        via_source_name=found["via__source__name"] or "",
        value_basis=found["value_basis"],
        value_basis_label=str(WhitespaceCell.ValueBasis(found["value_basis"]).label),
        opportunity_url=opportunity_url(
            account_id=account_id,
            product_id=product_id,
            kind=found["kind"],
            direction=found["direction"],
            amount=found["potential_value"],
        ),
    )


def account_row(
    account: UnifiedAccount, columns: tuple[ProductColumn, ...], page: PageFacts
) -> AccountRow:
    cells = [_cell(account.pk, column.id, page) for column in columns]
    shown = [c for c in cells if c.state is CellState.CANDIDATE]
    return AccountRow(
        id=account.pk,
        name=account.name,
        status=account.status,
        segment_name=account.segment.name if account.segment_id else "",
        recommendation=account.recommendation,
        recommendation_reason=account.recommendation_reason_text,
        connection_strength=account.connection_strength,
        cells=tuple(cells),
        candidate_value=sum((c.value for c in shown), ZERO),
        candidate_count=len(shown),
    )


def whitespace_cell_prefill(*, merger: Merger, account_id: int, product_id: int) -> dict[str, Any]:
    """What a new opportunity opened from a candidate cell starts with.

    Raises WhitespaceCell.DoesNotExist when the cell is not a candidate of
    this merger (any more).
    """
    cell = (
        WhitespaceCell.objects.select_related("account", "via")
        .only(
            "account_id",
            "product_id",
            "kind",
            "direction",
            "potential_value",
            "account__recommendation",
            "account__recommendation_reason",
            "via__reason",
        )
        .get(merger=merger, account_id=account_id, product_id=product_id)
    )
    return {
        "account": cell.account_id,
        "product": cell.product_id,
        "kind": cell.kind,
        "direction": cell.direction,
        "amount": cell.potential_value,
        "reason": cell.via.reason if cell.via else "",
        "recommendation": cell.account.recommendation,
        "recommendation_reason": cell.account.recommendation_reason_text,
    }
