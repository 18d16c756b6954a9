"""A closed month's compensation never moves: its payouts read the month's snapshot
(credited won, cross-sell quota, credited won deals), and a later edit of one of its
deals moves only the live months."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Kind
from tests import factories
from tracker.frozen_notes import frozen_notes
from tracker.models import CompPlan, CreditSplit, Opportunity, SnapshotLine, Stage
from tracker.quota_math import QUARTER, Period
from tracker.selectors.compensation import payouts_for, payouts_of_period
from tracker.selectors.period_figures import credited_won_counts
from tracker.selectors.quotas import quota_board
from tracker.services.opportunities.update import opportunity_update
from tracker.services.snapshots import snapshot_freeze

APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)


@pytest.fixture
def won_stage(merger, acquirer):
    return factories.stages_of(merger, "won")["won"]


def _win(merger, owner, stage, amount, closed_on, **extra):
    company = merger.companies.get(role="acquirer")
    return factories.OpportunityFactory(
        merger=merger,
        product=factories.ProductFactory(company=company),
        owner=owner,
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal(amount),
        closed_on=closed_on,
        created_at=timezone.make_aware(datetime(2026, 3, 2)),
        **{"kind": Kind.CROSS_SELL, **extra},
    )


def _plan(merger, reps):
    plan = CompPlan.objects.create(
        merger=merger,
        name=f"Sellers of {reps[0].pk}",
        target_variable_pay=Decimal("60000"),
        cross_sell_share_pct=Decimal("20"),
        spif_kind=CompPlan.Spif.FLAT,
        spif_amount=Decimal("500"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    plan.reps.set(reps)
    return plan


def _raise(deal: Opportunity, actor, amount: str) -> None:
    deal.refresh_from_db()
    opportunity_update(
        actor=actor,
        opportunity=deal,
        expected_version=deal.version,
        changes={"amount": Decimal(amount)},
    )


def _row(merger, rep, first, last=None):
    rows = payouts_for(merger=merger, month_from=first, month_to=last or first)
    return next(row for row in rows if row.rep == rep)


@pytest.fixture
def may_frozen(merger, rep, other_rep, won_stage):
    """May: the rep wins 5,000 and half of other_rep's 4,000 deal of a 10,000 quota;
    June: 2,000. May is frozen, June is live."""
    _plan(merger, [rep])
    for month in (APRIL, MAY, JUNE):
        factories.QuotaFactory(rep=rep, period_start=month, cross_sell_amount=Decimal("10000"))
    may = _win(merger, rep, won_stage, "5000", date(2026, 5, 20))
    shared = _win(merger, other_rep, won_stage, "4000", date(2026, 5, 21))
    for seller in (rep, other_rep):
        CreditSplit.objects.create(opportunity=shared, rep=seller, percent=Decimal("50"))
    # Business as usual: owned and won, but no synergy, so neither credited nor counted.
    _win(merger, rep, won_stage, "9000", date(2026, 5, 22), direction="within")
    june = _win(merger, rep, won_stage, "2000", date(2026, 6, 5))
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    return may, june


def test_a_snapshot_keeps_each_reps_credited_won_deals(merger, rep, other_rep, may_frozen):
    """won_count counts the deals a rep owns, of any direction and credit: not what a
    per-deal SPIF pays on."""
    lines = SnapshotLine.objects.filter(snapshot__month=MAY, scope=SnapshotLine.Scope.REP)
    frozen = {int(key): count for key, count in lines.values_list("key", "credited_won_count")}
    assert frozen == {rep.pk: 2, other_rep.pk: 1}
    live = credited_won_counts(merger=merger, closed_from=MAY, closed_to=date(2026, 5, 31))
    assert frozen == live
    assert lines.get(key=str(rep.pk)).won_count == 2  # the May deal and the "within" one


def test_an_edit_after_the_close_moves_no_closed_payout_but_moves_the_live_month(
    merger, rep, ops_user, won_stage, may_frozen
):
    may, june = may_frozen
    before = _row(merger, rep, MAY)
    assert (before.credited_won, before.won_count, before.cross_sell_quota) == (
        Decimal("7000.00"),
        2,
        Decimal("10000.00"),
    )
    june_before = _row(merger, rep, JUNE).payout.total

    _raise(may, ops_user, "9000")
    _win(merger, rep, won_stage, "3000", date(2026, 5, 28))  # logged late
    Opportunity.objects.filter(pk=may.pk).update(owner=factories.RepFactory(merger=merger))
    after = _row(merger, rep, MAY)
    assert (after.credited_won, after.won_count, after.cross_sell_quota) == (
        before.credited_won,
        before.won_count,
        before.cross_sell_quota,
    )
    assert after.payout == before.payout

    _raise(june, ops_user, "4000")
    june_after = _row(merger, rep, JUNE)
    assert june_after.credited_won == Decimal("4000.00")
    assert june_after.payout.total > june_before


def test_a_quarter_is_its_frozen_months_plus_its_live_ones(
    merger, rep, ops_user, won_stage, may_frozen
):
    """April and June are live, around a frozen May: one read of each run of live months."""
    may, _june = may_frozen
    april = _win(merger, rep, won_stage, "1000", date(2026, 4, 9))
    _raise(may, ops_user, "9000")
    _raise(april, ops_user, "1500")

    payouts = payouts_of_period(merger=merger, month_from=APRIL, month_to=JUNE)
    row = next(row for row in payouts.rows if row.rep == rep)
    # 1,500 live April + 7,000 frozen May + 2,000 live June; 1 + 2 + 1 deals.
    assert (row.credited_won, row.won_count) == (Decimal("10500.00"), 4)
    assert row.cross_sell_quota == Decimal("30000.00")
    assert payouts.frozen.months == (MAY,)
    assert payouts.live_months == (APRIL, JUNE)

    board = quota_board(merger=merger, period=Period(APRIL, QUARTER))
    [line] = [line for team in board.teams for line in team.reps if line.rep == rep]
    assert (line.figures.credited_won, line.figures.cross_sell_quota) == (
        Decimal("10500.00"),
        Decimal("30000.00"),
    )
    teams = {team.team.name: team.figures for team in board.teams}
    assert teams["Central"].credited_won == Decimal("10500.00")
    # other_rep's half of the shared May deal, as frozen.
    assert teams["East"].credited_won == Decimal("2000.00")
    assert board.total.credited_won == Decimal("12500.00")


def test_a_rep_without_a_line_in_a_closed_month_had_no_figures_then(merger, won_stage, may_frozen):
    newcomer = factories.RepFactory(merger=merger)
    _plan(merger, [newcomer])
    _win(merger, newcomer, won_stage, "8000", date(2026, 5, 12))
    factories.QuotaFactory(rep=newcomer, period_start=MAY, cross_sell_amount=Decimal("1000"))
    row = _row(merger, newcomer, MAY)
    assert (row.credited_won, row.won_count, row.cross_sell_quota) == (0, 0, 0)


def test_a_month_frozen_before_its_counts_were_kept_counts_todays_deals_and_says_so(
    client, merger, rep, ops_user, won_stage, may_frozen
):
    """Its credit falls back to the realized synergy it was frozen with (credited_won
    None); no credited count was frozen, so the count is today's and the page says so."""
    SnapshotLine.objects.filter(snapshot__month=MAY).update(
        credited_won=None, credited_won_count=None
    )
    SnapshotLine.objects.filter(snapshot__month=MAY, key=str(rep.pk)).update(
        realized_synergy=Decimal("6500")
    )
    _win(merger, rep, won_stage, "3000", date(2026, 5, 28))

    payouts = payouts_of_period(merger=merger, month_from=MAY, month_to=MAY)
    row = next(row for row in payouts.rows if row.rep == rep)
    assert (row.credited_won, row.won_count) == (Decimal("6500"), 3)
    assert list(payouts.frozen.uncounted) == [MAY]

    client.force_login(ops_user)
    page = client.get(reverse("tracker:compensation"), {"period": "2026-05"}).content.decode()
    assert "Frozen snapshot of May 2026" in page
    assert "count of May 2026" in page and "today" in page


def test_the_payouts_api_says_which_months_are_frozen(merger, ops_user, may_frozen):
    api = APIClient()
    api.force_authenticate(ops_user)
    url = f"/api/v1/payouts/?merger={merger.pk}&period="
    quarter = api.get(url + "2026-Q2").json()
    assert quarter["frozen_months"] == ["2026-05"]
    assert quarter["live_months"] == ["2026-04", "2026-06"]
    assert quarter["frozen_at"] is not None and quarter["won_count_live_months"] == []
    june = api.get(url + "2026-06").json()
    assert (june["frozen_months"], june["live_months"], june["frozen_at"]) == (
        [],
        ["2026-06"],
        None,
    )

    # May frozen before its counts were kept: its count is today's, and said so.
    SnapshotLine.objects.filter(snapshot__month=MAY).update(credited_won_count=None)
    may = api.get(url + "2026-05").json()
    assert may["frozen_months"] == ["2026-05"] and may["won_count_live_months"] == ["2026-05"]


def test_the_page_says_which_months_are_frozen(client, merger, ops_user, may_frozen):
    client.force_login(ops_user)
    may = client.get(reverse("tracker:compensation"), {"period": "2026-05"}).content.decode()
    assert "Frozen snapshot of May 2026" in may and "SPIF pays on" not in may
    quarter = client.get(reverse("tracker:compensation"), {"period": "2026-Q2"}).content.decode()
    # One frozen month is one snapshot, in the singular.
    assert "Frozen snapshot of May 2026;" in quarter and "April 2026, June 2026" in quarter
    june = client.get(reverse("tracker:compensation"), {"period": "2026-06"}).content.decode()
    assert "Frozen snapshot" not in june


def test_a_mixed_period_reads_in_queries_that_do_not_grow_with_the_reps(
    client, merger, ops_user, won_stage, may_frozen
):
    client.force_login(ops_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("tracker:compensation"), {"period": "2026-Q2"})
            client.get(reverse("tracker:quotas"), {"period": "2026-Q2"})
        return len(captured)

    before = count()
    for _index in range(4):
        seller = factories.RepFactory(merger=merger)
        _plan(merger, [seller])
        _win(merger, seller, won_stage, "1000", date(2026, 6, 3))
        factories.QuotaFactory(rep=seller, period_start=MAY, cross_sell_amount=Decimal("1000"))
    assert count() == before


def test_the_notes_are_in_the_users_language():
    at = timezone.make_aware(datetime(2026, 6, 1, 0, 5))
    with translation.override("ru"):
        [note] = frozen_notes(frozen_months=[MAY], live_months=[APRIL, JUNE], frozen_at=at)
        assert note.startswith("Зафиксированный снимок за ")
        [note] = frozen_notes(frozen_months=[APRIL, MAY], live_months=[JUNE], frozen_at=at)
        assert note.startswith("Зафиксированные снимки за ")
    [note] = frozen_notes(frozen_months=[APRIL, MAY], live_months=[JUNE], frozen_at=at)
    assert note.startswith("Frozen snapshots of April 2026, May 2026; June 2026 from")
    with translation.override("zh-hans"):
        [note, count] = frozen_notes(
            frozen_months=[APRIL, MAY], live_months=[], frozen_at=at, uncounted=[APRIL, MAY]
        )
        assert "的冻结快照，最后一次冻结于" in note
        assert "、" in count and "SPIF" in count
