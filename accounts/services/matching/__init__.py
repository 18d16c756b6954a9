"""Matching writes: group CRM records into unified accounts, and the review actions.

`accounts_match` (run) runs the pure engine (`accounts.matching`) over a
merger's source records and writes the outcome in one transaction with bulk
writes. What people decided stays decided: records a person confirmed, merged
or split (and every record sharing an account with one) are left where they
are, and rejected pairs are never proposed again. A re-run over unchanged data
writes nothing.

Unified accounts emptied by a move are absorbed by the account their records
went to (absorb). The review actions (review) record who decided what.
"""

from accounts.services.matching.absorb import MergeConflict
from accounts.services.matching.review import (
    match_candidate_confirm,
    match_candidate_reject,
    match_candidates_confirm,
    match_candidates_reject,
    source_account_split,
    unified_accounts_merge,
)
from accounts.services.matching.rows import unified_account_fields_refresh
from accounts.services.matching.run import MatchRunResult, accounts_match

__all__ = [
    "MatchRunResult",
    "MergeConflict",
    "accounts_match",
    "match_candidate_confirm",
    "match_candidate_reject",
    "match_candidates_confirm",
    "match_candidates_reject",
    "source_account_split",
    "unified_account_fields_refresh",
    "unified_accounts_merge",
]
