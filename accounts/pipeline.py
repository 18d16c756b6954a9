"""What the whitespace needs to know about the pipeline, without importing the app that keeps it.

A pair the account has an open deal on is being worked, not a candidate, and
a cell of the whitespace grid links to the deal that is open or was won on it,
or to the form that logs a new one. Opportunities belong to an app above
accounts, which accounts must not import; that app registers its reader here
in its AppConfig.ready, the same way it registers panels and access rules.
Without a reader (accounts on its own) there is no pipeline: no pair is
excluded and no cell links to a deal.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

type Pair = tuple[int, int]  # (unified account id, product id)


@dataclass(frozen=True)
class Deal:
    """A deal a grid cell links to: the open one, or the won one whose sale is held."""

    account_id: int
    product_id: int
    opportunity_id: int
    is_open: bool
    stage: str
    amount: Decimal
    url: str


@dataclass(frozen=True)
class PipelineReader:
    # (merger_id, account ids or None for all) -> pairs with an open deal
    open_pairs: Callable[[int, Collection[int] | None], set[Pair]]
    # account ids -> their open deals and the won deals holding a sale
    deals_on: Callable[[Collection[int]], list[Deal]]
    # (merger_id, user_id) -> a lazy queryset of the ids of accounts the user owns a deal
    # on, for use as a subquery (no query of its own)
    accounts_with_deals_of: Callable[[int, int], Any] | None = None
    # () -> the path of the form that logs a new deal (query parameters prefill it)
    new_deal_path: Callable[[], str] | None = None
    # user -> whether they may log a new deal: a cell links to the form only for them
    may_log: Callable[[Any], bool] | None = None


_reader: list[PipelineReader] = []


def register_pipeline_reader(reader: PipelineReader) -> None:
    _reader[:] = [reader]


def pairs_in_pipeline(*, merger_id: int, account_ids: Collection[int] | None = None) -> set[Pair]:
    """(account, product) pairs with an open deal, of the given accounts or all of them."""
    return _reader[0].open_pairs(merger_id, account_ids) if _reader else set()


def deals_on_accounts(*, account_ids: Collection[int]) -> list[Deal]:
    """These accounts' open deals and the won deals whose sale is held; one query."""
    if not _reader or not account_ids:
        return []
    return _reader[0].deals_on(account_ids)


def accounts_with_deals_of(*, merger_id: int, user_id: int) -> Any | None:
    """Ids of the accounts the user owns a deal on, as a lazy subquery; None without a reader."""
    if not _reader or _reader[0].accounts_with_deals_of is None:
        return None
    return _reader[0].accounts_with_deals_of(merger_id, user_id)


def deals_loggable_by(*, user: Any) -> bool:
    """Whether `user` may log a new deal; no one without a pipeline."""
    if not _reader or _reader[0].may_log is None:
        return False
    return _reader[0].may_log(user)


def new_deal_path() -> str:
    """Where a new deal is logged; empty without a pipeline."""
    if not _reader or _reader[0].new_deal_path is None:
        return ""
    return _reader[0].new_deal_path()
