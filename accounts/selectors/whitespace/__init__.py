"""Reads of the materialised whitespace: totals, the account x product matrix, heatmaps.

Every function runs a fixed number of queries whatever the size of the
merger: aggregates are GROUP BYs over `WhitespaceCell`, and the matrix reads
one page of accounts and then only that page's holdings and cells.
"""

from accounts.selectors.whitespace.cache import AGGREGATE_CACHE_SECONDS, whitespace_cache_renew
from accounts.selectors.whitespace.cells import (
    cell_opportunity_url,
    opportunity_url,
    whitespace_cell_prefill,
)
from accounts.selectors.whitespace.grid import (
    MAX_PAGE_SIZE,
    ZERO,
    AccountRow,
    Cell,
    CellState,
    MatrixSort,
    ProductColumn,
    ProductGroup,
    WhitespaceMatrix,
)
from accounts.selectors.whitespace.heatmap import HeatmapData, whitespace_heatmap
from accounts.selectors.whitespace.matrix import whitespace_matrix
from accounts.selectors.whitespace.paging import AccountFilter
from accounts.selectors.whitespace.totals import whitespace_totals, whitespace_totals_by_direction

__all__ = [
    "AGGREGATE_CACHE_SECONDS",
    "MAX_PAGE_SIZE",
    "ZERO",
    "AccountFilter",
    "AccountRow",
    "Cell",
    "CellState",
    "HeatmapData",
    "MatrixSort",
    "ProductColumn",
    "ProductGroup",
    "WhitespaceMatrix",
    "cell_opportunity_url",
    "opportunity_url",
    "whitespace_cache_renew",
    "whitespace_cell_prefill",
    "whitespace_heatmap",
    "whitespace_matrix",
    "whitespace_totals",
    "whitespace_totals_by_direction",
]
