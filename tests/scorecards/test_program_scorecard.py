import html
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from scorecards.reconcile import segments as segments_check
from scorecards.reconcile.segments import check_segments_add_up_to_the_program
from scorecards.selectors.program import program_scorecard
from tests import factories
from tracker.models import Opportunity, SnapshotLine, Stage, SynergyTarget
from tracker.services.snapshots import snapshot_freeze


def _program(merger, rep):
    segment = factories.SegmentFactory(merger=merger)
    won = factories.StageFactory(
        merger=merger,
        name="Closed won",
        order=9,
        probability=100,
        forecast_category=Stage.Forecast.CLOSED,
        outcome=Stage.Outcome.WON,
    )
    commit = factories.StageFactory(
        merger=merger,
        name="Negotiation",
        order=4,
        probability=75,
        forecast_category=Stage.Forecast.COMMIT,
    )
    early = timezone.make_aware(datetime(2026, 1, 5))
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        created_at=early,
        stage=won,
        outcome="won",
        probability=100,
        segment=segment,
        amount=Decimal("8000"),
        closed_on=date(2026, 2, 10),
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=commit,
        created_at=early,
        probability=75,
        segment=segment,
        amount=Decimal("4000"),
    )
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        SynergyTarget.objects.create(merger=merger, month=month, cross_sell=Decimal("5000"))


@pytest.mark.parametrize("frozen", [False, True], ids=["live", "frozen"])
def test_program_scorecard_compares_realized_and_forecast_with_target(merger, rep, frozen):
    _program(merger, rep)
    if frozen:
        merger.day_one = date(2026, 1, 1)
        merger.save()
        for month in (date(2026, 1, 1), date(2026, 2, 1)):
            snapshot_freeze(merger_id=merger.pk, month=month)
        # Edits after the freeze are the next month's restatements, not February's.
        Opportunity.objects.filter(merger=merger).update(amount=Decimal("1"))

    scorecard = program_scorecard(merger=merger, month=date(2026, 2, 1))

    assert scorecard.program.target_to_date == Decimal("10000.00")
    assert scorecard.program.realized == Decimal("8000.00")
    assert scorecard.program.gap_pct == Decimal("20.0")
    assert scorecard.program.forecast == Decimal("11000.00")
    assert scorecard.program.forecast_low == Decimal("11000.00")
    assert scorecard.program.forecast_high == Decimal("12000.00")
    assert scorecard.total_target == Decimal("15000.00")
    assert scorecard.months_since_day_one == 2
    [by_segment] = scorecard.by_segment
    assert by_segment.realized == Decimal("8000.00")
    a_to_b = next(line for line in scorecard.by_direction if line.key == "a_to_b")
    assert a_to_b.realized == Decimal("8000.00")


@pytest.mark.parametrize(
    "frozen", [None, "snapshot", "snapshot without the line"], ids=["live", "frozen", "old"]
)
def test_deals_without_a_segment_are_the_no_segment_line_so_segments_add_up(merger, rep, frozen):
    _program(merger, rep)
    [segmented_won, segmented_open] = Opportunity.objects.filter(merger=merger).order_by("pk")
    for deal in (segmented_won, segmented_open):
        deal.pk, deal.segment, deal.amount = None, None, Decimal("1000")
        deal.account = factories.UnifiedAccountFactory(merger=merger)
        deal.save()
    if frozen:
        merger.day_one = date(2026, 1, 1)
        merger.save()
        for month in (date(2026, 1, 1), date(2026, 2, 1)):
            snapshot_freeze(merger_id=merger.pk, month=month)
    if frozen == "snapshot without the line":
        # Months frozen before the line was kept: the remainder is still a fact.
        SnapshotLine.objects.filter(scope=SnapshotLine.Scope.SEGMENT, key="").delete()

    scorecard = program_scorecard(merger=merger, month=date(2026, 2, 1))

    *_segments, unsegmented = scorecard.by_segment
    assert (unsegmented.label, unsegmented.key) == ("No segment", "none")
    assert unsegmented.realized == Decimal("1000.00")
    assert unsegmented.forecast == Decimal("1750.00")  # realized + 75% of the open deal
    assert unsegmented.target_to_date is None and unsegmented.gap_pct is None
    for figure in ("realized", "forecast_low", "forecast", "forecast_high"):
        parts = sum(getattr(line, figure) for line in scorecard.by_segment)
        assert parts == getattr(scorecard.program, figure)


def test_no_no_segment_line_when_every_deal_has_a_segment(merger, rep):
    _program(merger, rep)
    scorecard = program_scorecard(merger=merger, month=date(2026, 2, 1))
    assert [line.is_unsegmented for line in scorecard.by_segment] == [False]


def test_the_no_segment_line_shows_no_target_and_links_to_its_deals(
    client, executive_user, merger, rep
):
    _program(merger, rep)
    factories.OpportunityFactory(merger=merger, owner=rep, segment=None, amount=Decimal("500"))
    client.force_login(executive_user)

    page = client.get(reverse("scorecards:scorecard"), {"month": "2026-02"}).content.decode()
    row = page[page.index('<a href="/pipeline/?segment=none&amp;outcome=won') :]
    assert ">No segment</a>" in row.split("</th>")[0]
    assert row.split("</tr>")[0].count('<td class="num">—</td>') == 2  # target and gap
    api = APIClient()
    api.force_authenticate(executive_user)
    body = api.get("/api/v1/program-scorecard/", {"merger": merger.pk, "month": "2026-02"})
    unsegmented = body.json()["by_segment"][-1]
    assert (unsegmented["key"], unsegmented["target_to_date"]) == ("none", None)


def test_each_realized_figure_opens_the_deals_it_sums(client, executive_user, merger, rep):
    """Won cross-company deals closed from Day 1 to the month's end, and no others: the
    "No segment" line once listed every deal without a segment, of any outcome."""
    _program(merger, rep)
    won = Stage.objects.get(merger=merger, outcome=Stage.Outcome.WON)
    lost = factories.StageFactory(
        merger=merger, name="Lost", order=10, probability=0, outcome=Stage.Outcome.LOST
    )
    for stage, direction, closed_on, amount in (
        (won, "b_to_a", date(2026, 2, 3), "500"),  # realized, without a segment
        (won, "within", date(2026, 2, 3), "700"),  # business as usual
        (won, "a_to_b", date(2026, 3, 2), "900"),  # after the month
        (lost, "a_to_b", date(2026, 2, 3), "1100"),
        (None, "a_to_b", None, "1300"),  # open
    ):
        factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            segment=None,
            direction=direction,
            amount=Decimal(amount),
            closed_on=closed_on,
            lost_reason="Budget" if stage == lost else "",
            **({"stage": stage, "outcome": stage.outcome} if stage else {}),
        )
    client.force_login(executive_user)

    page = client.get(reverse("scorecards:scorecard"), {"month": "2026-02"}).content.decode()
    figures = re.findall(
        r'<(?:td class="num"|dd)><a href="([^"]+)">([\d,]+)</a></(?:td|dd)>', page
    )
    # The program's, the segment's and No segment's realized figures, then the two
    # cross-company directions'; "within" is never realized and opens nothing.
    assert [figure for _url, figure in figures] == ["8,500", "8,000", "500", "8,000", "500"]
    assert ["direction=a_to_b" in url for url, _figure in figures[3:]] == [True, False]
    assert "direction=b_to_a" in figures[4][0]
    for url, figure in figures:
        deals = client.get(html.unescape(url)).context["filter"].qs
        assert sum(deal.amount for deal in deals) == Decimal(figure.replace(",", "")), url


def test_the_reconciliation_checks_that_segments_add_up_to_the_program(merger, rep, monkeypatch):
    _program(merger, rep)
    factories.OpportunityFactory(merger=merger, owner=rep, segment=None, amount=Decimal("500"))
    assert list(check_segments_add_up_to_the_program(merger, [])) == []

    def without_no_segment(**kwargs):  # the breakdown as it was: unsegmented deals dropped
        scorecard = program_scorecard(**kwargs)
        scorecard.by_segment = [line for line in scorecard.by_segment if not line.is_unsegmented]
        return scorecard

    monkeypatch.setattr(segments_check, "program_scorecard", without_no_segment)
    found = {m.what.split(" ", 1)[1] for m in check_segments_add_up_to_the_program(merger, [])}
    assert "scorecard forecast by segment" in found
