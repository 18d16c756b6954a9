"""One page of the account x product matrix, assembled from its parts."""

from accounts.models import Merger, Product, Segment
from accounts.selectors.whitespace.cells import PageFacts, account_row, page_facts
from accounts.selectors.whitespace.grid import (
    MAX_PAGE_SIZE,
    MatrixSort,
    ProductColumn,
    WhitespaceMatrix,
)
from accounts.selectors.whitespace.paging import (
    AccountFilter,
    account_page,
    cells_filter,
    matrix_accounts,
    product_columns,
)
from accounts.selectors.whitespace.sums import (
    accounts_by_candidate_sum,
    candidate_sums,
    family_sums,
)


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
    products = list(product_columns(merger=merger, company=company, product_family=product_family))
    filtered = bool(company or product_family)
    cell_filter = cells_filter(
        direction=direction, product_ids=[p.pk for p in products] if filtered else None
    )
    if candidates_only is None:
        candidates_only = bool(direction or filtered)
    direction_only = direction if direction and not filtered else None
    # Sorted by the chosen products' potential, the page joins their candidates itself.
    sum_candidates = candidates_only and bool(products) and filtered and sort is MatrixSort.VALUE
    found = matrix_accounts(
        merger=merger,
        accounts=accounts,
        cell_filter=cell_filter,
        candidates_only=candidates_only and not sum_candidates,
        direction_only=direction_only,
    )
    if sum_candidates:
        # Without an account filter, every account of the program: the chosen products'
        # candidates are all the program's.
        listed = None if accounts == AccountFilter() else found
        if _whole_family(products, direction=direction, company=company, family=product_family):
            sums = family_sums(listed, family=product_family)
        else:
            sums = candidate_sums(listed, cell_filter=cell_filter)
        rows_of_page, total = accounts_by_candidate_sum(sums, page=page, size=page_size)
    else:
        rows_of_page, total = account_page(
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
    facts = page_facts(account_ids, cell_filter) if account_ids else PageFacts()
    rows = tuple(account_row(account, columns, facts) for account in rows_of_page)
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


def _whole_family(
    products: list[Product], *, direction: str | None, company: int | None, family: int | None
) -> bool:
    """Whether the columns are a product family's active products, no more, no less, and
    every candidate among them counts: then the refresh's totals per account and family
    are the sums. A product's family is one of its own company's (the API and the import
    keep it so), so a company filter equal to the family's keeps all of them."""
    if not family or direction or not products:
        return False
    return company is None or company == products[0].family.company_id
