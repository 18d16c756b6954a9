"""Candidates and their potential value per segment and direction, from the rollup."""

from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import Direction, Merger, Segment, WhitespaceRollup
from accounts.selectors.whitespace.cache import cached
from accounts.selectors.whitespace.grid import ZERO


def whitespace_totals(*, merger: Merger) -> list[dict[str, Any]]:
    """Candidates and their potential value per segment x direction (one query, cached)."""
    return cached(merger, "totals", lambda: _whitespace_totals(merger))


def _whitespace_totals(merger: Merger) -> list[dict[str, Any]]:
    # From the rollup, by ids, names looked up afterwards (see heatmap._whitespace_heatmap).
    rows = (
        WhitespaceRollup.objects.filter(merger=merger)
        .values("segment_id", "direction")
        .annotate(count=Sum("cells"), value=Sum("value"))
        .order_by()
    )
    names = dict(Segment.objects.filter(merger=merger).values_list("pk", "name"))
    totals = [
        {
            "segment_id": row["segment_id"],
            "segment_name": names.get(row["segment_id"]) or _("No segment"),
            "direction": row["direction"],
            "direction_label": str(Direction(row["direction"]).label),
            "count": row["count"],
            "value": row["value"] or ZERO,
        }
        for row in rows
    ]
    # As ORDER BY segment name, direction did: no segment (NULL) last.
    return sorted(
        totals,
        key=lambda t: (t["segment_id"] is None, names.get(t["segment_id"], ""), t["direction"]),
    )


def whitespace_totals_by_direction(totals: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Folds `whitespace_totals` rows into one total per direction (no query)."""
    result = {d: {"count": 0, "value": ZERO} for d in Direction.values}
    for row in totals:
        result[row["direction"]]["count"] += row["count"]
        result[row["direction"]]["value"] += row["value"]
    return result
