from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import RecordChange, UnifiedAccount
from tests import factories
from tests.history import change_kept
from tracker.models import Stage
from tracker.selectors.supervision import BURST_MIN_OPENED, supervision_flags

SAME_DAY = timezone.make_aware(datetime(2026, 3, 3, 10, 0))


def _burst(merger, rep, count):
    return [
        factories.OpportunityFactory(merger=merger, owner=rep, created_at=SAME_DAY)
        for _ in range(count)
    ]


def test_many_opportunities_opened_in_a_day_with_no_activity_are_flagged(merger, rep):
    _burst(merger, rep, BURST_MIN_OPENED)
    [flags] = supervision_flags(merger_id=merger.id)
    assert flags.rep_id == rep.id
    assert flags.bursts == [("2026-03-03", BURST_MIN_OPENED)]


def test_a_burst_that_was_followed_up_is_not_flagged(merger, rep):
    opened = _burst(merger, rep, BURST_MIN_OPENED)
    change_kept(
        opened[0],
        action=RecordChange.Action.CHANGED,
        field="stage",
        new="Proposal",
        at=timezone.now(),
    )
    assert supervision_flags(merger_id=merger.id) == []


def test_win_with_a_thin_customer_need_is_flagged(merger, rep):
    won = factories.StageFactory(
        merger=merger,
        name="Closed won",
        order=9,
        probability=100,
        forecast_category=Stage.Forecast.CLOSED,
        outcome=Stage.Outcome.WON,
    )
    opportunity = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=SAME_DAY.date(),
        amount=Decimal("10"),
        customer_need="wants it",
    )
    [flags] = supervision_flags(merger_id=merger.id)
    assert flags.thin_need_wins == [opportunity.pk]


def test_frequent_reopening_and_dont_sell_accounts_are_flagged(merger, rep):
    reopened = factories.OpportunityFactory(merger=merger, owner=rep, reopen_count=3)
    risky = factories.UnifiedAccountFactory(
        merger=merger, recommendation=UnifiedAccount.Recommendation.DONT_SELL
    )
    on_risky = factories.OpportunityFactory(merger=merger, owner=rep, account=risky)
    [flags] = supervision_flags(merger_id=merger.id)
    assert flags.reopened == [reopened.pk]
    assert flags.dont_sell == [on_risky.pk]
    assert flags.total == 2
    # A leader reads account and product, not an id.
    assert flags.dont_sell_links == [
        (on_risky.pk, f"{risky.name} · {on_risky.product.name}"),
    ]
    assert flags.reopened_links[0][1].startswith(reopened.account.name)


def test_flags_use_a_constant_number_of_queries(merger, rep, django_assert_num_queries):
    _burst(merger, rep, 3)
    with django_assert_num_queries(4):
        supervision_flags(merger_id=merger.id)


def test_flagged_deals_are_named_in_one_more_query(merger, rep, django_assert_num_queries):
    for _ in range(3):
        factories.OpportunityFactory(merger=merger, owner=rep, reopen_count=3)
    with django_assert_num_queries(5):
        [flags] = supervision_flags(merger_id=merger.id)
    assert all(not label.startswith("#") for _pk, label in flags.reopened_links)
