"""The impact chart's months open the slice's realized synergy of that month, on a team,
rep, segment, direction or company dashboard as on the program's: the list adds up to
the month's figure in the chart's table."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from scorecards.views.pipeline_links import realized_month_url
from tests import factories
from tests.scorecards.dashboard_program import freeze_today
from tests.tracker.test_wins_slices import sliced_program
from tracker.models import CreditSplit, Stage

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


def test_a_reps_months_are_their_credited_won_frozen_or_live_and_open_its_deals(
    client, merger, ops_user, program
):
    """A rep's frozen line credits split and overlay deals by share; the live months
    counted the deals the rep owns, so a running total fell between the two."""
    rep, other = program["rep"], program["other"]
    june_win = factories.OpportunityFactory(
        merger=merger,
        owner=other,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=rep.company),
        stage=factories.stages_of(merger, "won")["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("10000"),
        closed_on=date(2026, 6, 3),
    )
    CreditSplit.objects.create(opportunity=june_win, rep=rep, kind="split", percent=100)
    client.force_login(ops_user)
    url = reverse("scorecards:rep_dashboard", args=[rep.pk])

    months = _months(client, url, {})

    june = date(2026, 6, 1)
    assert (months[MAY][1], months[MAY][2]) == (Decimal("5000"), "snapshot")
    assert (months[june][1], months[june][2]) == (Decimal("10000"), "live")
    for month in (MAY, june):
        link, own, _source = months[month]
        assert link == reverse("tracker:credited_deals", args=[rep.pk]) + (
            f"?period={month:%Y-%m}"
        )
        assert client.get(link).context["credited"].total == own
    # May's 5,000 frozen; June's total also books the May deal raised to 8,000 since.
    impact = client.get(url).context["dashboard"].impact
    assert (impact.realized[-2], impact.realized[-1]) == (Decimal("5000"), Decimal("18000"))


def test_within_one_company_realizes_nothing_and_opens_nothing():
    assert realized_month_url({"direction": "within"}, month=MAY, source="live") is None
    assert realized_month_url({"owner": 3}, month=MAY, source="snapshot") == (
        "/quotas/credited/3/?period=2026-05"
    )
