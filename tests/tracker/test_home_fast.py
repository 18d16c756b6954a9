"""The home page's headline counts match their plain definitions."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, Sum

from accounts.models import UnifiedAccount
from accounts.selectors.programs import program_overview
from tests import factories
from tests.tracker.test_wins_fast import deal
from tracker.models import Opportunity, Stage
from tracker.selectors.pipeline import ZERO, pipeline_summary

OUTCOMES = Stage.Outcome


def _plain_summary(merger) -> dict:
    open_, won, lost = (Q(outcome=o) for o in OUTCOMES.values)
    figures = Opportunity.objects.filter(merger=merger).aggregate(
        total=Count("id"),
        open=Count("id", filter=open_),
        won=Count("id", filter=won),
        lost=Count("id", filter=lost),
        open_amount=Sum("amount", filter=open_),
        won_amount=Sum("amount", filter=won),
    )
    figures["open_amount"] = figures["open_amount"] or ZERO
    figures["won_amount"] = figures["won_amount"] or ZERO
    return figures


def test_pipeline_summary_matches_the_plain_aggregate(merger, rep, other_rep):
    day = dt.date(2026, 3, 2)
    deal(merger, rep, outcome=OUTCOMES.OPEN, on=None, amount="100.10")
    deal(merger, other_rep, outcome=OUTCOMES.OPEN, on=None, amount="50.00")
    deal(merger, rep, outcome=OUTCOMES.WON, on=day, amount="1200.00")
    deal(merger, rep, outcome=OUTCOMES.LOST, on=day, amount="80.00", lost_reason="Budget")
    summary = pipeline_summary(merger=merger)
    assert vars(summary) == _plain_summary(merger)
    assert (summary.total, summary.open, summary.won, summary.lost) == (4, 2, 1, 1)


def test_an_empty_pipeline_sums_to_zero(merger):
    assert vars(pipeline_summary(merger=merger)) == _plain_summary(merger)


def test_status_counts_match_a_plain_count(merger):
    for status in [UnifiedAccount.Status.BOTH] * 2 + [UnifiedAccount.Status.PROSPECT]:
        factories.UnifiedAccountFactory(merger=merger, status=status)
    overview = program_overview(merger=merger)
    plain = Counter(UnifiedAccount.objects.filter(merger=merger).values_list("status", flat=True))
    assert overview.status_counts == {s: plain.get(s, 0) for s in UnifiedAccount.Status.values}
    assert overview.account_total == 3
