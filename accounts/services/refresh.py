"""One refresh of everything derived from a merger's CRM data, in dependency order.

Imports and matching enqueue this after they write: statuses first (overlap
and whitespace directions read them), then the segments from the CRM records
and the segment rules, then connection and risk, then the whitespace (its
cells carry the segment), then the install-base ownership counts of the
product map (per customer status). It is the last
link of every chain that starts with a CRM write (accounts import, then
matching, then this; products or install base import, then this; a review
decision, then this), so it is the one place that tells later apps, through
`program_data_changed`, that the program's data changed.
"""

from collections.abc import Collection

from accounts.models import (
    Holding,
    Merger,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
    WhitespaceFamilyTotal,
)
from accounts.services.account_segments import account_segments_refresh
from accounts.services.bulk_rows import tables_analyze
from accounts.services.overlap import account_customer_since_refresh, account_statuses_refresh
from accounts.services.ownership import product_ownership_refresh
from accounts.services.risk import account_signals_refresh
from accounts.services.whitespace import whitespace_refresh
from accounts.signals import product_ownership_outdated
from core.signals import program_data_announce


def merger_analysis_refresh(*, merger_id: int, notify: bool = True) -> dict[str, int]:
    """Returns how many rows each step changed or created. Idempotent.

    With `notify`, `program_data_changed` goes out once the refresh commits;
    a caller that computes scores itself in the same transaction (the demo
    seed) turns it off.
    """
    # It follows bulk writes (imports, matching) and reads every record they wrote.
    tables_analyze([SourceAccount, UnifiedAccount, Holding])
    result = {
        "statuses_changed": account_statuses_refresh(merger_id=merger_id),
        "customer_since_changed": account_customer_since_refresh(merger_id=merger_id),
        # Before the whitespace: its cells carry the account's segment.
        "segments_changed": account_segments_refresh(merger_id=merger_id),
        "signals_changed": account_signals_refresh(merger_id=merger_id),
        "whitespace_cells": whitespace_refresh(merger_id=merger_id),
        "ownership_rows": product_ownership_refresh(merger_id=merger_id),
    }
    # Pages filter on what it wrote: the first viewer must not meet stale statistics.
    tables_analyze([UnifiedAccount, WhitespaceCell, WhitespaceFamilyTotal])
    if notify and Merger.objects.filter(pk=merger_id).exists():
        program_data_announce(Merger, merger_id)
    return result


def accounts_analysis_refresh(
    *, merger_id: int, account_ids: Collection[int], holdings_changed: bool = True
) -> dict[str, int]:
    """Statuses, customer-since dates and whitespace of a few accounts, in the caller's
    transaction; the program-wide ownership counts are recounted after it commits.

    What a won, reopened or moved deal changes: the buyer's install base and
    which of its pairs are in the pipeline. Refreshing only its accounts costs a
    few small queries where the whole program's refresh reads every holding, so
    the deal's own transaction can afford it and no page shows the deal won
    while its account is not yet a customer. A won deal adds a product held, which
    the risk screen reads, so when `holdings_changed` the accounts are screened again
    too; a deal that moved no holding leaves the screen's inputs as they were.
    """
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    result = {
        "statuses_changed": account_statuses_refresh(merger_id=merger_id, account_ids=ids),
        "customer_since_changed": account_customer_since_refresh(
            merger_id=merger_id, account_ids=ids
        ),
        "signals_changed": (
            account_signals_refresh(merger_id=merger_id, account_ids=ids)
            if holdings_changed
            else 0
        ),
        "whitespace_cells": whitespace_refresh(merger_id=merger_id, account_ids=ids),
    }
    product_ownership_outdated.send(sender=Merger, merger_id=merger_id)
    return result
