"""A small program with something in every chart of the dashboard, and a fixed today."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import Direction, Merger, Segment, WhitespaceCell
from accounts.services.whitespace import whitespace_rollup_recount
from tests import factories
from tests.scorecards.export_program import MONTH, scored_program
from tracker.models import Rep

TODAY = date(2026, 6, 15)
CURRENT_MONTH = date(2026, 6, 1)
PAST_MONTH = MONTH  # May 2026, scored by scored_program


def freeze_today(monkeypatch) -> None:
    """Pages default to the current month: tests pin it to June 2026."""
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def dashboard_program(merger: Merger, rep: Rep, names: list[str]) -> list[Segment]:
    """Scored segments with won and open deals, targets, a quota and a whitespace cell."""
    segments = scored_program(merger, rep, names)
    for month in (PAST_MONTH, CURRENT_MONTH):
        factories.QuotaFactory(rep=rep, period_start=month, cross_sell_amount=Decimal("5000"))
    account = merger.accounts.filter(segment=segments[0]).first()
    WhitespaceCell.objects.create(
        merger=merger,
        account=account,
        product=factories.ProductFactory(company=rep.company, name="Vibration sensor"),
        segment=segments[0],
        direction=Direction.A_TO_B,
        potential_value=Decimal("25000"),
    )
    whitespace_rollup_recount(merger_id=merger.pk)
    return segments
