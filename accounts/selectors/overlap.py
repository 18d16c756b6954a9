"""Account overlap: how the two customer bases intersect, overall and per segment.

Counts read `UnifiedAccount.status`, which accounts.services.overlap keeps in
step with the install base, so each count is a single GROUP BY.
"""

from typing import TypedDict

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from accounts.customer_status import STATUSES
from accounts.models import Merger, Segment, UnifiedAccount


class SegmentOverlap(TypedDict):
    segment_id: int | None
    segment_name: str
    counts: dict[str, int]
    total: int


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


def overlap_counts(*, merger: Merger, segment: Segment | None = None) -> dict[str, int]:
    """Number of unified accounts per status; every status is present, zero if none."""
    accounts = UnifiedAccount.objects.filter(merger=merger)
    if segment is not None:
        accounts = accounts.filter(segment=segment)
    counts = _empty_counts()
    for row in accounts.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def overlap_by_segment(*, merger: Merger) -> list[SegmentOverlap]:
    """Status x segment table, by segment name; accounts without a segment come last.

    Grouped by ids alone, names looked up afterwards: the accounts joined to their
    segments' names cost a hash join per account on a large program, where the
    ids are read from an index of (merger, segment, status)."""
    rows = (
        UnifiedAccount.objects.filter(merger=merger)
        .values("segment_id", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    names = dict(Segment.objects.filter(merger=merger).values_list("pk", "name"))
    table: dict[int | None, SegmentOverlap] = {}
    for row in rows:
        entry = table.setdefault(
            row["segment_id"],
            {
                "segment_id": row["segment_id"],
                "segment_name": names.get(row["segment_id"]) or _("No segment"),
                "counts": _empty_counts(),
                "total": 0,
            },
        )
        entry["counts"][row["status"]] = row["n"]
        entry["total"] += row["n"]
    return sorted(
        table.values(), key=lambda e: (e["segment_id"] is None, e["segment_name"].lower())
    )


def overlap_counts_of_segments(rows: list[SegmentOverlap]) -> dict[str, int]:
    """overlap_counts of the whole program, summed from its status x segment table: a page
    showing both scans the accounts once."""
    counts = _empty_counts()
    for row in rows:
        for status, n in row["counts"].items():
            counts[status] += n
    return counts


def overlap_accounts(
    *, merger: Merger, status: str, segment: Segment | None = None
) -> QuerySet[UnifiedAccount]:
    """The accounts behind one count, for a paginated list."""
    if status not in STATUSES:
        raise ValueError(f"unknown account status {status!r}")
    accounts = UnifiedAccount.objects.filter(merger=merger, status=status)
    if segment is not None:
        accounts = accounts.filter(segment=segment)
    return accounts.select_related("segment").order_by("name", "id")
