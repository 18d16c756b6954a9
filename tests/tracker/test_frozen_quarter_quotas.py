"""A quarterly quota spread over its months adds up to the quota: read from frozen
months, live ones or a mix of both, the quarter's cross-sell quota is the quota entered."""

from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from tracker.models import Quota
from tracker.quota_math import period_of, spread_share
from tracker.selectors.metrics import Dimension, quota_totals
from tracker.selectors.period_figures import period_figures
from tracker.selectors.quotas import quota_board
from tracker.services.snapshots import snapshot_freeze

APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)


@pytest.fixture
def quarterly_quota(rep):
    return factories.QuotaFactory(
        rep=rep,
        period_start=APRIL,
        period_kind=Quota.Period.QUARTER,
        core_amount=Decimal("20000"),
        cross_sell_amount=Decimal("10000"),
    )


def test_a_quarter_frozen_month_by_month_keeps_its_whole_quota(merger, rep, quarterly_quota):
    live = quota_board(merger=merger, period=period_of(APRIL, Quota.Period.QUARTER))
    assert live.total.cross_sell_quota == Decimal("10000.00")
    for month in (APRIL, MAY, JUNE):
        snapshot_freeze(merger_id=merger.pk, month=month)
    frozen = quota_board(merger=merger, period=period_of(APRIL, Quota.Period.QUARTER))
    assert frozen.total.cross_sell_quota == Decimal("10000.00")
    [team_line] = frozen.teams
    assert team_line.figures.cross_sell_quota == Decimal("10000.00")
    figures = period_figures(merger=merger, first=APRIL, last_month=JUNE).of(rep.pk)
    assert (figures.core_quota, figures.cross_sell_quota) == (
        Decimal("20000.00"),
        Decimal("10000.00"),
    )


@pytest.mark.parametrize("frozen", [(APRIL,), (APRIL, MAY)])
def test_a_quarter_partly_frozen_keeps_its_whole_quota(merger, rep, quarterly_quota, frozen):
    for month in frozen:
        snapshot_freeze(merger_id=merger.pk, month=month)
    figures = period_figures(merger=merger, first=APRIL, last_month=JUNE).of(rep.pk)
    assert figures.cross_sell_quota == Decimal("10000.00")
    assert figures.core_quota == Decimal("20000.00")


def test_each_month_live_reads_what_it_freezes_and_the_months_add_up(merger, rep, quarterly_quota):
    live = {
        month: quota_totals(merger=merger, month_from=month, month_to=month, by=Dimension.REP)[
            rep.pk
        ]
        for month in (APRIL, MAY, JUNE)
    }
    # A third rounded down to the cent in each month, the last month the rest.
    assert [cross for _core, cross in live.values()] == [
        Decimal("3333.33"),
        Decimal("3333.33"),
        Decimal("3333.34"),
    ]
    assert sum(core for core, _cross in live.values()) == Decimal("20000.00")
    for month, quota in live.items():
        snapshot_freeze(merger_id=merger.pk, month=month)
        frozen = period_figures(merger=merger, first=month, last_month=month).of(rep.pk)
        assert (frozen.core_quota, frozen.cross_sell_quota) == quota
    # Two live months read as the sum of their two months.
    assert quota_totals(merger=merger, month_from=APRIL, month_to=MAY, by=Dimension.REP)[
        rep.pk
    ] == (Decimal("13333.32"), Decimal("6666.66"))


@pytest.mark.parametrize(
    ("amount", "months"),
    [
        ("10000", ["3333.33", "3333.33", "3333.34"]),
        ("20000", ["6666.66", "6666.66", "6666.68"]),
        ("9000", ["3000.00", "3000.00", "3000.00"]),
        ("0.02", ["0.00", "0.00", "0.02"]),
    ],
)
def test_the_months_of_a_quarter_add_up_to_it(amount, months):
    quota = Decimal(amount)
    each = [spread_share(quota, months=3, first=month, last=month) for month in range(3)]
    assert each == [Decimal(month) for month in months]
    assert sum(each) == quota
    assert spread_share(quota, months=3, first=0, last=2) == quota
    assert spread_share(quota, months=3, first=1, last=2) == each[1] + each[2]
    assert spread_share(quota, months=1, first=0, last=0) == quota
