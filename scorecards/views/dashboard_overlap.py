"""The dashboard's customer overlap over time, with its "View data" table and drill-downs.

Each count at a month end lists its accounts: the account list filtered by the status
they had at that month's end (accounts.customer_status, as the chart counted them). A
closed month's count lists them only while today's reading still agrees with it; a
figure its freeze did not keep reads "not measured".
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.customer_status import NOT_MEASURED, NOT_MEASURED_LABEL, Status
from accounts.overlap_transitions import TRANSITION_LABELS
from core.charts import Chart
from scorecards.overlap_chart import overlap_over_time_figure
from scorecards.overlap_frozen import PROSPECT_OR_NEITHER, PROSPECT_OR_NEITHER_LABEL
from scorecards.views.chart_text import Url, link, path_with
from scorecards.views.charts import chart_of


def status_labels() -> dict[str, str]:
    """Each status as the overlap page names it, the accounts whose status is not measured
    yet, and the older freezes' combined figure."""
    labels = {status.value: str(status.label) for status in Status}
    return {
        **labels,
        NOT_MEASURED: str(NOT_MEASURED_LABEL),
        PROSPECT_OR_NEITHER: str(PROSPECT_OR_NEITHER_LABEL),
    }


def drilldown_urls(overlap: Mapping[str, Any]) -> dict[str, list[Url]]:
    """{status: [the accounts list of its count at each month end, or None]}."""
    path = reverse("accounts:account_list")
    today = overlap.get("today", {})
    return {
        status: [
            path_with(
                path, status=status, month=f"{month:%Y-%m}", segment=overlap.get("segment_id")
            )
            if value is not None and status in today and value == today[status][index]
            else None
            for index, (month, value) in enumerate(zip(overlap["months"], counts, strict=True))
        ]
        for status, counts in overlap["counts"].items()
    }


def _cell(url: Url, value: int | None, *, status: str = "") -> Any:
    if value is None:
        # The combined figure of older freezes is no status of a later month: not a gap.
        return "—" if status == PROSPECT_OR_NEITHER else _("not measured")
    return link(url, value)


def overlap_chart(overlap: Mapping[str, Any], *, month: date) -> Chart | None:
    counts: Mapping[str, Sequence[int | None]] = overlap["counts"]
    if not any(count for values in counts.values() for count in values):
        return None
    labels = status_labels()
    transitions = overlap.get("transitions", {})
    urls = drilldown_urls(overlap)
    figure = overlap_over_time_figure(
        months=overlap["months"],
        counts_by_status=counts,
        status_labels=labels,
        transitions=transitions,
        drilldown=urls,
    )
    title = _("Customer overlap over time")
    return chart_of(
        "chart-overlap",
        title,
        figure,
        month=month,
        columns=[
            _("Month"),
            *(labels[status] for status in counts),
            *(str(TRANSITION_LABELS[key]) for key in transitions),
        ],
        rows=[
            [
                f"{shown:%Y-%m}",
                *(
                    _cell(urls[status][index], values[index], status=status)
                    for status, values in counts.items()
                ),
                *(_cell(None, values[index]) for values in transitions.values()),
            ]
            for index, shown in enumerate(overlap["months"])
        ],
        description=_(
            "Unified accounts by customer status at each month end, and as bars the "
            "accounts changing status in the month: customers of one side becoming "
            "customers of both is cross-selling at work."
        ),
        legend_top=True,
        # Eleven legend entries above the plot: room for them and for the plot itself.
        height=560 if transitions else None,
    )
