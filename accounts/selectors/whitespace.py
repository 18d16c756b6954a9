"""Reads of the materialised whitespace: totals, the account x product matrix, heatmaps.

Every function runs a fixed number of queries whatever the size of the
merger: aggregates are GROUP BYs over `WhitespaceCell`, and the matrix reads
one page of accounts and then only that page's holdings and cells.
"""

import datetime as dt
import textwrap
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import (
    Direction,
    Holding,
    LegacyCompany,
    Merger,
    Product,
    Segment,
    UnifiedAccount,
    WhitespaceCell,
    WhitespaceRollup,
)
from accounts.pipeline import Deal, deals_on_accounts, new_deal_path
from accounts.selectors.whitespace_sums import accounts_by_candidate_sum

ZERO = Decimal("0")
MAX_PAGE_SIZE = 200


class CellState(StrEnum):
    OWNED = "owned"  # per the CRM install base
    WON = "won"  # sold by the program: a won deal's holding
    IN_PIPELINE = "in_pipeline"  # an open deal is being worked
    CANDIDATE = "candidate"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ProductColumn:
    id: int
    name: str
    code: str
    company_id: int
    company_short_name: str
    company_role: str
    family_name: str

    @property
    def short_label(self) -> str:
        """What fits a narrow column header: the product code without its company prefix
        (the family header names the company), else the name cut short."""
        if not self.code:
            return textwrap.shorten(self.name, width=14, placeholder="…")
        prefix, _sep, rest = self.code.partition("-")
        return rest if rest and len(prefix) <= 4 else self.code

    @property
    def full_label(self) -> str:
        return f"{self.name} ({self.company_short_name})"


@dataclass(frozen=True)
class ProductGroup:
    """Adjacent product columns of one company and family, under one header cell."""

    family_name: str
    company_short_name: str
    company_role: str
    span: int


@dataclass(frozen=True)
class Cell:
    product_id: int
    state: CellState
    value: Decimal = ZERO
    kind: str = ""
    direction: str = ""
    reason: str = ""
    via_source_name: str = ""
    opportunity_url: str = ""
    value_basis: str = ""
    value_basis_label: str = ""
    # The open deal of an in-pipeline cell, the won deal of a won one.
    deal_url: str = ""
    deal_stage: str = ""


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    status: str
    segment_name: str
    recommendation: str
    recommendation_reason: str
    connection_strength: int | None
    cells: tuple[Cell, ...]
    candidate_value: Decimal
    candidate_count: int


class MatrixSort(StrEnum):
    VALUE = "value"  # largest potential value first
    NAME = "name"


@dataclass(frozen=True)
class WhitespaceMatrix:
    products: tuple[ProductColumn, ...]
    rows: tuple[AccountRow, ...]
    page: int
    page_size: int
    total_accounts: int
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total_accounts // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def product_groups(self) -> tuple[ProductGroup, ...]:
        groups: list[ProductGroup] = []
        for column in self.products:
            last = groups[-1] if groups else None
            same = last is not None and (last.family_name, last.company_short_name) == (
                column.family_name,
                column.company_short_name,
            )
            if same:
                groups[-1] = ProductGroup(
                    last.family_name, last.company_short_name, last.company_role, last.span + 1
                )
            else:
                groups.append(
                    ProductGroup(
                        column.family_name, column.company_short_name, column.company_role, 1
                    )
                )
        return tuple(groups)


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


# Totals and heatmaps sum the merger's rollup (thousands of rows, where grouping
# its million cells took seconds) and change only when the whitespace is
# refreshed. They are also cached under a stamp that each refresh renews; the
# timeout bounds staleness where the cache is per process.
AGGREGATE_CACHE_SECONDS = 15 * 60


def _stamp_key(merger_id: int, created_at: dt.datetime) -> str:
    # The creation time keeps keys apart when a database reuses a merger id.
    return f"accounts:whitespace-stamp:{merger_id}:{created_at.timestamp()}"


def whitespace_cache_renew(*, merger_id: int, created_at: dt.datetime) -> None:
    """Makes every cached aggregate of the merger's whitespace stale."""
    cache.set(_stamp_key(merger_id, created_at), time.time_ns(), None)


def _cached[T](merger: Merger, name: str, compute: Callable[[], T]) -> T:
    stamp = cache.get_or_set(_stamp_key(merger.pk, merger.created_at), time.time_ns, None)
    key = f"accounts:whitespace:{merger.pk}:{stamp}:{get_language()}:{name}"
    return cache.get_or_set(key, compute, AGGREGATE_CACHE_SECONDS)


def whitespace_totals(*, merger: Merger) -> list[dict[str, Any]]:
    """Candidates and their potential value per segment x direction (one query, cached)."""
    return _cached(merger, "totals", lambda: _whitespace_totals(merger))


def _whitespace_totals(merger: Merger) -> list[dict[str, Any]]:
    # From the rollup, by ids, names looked up afterwards (see _whitespace_heatmap).
    rows = (
        WhitespaceRollup.objects.filter(merger=merger)
        .values("segment_id", "direction")
        .annotate(count=Sum("cells"), value=Sum("value"))
        .order_by()
    )
    names = dict(Segment.objects.filter(merger=merger).values_list("pk", "name"))
    totals = [
        {
            "segment_id": row["segment_id"],
            "segment_name": names.get(row["segment_id"]) or _("No segment"),
            "direction": row["direction"],
            "direction_label": str(Direction(row["direction"]).label),
            "count": row["count"],
            "value": row["value"] or ZERO,
        }
        for row in rows
    ]
    # As ORDER BY segment name, direction did: no segment (NULL) last.
    return sorted(
        totals,
        key=lambda t: (t["segment_id"] is None, names.get(t["segment_id"], ""), t["direction"]),
    )


def whitespace_totals_by_direction(totals: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Folds `whitespace_totals` rows into one total per direction (no query)."""
    result = {d: {"count": 0, "value": ZERO} for d in Direction.values}
    for row in totals:
        result[row["direction"]]["count"] += row["count"]
        result[row["direction"]]["value"] += row["value"]
    return result


def _product_columns(
    *, merger: Merger, company: int | None, product_family: int | None
) -> QuerySet[Product]:
    products = Product.objects.filter(company__merger=merger, is_active=True)
    if company:
        products = products.filter(company_id=company)
    if product_family:
        products = products.filter(family_id=product_family)
    # The acquirer's products first, then each acquired company's; within a company by
    # family, so that a family's products sit side by side under one header.
    acquirer_first = Case(When(company__role=LegacyCompany.Role.ACQUIRER, then=0), default=1)
    return products.select_related("company", "family").order_by(
        acquirer_first, "company__name", F("family__name").asc(nulls_last=True), "name", "id"
    )


def _cells_filter(*, direction: str | None, product_ids: list[int] | None) -> Q:
    condition = Q()
    if direction:
        condition &= Q(direction=direction)
    if product_ids is not None:
        condition &= Q(product__in=product_ids)
    return condition


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts the grid lists; every part is optional."""

    segment: Segment | None = None
    unsegmented: bool = False  # only accounts without a segment
    search: str | None = None
    recommendation: str | None = None
    mine: Q | None = None  # accounts.selectors.my_accounts.my_accounts_condition


def _accounts(
    *,
    merger: Merger,
    accounts: AccountFilter,
    cell_filter: Q,
    candidates_only: bool,
    direction_only: str | None = None,
) -> QuerySet[UnifiedAccount]:
    """With `direction_only` (a direction and no product filter), the accounts with
    candidates in it are those with a total in it, annotated `direction_total`."""
    found = UnifiedAccount.objects.filter(merger=merger)
    if accounts.unsegmented:
        found = found.filter(segment__isnull=True)
    elif accounts.segment is not None:
        found = found.filter(segment=accounts.segment)
    if accounts.search:
        found = found.filter(name__icontains=accounts.search)
    if accounts.recommendation:
        found = found.filter(recommendation=accounts.recommendation)
    if accounts.mine is not None:
        found = found.filter(accounts.mine)
    if candidates_only and direction_only:
        # One total per account and direction: its candidates there, not a million cells.
        in_direction = Q(
            whitespace_totals__merger=merger, whitespace_totals__direction=direction_only
        )
        found = found.annotate(
            direction_total=FilteredRelation("whitespace_totals", condition=in_direction)
        ).filter(direction_total__isnull=False)
    elif candidates_only:
        cells = WhitespaceCell.objects.filter(cell_filter, account=OuterRef("pk"))
        found = found.filter(Exists(cells))
    return found


def _account_page(
    accounts: QuerySet[UnifiedAccount],
    *,
    cell_filter: Q,
    sort: MatrixSort,
    page: int,
    size: int,
    by_direction_total: bool = False,
) -> tuple[list[UnifiedAccount], int]:
    """One page and the number of accounts in all; a page past the end is the last page.

    `by_direction_total`: the accounts carry `direction_total` (see _accounts), the
    candidates of the one direction filtered on."""
    if sort is MatrixSort.VALUE and cell_filter == Q():
        # Every candidate counts: the total the whitespace refresh keeps on the account.
        accounts = accounts.order_by("-whitespace_value", "name", "id")
    elif sort is MatrixSort.VALUE and by_direction_total:
        # The direction's candidates: the total the whitespace refresh keeps per direction.
        accounts = accounts.annotate(potential=F("direction_total__value")).order_by(
            "-potential", "name", "id"
        )
    elif sort is MatrixSort.VALUE:
        # Only the candidates of the chosen direction or products count: summed here,
        # over the accounts that have such candidates.
        potential = (
            WhitespaceCell.objects.filter(cell_filter, account=OuterRef("pk"))
            .order_by()
            .values("account")
            .annotate(total=Sum("potential_value"))
            .values("total")
        )
        accounts = accounts.annotate(
            potential=Coalesce(Subquery(potential), Value(ZERO), output_field=DecimalField())
        ).order_by("-potential", "name", "id")
    else:
        accounts = accounts.order_by("name", "id")
    accounts = accounts.select_related("segment").only(
        "id",
        "name",
        "status",
        "segment__name",
        "recommendation",
        "recommendation_reason",
        "connection_strength",
    )
    # Counted apart: a window count over the page made the database read, join and
    # keep every account of the program before the first row (0.65 s of 100k
    # accounts), where the page alone walks an index down to one page and stops.
    total = accounts.count()
    if total == 0:
        return [], 0
    # Past the end (a stale link, fewer accounts after a filter): the last page instead.
    page = min(page, -(-total // size))
    return list(accounts[(page - 1) * size : page * size]), total


def whitespace_matrix(
    *,
    merger: Merger,
    segment: Segment | None = None,
    accounts: AccountFilter | None = None,
    direction: str | None = None,
    company: int | None = None,
    product_family: int | None = None,
    search: str | None = None,
    candidates_only: bool | None = None,
    sort: MatrixSort = MatrixSort.NAME,
    page: int = 1,
    page_size: int = 50,
) -> WhitespaceMatrix:
    """One page of accounts x the merger's active products.

    The accounts are those of `accounts` (or of `segment`, or all of the merger),
    by name or largest potential value first. Each cell is owned (some CRM record
    of the account holds the product), won (the program sold it: a won deal's
    holding, linking to the deal), in pipeline (an open deal, linking to it),
    candidate (a whitespace cell, with its value and its basis, kind, direction
    and the mapping's reason) or not applicable. Filtering by direction, company
    or product family keeps only accounts with a matching candidate (unless
    `candidates_only` is given explicitly). Six queries, whatever the data: the
    product columns, the accounts' count, the accounts page, its holdings, its
    candidate cells and its deals.
    """
    page = max(1, page)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    if accounts is None:
        accounts = AccountFilter(segment=segment, search=search)
    # The columns first: their ids are the product filter of every later query.
    products = list(
        _product_columns(merger=merger, company=company, product_family=product_family)
    )
    filtered = bool(company or product_family)
    cell_filter = _cells_filter(
        direction=direction, product_ids=[p.pk for p in products] if filtered else None
    )
    if candidates_only is None:
        candidates_only = bool(direction or filtered)
    direction_only = direction if direction and not filtered else None
    # Sorted by the chosen products' potential, the page joins their candidates itself.
    sum_candidates = candidates_only and bool(products) and filtered and sort is MatrixSort.VALUE
    found = _accounts(
        merger=merger,
        accounts=accounts,
        cell_filter=cell_filter,
        candidates_only=candidates_only and not sum_candidates,
        direction_only=direction_only,
    )
    if sum_candidates:
        # Without an account filter, every account of the program: the chosen products'
        # candidates are all the program's.
        rows_of_page, total = accounts_by_candidate_sum(
            None if accounts == AccountFilter() else found,
            cell_filter=cell_filter,
            page=page,
            size=page_size,
        )
    else:
        rows_of_page, total = _account_page(
            found,
            cell_filter=cell_filter,
            sort=sort,
            page=page,
            size=page_size,
            by_direction_total=bool(candidates_only and direction_only),
        )
    if total:
        page = min(page, -(-total // page_size))
    account_ids = [a.pk for a in rows_of_page]
    columns = tuple(
        ProductColumn(
            id=p.pk,
            name=p.name,
            code=p.code,
            company_id=p.company_id,
            company_short_name=p.company.short_name,
            company_role=p.company.role,
            family_name=p.family.name if p.family else "",
        )
        for p in products
    )
    facts = _page_facts(account_ids, cell_filter) if account_ids else _PageFacts()
    rows = tuple(_account_row(account, columns, facts) for account in rows_of_page)
    return WhitespaceMatrix(
        products=columns,
        rows=rows,
        page=page,
        page_size=page_size,
        total_accounts=total,
        filters={
            "segment": accounts.segment.pk if accounts.segment is not None else "",
            "direction": direction or "",
            "company": company or "",
            "product_family": product_family or "",
            "search": accounts.search or "",
        },
    )


type Pair = tuple[int, int]


@dataclass
class _PageFacts:
    """What one page of accounts holds, is offered and is being sold, by (account, product)."""

    holdings: dict[Pair, set[str]] = field(default_factory=dict)
    candidates: dict[Pair, dict[str, Any]] = field(default_factory=dict)
    open_deals: dict[Pair, Deal] = field(default_factory=dict)
    won_deals: dict[Pair, Deal] = field(default_factory=dict)


def _page_facts(account_ids: list[int], cell_filter: Q) -> _PageFacts:
    page = _PageFacts()
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


def _cell(account_id: int, product_id: int, page: _PageFacts) -> Cell:
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


def _account_row(
    account: UnifiedAccount, columns: tuple[ProductColumn, ...], page: _PageFacts
) -> AccountRow:
    cells = [_cell(account.pk, column.id, page) for column in columns]
    shown = [c for c in cells if c.state is CellState.CANDIDATE]
    return AccountRow(
        id=account.pk,
        name=account.name,
        status=account.status,
        segment_name=account.segment.name if account.segment_id else "",
        recommendation=account.recommendation,
        recommendation_reason=account.recommendation_reason,
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
        "recommendation_reason": cell.account.recommendation_reason,
    }


@dataclass(frozen=True)
class HeatmapData:
    """Potential value per product (rows) x segment or direction (columns)."""

    x_labels: tuple[str, ...]
    y_labels: tuple[str, ...]
    values: tuple[tuple[Decimal, ...], ...]
    counts: tuple[tuple[int, ...], ...]
    x_title: str
    y_title: str
    currency: str


def whitespace_heatmap(
    *, merger: Merger, segment: Segment | None = None, unsegmented: bool = False
) -> HeatmapData:
    """Product x segment for the whole merger, or product x direction within a segment
    (or among the accounts without a segment, when `unsegmented`).

    Three queries (cached): the cells grouped by ids, then the product and segment
    names; products and segments without candidates are left out.
    """
    scope = "none" if unsegmented else segment.pk if segment is not None else "all"
    return _cached(
        merger, f"heatmap:{scope}", lambda: _whitespace_heatmap(merger, segment, unsegmented)
    )


def _whitespace_heatmap(
    merger: Merger, segment: Segment | None, unsegmented: bool = False
) -> HeatmapData:
    # The rollup (thousands of rows, kept by the whitespace refresh) rather than the
    # cells (a million on the large program), grouped by ids only and names looked up
    # afterwards: grouping the cells by their joined names made PostgreSQL sort wide
    # rows and spill to disk (3.3 s on the large program, 0.25 s by ids).
    cells = WhitespaceRollup.objects.filter(merger=merger)
    by_segment = segment is None and not unsegmented
    if by_segment:
        column_key = "segment_id"
        x_title = _("Segment")
    else:
        cells = cells.filter(Q(segment__isnull=True) if unsegmented else Q(segment=segment))
        column_key = "direction"
        x_title = _("Direction")
    rows = list(
        cells.values("product_id", column_key)
        .annotate(count=Sum("cells"), value=Sum("value"))
        .order_by()
    )
    product_names = {
        pk: f"{name} ({short_name})"
        for pk, name, short_name in Product.objects.filter(
            company__merger=merger, pk__in={row["product_id"] for row in rows}
        ).values_list("pk", "name", "company__short_name")
    }
    segment_names = (
        dict(Segment.objects.filter(merger=merger).values_list("pk", "name")) if by_segment else {}
    )
    columns: dict[Any, str] = {}
    products: dict[int, str] = {}
    value: dict[tuple[int, Any], Decimal] = {}
    count: dict[tuple[int, Any], int] = {}
    for row in rows:
        key = row[column_key]
        if by_segment:
            columns[key] = segment_names.get(key) or _("No segment")
        else:
            columns[key] = str(Direction(key).label)
        products[row["product_id"]] = product_names[row["product_id"]]
        value[(row["product_id"], key)] = row["value"] or ZERO
        count[(row["product_id"], key)] = row["count"]
    if by_segment:
        x_keys = sorted(columns, key=lambda k: (k is None, columns[k].lower()))
    else:
        x_keys = [d for d in Direction.values if d in columns]
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (product_id, _key), amount in value.items():
        totals[product_id] += amount
    # Largest potential first, so the heatmap's top rows are where to look.
    y_keys = sorted(products, key=lambda p: (-totals[p], products[p].lower()))
    return HeatmapData(
        x_labels=tuple(columns[k] for k in x_keys),
        y_labels=tuple(products[p] for p in y_keys),
        values=tuple(tuple(value.get((p, k), ZERO) for k in x_keys) for p in y_keys),
        counts=tuple(tuple(count.get((p, k), 0) for k in x_keys) for p in y_keys),
        x_title=x_title,
        y_title=_("Product"),
        currency=merger.reporting_currency,
    )
