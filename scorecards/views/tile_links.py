"""Where each dashboard tile's figure drills down to: the list of the records behind it.

A tile links only where a list adds up to its figure: the open pipeline to the open
deals of the slice (a closed month's as they stood at its end); while the month is live,
realized synergy to the deals it sums, the coverage to the pipeline it counts and the
win rate to the deals won and lost in the month; attainment to the quota page of the
month. A closed month's realized synergy, coverage and win rate are frozen while any
list is today's: those tiles stay without a link rather than open a list that does not
add up.
"""

from datetime import date
from typing import Any

from django.urls import reverse

from accounts.models import Merger
from scorecards.views.chart_text import path_with, url_with
from tracker.models import Stage
from tracker.pipeline_math import month_end
from tracker.views.filters import closing_list_params, realized_list_params

# Dashboard slices the list of a closed month's open deals can filter on.
FROZEN_LIST_FILTERS = {"segment", "team", "direction", "owner"}


def tile_links(
    *,
    merger: Merger,
    month: date,
    today: date,
    source: str,
    slice_params: dict[str, Any],
    has_quota: bool,
) -> dict[str, str]:
    """Each tile key's URL; a tile without one is left out."""
    chosen = {key: value for key, value in slice_params.items() if value not in (None, "")}
    links: dict[str, str] = {}
    open_list = _open_list(month, source, chosen)
    if open_list:
        links["open_pipeline"] = links["weighted_pipeline"] = open_list
    if source == "live":
        realized = {**realized_list_params(merger=merger, closed_to=month_end(month)), **chosen}
        links["realized"] = links["won_to_date"] = url_with("tracker:pipeline", **realized)
        # Won and lost in the month: the list's close dates leave open deals out.
        closed = {"closed_on_after": month, "closed_on_before": month_end(month)}
        links["win_rate"] = url_with("tracker:pipeline", **closed, **chosen)
        closing = closing_list_params(first=month, last=month_end(month), today=today)
        if closing and has_quota:
            links["coverage"] = url_with("tracker:pipeline", **{**closing, **chosen})
    if has_quota:
        links["attainment"] = url_with("tracker:quotas", period=f"{month:%Y-%m}")
    return links


def _open_list(month: date, source: str, chosen: dict[str, Any]) -> str:
    if source == "live":
        return url_with("tracker:pipeline", outcome=Stage.Outcome.OPEN, **chosen)
    # A line's, or the kept deals of other filters: the list reads the same kept rows.
    if source in ("snapshot", "kept") and set(chosen) <= FROZEN_LIST_FILTERS:
        path = reverse("tracker:pipeline_frozen", args=[f"{month:%Y-%m}"])
        return path_with(path, **chosen)
    return ""
