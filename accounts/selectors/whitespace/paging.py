"""Which products and accounts the grid lists, and one page of the accounts, sorted."""

from dataclasses import dataclass

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

from accounts.models import (
    LegacyCompany,
    Merger,
    Product,
    Segment,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.selectors.whitespace.grid import ZERO, MatrixSort
from accounts.selectors.whitespace.sums import PAGE_FIELDS


def product_columns(
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


def cells_filter(*, direction: str | None, product_ids: list[int] | None) -> Q:
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


def matrix_accounts(
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


def account_page(
    accounts: QuerySet[UnifiedAccount],
    *,
    cell_filter: Q,
    sort: MatrixSort,
    page: int,
    size: int,
    by_direction_total: bool = False,
) -> tuple[list[UnifiedAccount], int]:
    """One page and the number of accounts in all; a page past the end is the last page.

    `by_direction_total`: the accounts carry `direction_total` (see matrix_accounts), the
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
    accounts = accounts.select_related("segment").only(*PAGE_FIELDS)
    # Counted apart: a window count over the page made the database read, join and
    # keep every account of the program before the first row (0.65 s of 100k
    # accounts), where the page alone walks an index down to one page and stops.
    total = accounts.count()
    if total == 0:
        return [], 0
    # Past the end (a stale link, fewer accounts after a filter): the last page instead.
    page = min(page, -(-total // size))
    return list(accounts[(page - 1) * size : page * size]), total
