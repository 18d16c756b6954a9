"""One definition per figure: the scorecard's stale share and win rate are the pipeline page's."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scorecards.indicator_math import pct
from scorecards.selectors.indicators import (
    indicator_values,
    scoring_date,
    segment_pipeline_figures,
)
from tests import factories
from tracker.figures import win_rate
from tracker.models import CoreWinRate, Opportunity


@pytest.fixture
def program(merger, rep, other_rep, acquirer, acquired):
    """Two segments and deals without one; open deals of every age, wins and losses."""
    stages = factories.stages_of(merger, "identified", "won", "lost")
    segments = [factories.SegmentFactory(merger=merger, name=name) for name in ("Food", "Mining")]
    today = timezone.localdate()
    now = timezone.now()
    owners = [rep, other_rep]
    # (segment index or None, days since the deal last moved) of each open deal.
    open_deals = [(0, 2), (0, 45), (0, 90), (1, 10), (1, 31), (1, 29), (None, 60), (None, 1)]
    for index, (segment, idle) in enumerate(open_deals):
        deal = factories.OpportunityFactory(
            merger=merger,
            owner=owners[index % 2],
            segment=segments[segment] if segment is not None else None,
            stage=stages["identified"],
            expected_close=today + timedelta(days=20),
        )
        Opportunity.objects.filter(pk=deal.pk).update(progressed_at=now - timedelta(days=idle))
    closed = [(0, "won"), (0, "lost"), (0, "won"), (1, "lost"), (1, "lost"), (1, "won")]
    for index, (segment, outcome) in enumerate(closed):
        factories.OpportunityFactory(
            merger=merger,
            owner=owners[index % 2],
            segment=segments[segment],
            stage=stages[outcome],
            outcome=outcome,
            closed_on=today - timedelta(days=40 + index),
            lost_reason="Budget" if outcome == "lost" else "",
        )
    for company in (acquirer, acquired):
        CoreWinRate.objects.create(
            merger=merger,
            company=company,
            period_start=today.replace(day=1),
            won_count=1,
            lost_count=3,
            source="CRM report",
        )
    return segments


def _pipeline_page_figures(client, **params):
    response = client.get(reverse("tracker:pipeline"), params)
    assert response.status_code == 200
    return response.context["figures"]


def test_stale_share_on_the_scorecard_is_the_pipeline_pages_for_the_same_scope_and_date(
    client, merger, ops_user, program
):
    month = timezone.localdate().replace(day=1)
    figures = segment_pipeline_figures(merger=merger, month=month, at=scoring_date(month=month))
    values = indicator_values(merger=merger, month=month)
    client.force_login(ops_user)
    page = _pipeline_page_figures(client)

    # The segments' numerators and denominators, with the deals of no segment, add up
    # to the program's figure on the pipeline page.
    assert sum(f.stale_count for f in figures.values()) == page.stale_count == 4
    assert sum(f.open_count for f in figures.values()) == page.open_count == 8
    for segment in program:
        on_page = _pipeline_page_figures(client, segment=segment.pk)
        assert figures[segment.pk].stale_count == on_page.stale_count
        assert values[segment.pk]["stale_share"] == pct(on_page.stale_count, on_page.open_count)
    assert values[program[0].pk]["stale_share"] == Decimal("66.67")  # 45 and 90 days idle
    assert values[program[1].pk]["stale_share"] == Decimal("33.33")  # 31 days idle


def test_a_past_month_counts_stale_deals_at_its_last_day(merger, program):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert scoring_date(month=last_month) == today.replace(day=1) - timedelta(days=1)
    assert scoring_date(month=today.replace(day=1)) == today


def test_the_win_rate_compared_with_the_core_is_the_pipeline_figures_win_rate(merger, program):
    month = timezone.localdate().replace(day=1)
    figures = segment_pipeline_figures(merger=merger, month=month, at=scoring_date(month=month))
    values = indicator_values(merger=merger, month=month)
    # Both companies' core deals win 25% this month.
    for segment in program:
        segment_figures = figures[segment.pk]
        cross_sell = win_rate(won=segment_figures.won_count, lost=segment_figures.lost_count)
        expected = (cross_sell / Decimal("0.25")).quantize(Decimal("0.0001"))
        assert values[segment.pk]["win_rate_vs_core"] == expected
    assert values[program[0].pk]["win_rate_vs_core"] == Decimal("2.6668")  # 2 of 3 won
    assert values[program[1].pk]["win_rate_vs_core"] == Decimal("1.3332")  # 1 of 3 won


def test_stale_is_counted_by_last_progress_not_by_any_edit(merger, program):
    # A deal touched yesterday without a change of stage, amount, date, owner or
    # next step (say, a note) stays stale.
    deal = Opportunity.objects.filter(segment=program[0], outcome="open").order_by(
        "progressed_at"
    )[0]
    Opportunity.objects.filter(pk=deal.pk).update(
        updated_at=datetime.now(tz=timezone.get_current_timezone()) - timedelta(days=1)
    )
    month = timezone.localdate().replace(day=1)
    values = indicator_values(merger=merger, month=month)
    assert values[program[0].pk]["stale_share"] == Decimal("66.67")
