"""Writes of cross-sell opportunities; every write leaves history rows behind.

The guardrails come from the domain: a stated customer need, one open
opportunity per account and product, closed won with an amount and a date,
closed lost with a reason, no selling to an account the risk screen marks
"don't sell" (and no cross-sell where it says "upsell only") without a leader's
stated override, and a record of who changed
what, when, from what to what. Concurrent edits are refused rather than
merged: an update names the version it read and is written only if the row
still has that version. Rules of thumb (upsell size, tiny cross-sell deals)
only warn: a caller that wants the seller to confirm passes
`warnings_confirmed=False` and gets `WarningsNotConfirmed` back instead of a
write.

One module per job; the names callers use are handed on here.
"""

from tracker.services.opportunities.create import opportunity_create
from tracker.services.opportunities.delete import opportunity_delete
from tracker.services.opportunities.errors import (
    DuplicateOpen,
    Problems,
    StaleVersion,
    WarningsNotConfirmed,
)
from tracker.services.opportunities.rules import (
    DATE_SLACK_YEARS,
    opportunity_date_range,
    opportunity_problems,
)
from tracker.services.opportunities.shared import EDITABLE_FIELDS, TRACKED_FIELDS
from tracker.services.opportunities.update import opportunity_reopen, opportunity_update

__all__ = [
    "DATE_SLACK_YEARS",
    "EDITABLE_FIELDS",
    "TRACKED_FIELDS",
    "DuplicateOpen",
    "Problems",
    "StaleVersion",
    "WarningsNotConfirmed",
    "opportunity_create",
    "opportunity_date_range",
    "opportunity_delete",
    "opportunity_problems",
    "opportunity_reopen",
    "opportunity_update",
]
