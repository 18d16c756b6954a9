"""The segments step of the analysis refresh: each unified account's segment.

After imports and matching, before the whitespace (whose cells carry the
account's segment): every account gets the segment accounts.segmenting
decides from its CRM records or the program's segment rules; one assigned by
hand is never touched.
"""

from typing import Any

from django.utils import timezone

from accounts.models import Merger, UnifiedAccount
from accounts.selectors.segments import segment_decisions
from accounts.services.bulk_rows import rows_update

CHUNK = 2000


def account_segments_refresh(*, merger_id: int) -> int:
    """Give every account the segment its CRM records or the rules decide; return changes.

    Two streamed queries and an update per chunk of changed accounts only, so a
    re-run with nothing new writes nothing; manual segments stay as they are.
    """
    merger = Merger.objects.filter(pk=merger_id).first()
    if merger is None:
        return 0
    now = timezone.now()
    changed: list[tuple[int, dict[str, Any]]] = []
    written = 0
    for row in segment_decisions(merger=merger):
        if not row.changes:
            continue
        values = {
            "segment_id": row.decision.segment_id,
            "segment_source": row.decision.source,
            "updated_at": now,
        }
        changed.append((row.account_id, values))
        if len(changed) >= CHUNK:
            written += _write(changed)
            changed = []
    return written + _write(changed)


def _write(changed: list[tuple[int, dict[str, Any]]]) -> int:
    return rows_update(
        model=UnifiedAccount, names=["segment", "segment_source", "updated_at"], rows=changed
    )
