"""Which list a dashboard chart's bar or row opens: the deals the chart counted."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.urls import reverse

from scorecards.views.chart_text import Url, path_with, url_with
from tracker.figures import is_cross_company
from tracker.views.filters import realized_month_list_params


class PipelineLinks:
    """The pipeline list's URLs for one dashboard, with its filters (`params`).

    `open_params` narrow the list to the open deals the charts of open pipeline count;
    empty where no list shows them (a closed month's charts hold the deals open at its
    end), and those links are then left as they were.
    """

    def __init__(
        self, params: Mapping[str, Any], *, open_params: Mapping[str, Any], path: str | None
    ) -> None:
        self.params = dict(params)
        self.open_params = dict(open_params)
        # Reversed once: the segment and direction chart links every bar and cell to it.
        # A closed month's is the list of its deals as they stood (tracker:pipeline_frozen).
        self.path = path or reverse("tracker:pipeline")

    def url(self, **params: Any) -> str:
        return path_with(self.path, **{**self.params, **params})

    def open_url(self, **params: Any) -> Url:
        """The open deals of the slice, not every outcome; None for a segment the
        dashboard's segment filter leaves out: the chart counts nothing there, while that
        segment's list is not empty."""
        if not self.open_params:
            return self.url(**params)
        chosen = self.params.get("segment")
        if chosen and params.get("segment", chosen) != chosen:
            return None
        return self.url(**params, **self.open_params)


def realized_month_url(params: Mapping[str, Any], *, month: date, source: str) -> Url:
    """The list of what the impact chart adds in `month` for the slice `params`: the
    month's realized synergy (Impact.realized_in_month), from the point's own source.

    A point frozen in a snapshot line opens the month's wins as that snapshot replays
    them, narrowed to the slice, and so does a point summed from the month's kept deals
    (the wins page reads the same kept rows); a closed month frozen before its deals
    were kept is read from today's deals, so it opens today's list of them; the live
    month its wins. A rep's
    dashboard counts the rep's credited won (split and overlay deals by share): it opens
    the rep's credited deals of the month. A direction within one company realizes
    nothing: no link.
    """
    chosen = {key: value for key, value in params.items() if value not in (None, "")}
    if set(chosen) == {"owner"}:
        # A rep's realized synergy is their credited won, frozen or live: its deals.
        return url_with("tracker:credited_deals", chosen["owner"], period=f"{month:%Y-%m}")
    direction = chosen.get("direction")
    if direction and not is_cross_company(direction):
        return None
    if source == "recomputed":
        realized = realized_month_list_params(month=month)
        return url_with("tracker:pipeline", **{**realized, **chosen})
    if source == "snapshot" and "owner" in chosen:
        return None
    return url_with("tracker:wins", month=f"{month:%Y-%m}", **chosen)
