"""The impact chart's months open the slice's realized synergy of that month, on a team,
rep, segment, direction or company dashboard as on the program's: the list adds up to
the month's figure in the chart's table."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from scorecards.views.pipeline_links import realized_month_url
from tests.scorecards.dashboard_program import freeze_today
from tests.tracker.test_wins_slices import sliced_program

MAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch)


@pytest.fixture
def program(merger, rep, ops_user):
    return sliced_program(merger, rep, ops_user)


def _months(client, url: str, params: dict) -> dict[date, tuple[str | None, Decimal, str]]:
    page = client.get(url, params).context
    impact = page["dashboard"].impact
    urls = page["sections"]["impact"].config["drilldown"]
    return {
        month: (link, own, source)
        for month, link, own, source in zip(
            impact.months, urls, impact.realized_in_month, impact.sources, strict=False
        )
    }


def _listed(client, url: str) -> Decimal:
    context = client.get(url).context
    if "totals" in context:
        assert sum(win.amount for win in context["wins"]) == context["totals"].won_amount
        return context["totals"].won_amount
    return sum((deal.amount for deal in context["filter"].qs), Decimal(0))


@pytest.mark.parametrize(
    "slice_of",
    [
        lambda p: ("scorecards:dashboard", [], {"segment": p["mills"].pk}),
        lambda p: ("scorecards:dashboard", [], {"direction": "b_to_a"}),
        lambda p: ("scorecards:team_dashboard", [p["rep"].team_id], {}),
        # No snapshot line holds a company: its closed months are read from today's deals.
        lambda p: ("scorecards:dashboard", [], {"company": p["rep"].company_id}),
    ],
)
def test_each_month_opens_the_slices_wins_adding_up_to_its_realized(
    client,
    ops_user,
    program,
    slice_of,
):
    client.force_login(ops_user)
    name, args, params = slice_of(program)

    months = _months(client, reverse(name, args=args), {"month": "2026-06", **params})

    link, own, _source = months[MAY]
    assert own > 0
    for month, (link, own, source) in months.items():
        assert link, (month, source)
        assert _listed(client, link) == own, (month, source, link)


def test_the_segments_closed_month_lists_its_wins_as_frozen(client, ops_user, program):
    client.force_login(ops_user)

    months = _months(client, reverse("scorecards:dashboard"), {"segment": program["mills"].pk})

    link, own, source = months[MAY]
    assert (source, own) == ("snapshot", Decimal("7000.00"))  # the raised deal at 5,000
    assert f"segment={program['mills'].pk}" in link


def test_a_reps_frozen_months_credit_shares_and_open_no_list_of_own_wins(
    client,
    ops_user,
    program,
):
    client.force_login(ops_user)
    url = reverse("scorecards:rep_dashboard", args=[program["rep"].pk])

    months = _months(client, url, {})

    assert months[MAY][0] is None
    assert _listed(client, months[date(2026, 6, 1)][0]) == months[date(2026, 6, 1)][1]


def test_within_one_company_realizes_nothing_and_opens_nothing():
    assert realized_month_url({"direction": "within"}, month=MAY, source="live") is None
    assert realized_month_url({"owner": 3}, month=MAY, source="snapshot") is None
    assert realized_month_url({"owner": 3}, month=MAY, source="live") == (
        "/pipeline/wins/?month=2026-05&owner=3"
    )
