"""Writes of quotas: one rep at a time, a leader's grid, and sales ops' CSV import.

Every write keeps its changed fields in the quota's history (who, when, from, to).
Concurrent edits are refused rather than merged: a write names the version it
read (0 for "there is no quota yet") and goes through only if the row is still
at that version, by a compare-and-set UPDATE, so of two saves at the same
version exactly one wins and the other gets a QuotaConflict.

One module per job; the names callers use are handed on here.
"""

from tracker.services.quotas.edit import QuotaRow, quota_set, quotas_bulk_set
from tracker.services.quotas.errors import QuotaConflict, QuotaRowErrors
from tracker.services.quotas.importing import QuotaImportResult, quota_import_csv
from tracker.services.quotas.rules import (
    overlap_message,
    quota_amounts,
    quota_period,
    quota_require,
    quota_values,
    rep_periods,
)
from tracker.services.quotas.shared import TRACKED

__all__ = [
    "TRACKED",
    "QuotaConflict",
    "QuotaImportResult",
    "QuotaRow",
    "QuotaRowErrors",
    "overlap_message",
    "quota_amounts",
    "quota_import_csv",
    "quota_period",
    "quota_require",
    "quota_set",
    "quota_values",
    "quotas_bulk_set",
    "rep_periods",
]
