"""Which pipeline list a dashboard chart's bar or row opens: the deals the chart counted."""

from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from scorecards.views.chart_text import Url, path_with


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
