"""Closing a month: its pipeline snapshot and its six-C scores, frozen together.

After the close a month's figures are facts: dashboards, the scorecard, the API
and the board pack read the snapshot and the frozen scores, and a later change
to its deals is a restatement of the month it is made in. Both parts are
idempotent, so a close that is run again, or catches up after downtime, leaves
closed months as they are.
"""

from datetime import date

from django.utils import timezone

from scorecards.services.scores import score_due_months, scores_freeze
from tracker.services.snapshots import snapshot_due_months, snapshot_freeze


def month_close(*, merger_id: int, month: date, today: date | None = None) -> None:
    month = month.replace(day=1)
    snapshot_freeze(merger_id=merger_id, month=month)
    scores_freeze(merger_id=merger_id, month=month, today=today)


def months_to_close(*, merger_id: int, today: date | None = None) -> list[date]:
    """Ended months since Day 1 with a part not frozen yet, oldest first: a snapshot
    books restatements against the one before it, so months close in order."""
    today = today or timezone.localdate()
    due = set(snapshot_due_months(merger_id=merger_id, today=today))
    due |= set(score_due_months(merger_id=merger_id, today=today))
    return sorted(due)
