"""A small scored program for the scorecard report and export tests."""

from datetime import date
from decimal import Decimal

from accounts.models import Merger, Segment, UnifiedAccount
from scorecards.services.scores import scores_recompute
from tests import factories
from tracker.models import Rep, Stage, SynergyTarget

MONTH = date(2026, 5, 1)
PREVIOUS_MONTH = date(2026, 4, 1)
STATUSES = [
    UnifiedAccount.Status.ACQUIRER_ONLY,
    UnifiedAccount.Status.ACQUIRED_ONLY,
    UnifiedAccount.Status.BOTH,
    UnifiedAccount.Status.NEITHER,
]


def stages(merger: Merger) -> tuple[Stage, Stage]:
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
    return won, commit


def segment_with_data(merger: Merger, rep: Rep, name: str, *, accounts: int = 4) -> Segment:
    """A segment with accounts of every status, a won and an open deal, and targets."""
    won, commit = stages(merger)
    segment = factories.SegmentFactory(merger=merger, name=name)
    for index in range(accounts):
        factories.UnifiedAccountFactory(
            merger=merger, segment=segment, status=STATUSES[index % len(STATUSES)]
        )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome=Stage.Outcome.WON,
        probability=100,
        segment=segment,
        amount=Decimal("8000"),
        closed_on=date(2026, 3, 10),
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=commit,
        probability=75,
        segment=segment,
        amount=Decimal("4000"),
    )
    for month in (date(2026, 2, 1), PREVIOUS_MONTH, MONTH):
        SynergyTarget.objects.create(
            merger=merger, month=month, segment=segment, cross_sell=Decimal("3000")
        )
    return segment


def scored_program(merger: Merger, rep: Rep, names: list[str]) -> list[Segment]:
    segments = [segment_with_data(merger, rep, name) for name in names]
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), MONTH):
        SynergyTarget.objects.get_or_create(
            merger=merger, month=month, segment=None, defaults={"cross_sell": Decimal("10000")}
        )
    scores_recompute(merger_id=merger.pk, month=PREVIOUS_MONTH)
    scores_recompute(merger_id=merger.pk, month=MONTH)
    return segments
