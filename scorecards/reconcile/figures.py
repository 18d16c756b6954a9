"""Figures computed more than one way: realized synergy, pipeline figures and the stale
share, each from SQL, from the replayed deals and as the dashboard shows it; coverage and
the forecast as each page that shows them."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Merger
from scorecards.reconcile.report import Mismatch
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.dashboard_data import DashboardData
from scorecards.selectors.program import program_scorecard
from tracker.deal_figures import figures_by, realized_by
from tracker.models import CreditSplit, MonthlySnapshot, Opportunity
from tracker.pipeline_math import ZERO, PipelineFigures, cents, month_end
from tracker.quota_math import Period
from tracker.selectors.deal_history import deal_states_now
from tracker.selectors.metrics import Dimension, credited_won, pipeline_figures, realized_synergy
from tracker.selectors.pipeline_metrics import pipeline_metrics
from tracker.selectors.quotas import quota_board


def check_realized_synergy(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """Realized synergy = won cross-company deals of the month, the same on every path."""
    states = deal_states_now(merger=merger)
    frozen = {s.month for s in MonthlySnapshot.objects.filter(merger=merger)}
    for month in months:
        last = month_end(month)
        by_records = _won_cross_company(merger, month, last)
        sql = realized_synergy(merger=merger, closed_from=month, closed_to=last)
        pure = realized_by(states, key=lambda s: "", closed_from=month, closed_to=last)
        credits = credited_won(merger=merger, closed_from=month, closed_to=last)
        overlay = _overlay_credit(merger, month, last)
        for what, found in (
            ("selector", cents(sql)),
            ("replayed deals", pure.get("", ZERO)),
            ("credits to reps less overlay", cents(sum(credits.values(), ZERO) - overlay)),
        ):
            if found != by_records[0]:
                yield Mismatch(
                    "realized", f"{month:%Y-%m} {what}", by_records[0], found, by_records[1]
                )
        if month in frozen:
            continue  # A closed month shows its snapshot: check_closed_months_equal_...
        dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=month))
        to_date = _won_cross_company(merger, merger.day_one, last)
        if cents(dashboard.impact.realized[-1]) != to_date[0]:
            yield Mismatch(
                "realized",
                f"{month:%Y-%m} dashboard to date",
                to_date[0],
                dashboard.impact.realized[-1],
                to_date[1],
            )


def _won_cross_company_deals(merger: Merger, first: date, last: date) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(
        merger=merger,
        outcome="won",
        direction__in=["a_to_b", "b_to_a"],
        closed_on__gte=first,
        closed_on__lte=last,
    )


def _won_cross_company(merger: Merger, first: date, last: date) -> tuple[Decimal, list[int]]:
    rows = list(_won_cross_company_deals(merger, first, last).values_list("id", "amount"))
    return cents(sum((amount for _id, amount in rows), ZERO)), [pk for pk, _a in rows]


def _overlay_credit(merger: Merger, first: date, last: date) -> Decimal:
    rows = CreditSplit.objects.filter(
        opportunity__in=_won_cross_company_deals(merger, first, last),
        kind=CreditSplit.Kind.OVERLAY,
    ).values_list("opportunity__amount", "percent")
    return sum((amount * percent / 100 for amount, percent in rows), ZERO)


# A program without deals: the SQL still answers one row of zeros, the replay none.
NO_DEALS = PipelineFigures()


def check_pipeline_figures_one_definition(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """Open pipeline, stale deals, wins and losses: SQL, replay and dashboard agree today."""
    today = timezone.localdate()
    first = today.replace(day=1)
    sql = pipeline_figures(
        merger=merger,
        by=Dimension.PROGRAM,
        closed_from=first,
        closed_to=month_end(first),
        today=today,
    ).get("program", NO_DEALS)
    pure = figures_by(
        deal_states_now(merger=merger),
        key=lambda s: "program",
        closed_from=first,
        closed_to=month_end(first),
        at=today,
        stale_days=merger.stale_after_days,
    ).get("program", NO_DEALS)
    if sql != pure:
        yield Mismatch("pipeline", "program figures, SQL vs replayed deals", sql, pure)
    dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=first), today=today)
    tiles = {tile.key: tile.value for tile in dashboard.tiles}
    if tiles.get("open_pipeline") != sql.open_amount:
        yield Mismatch(
            "pipeline", "dashboard open pipeline", sql.open_amount, tiles.get("open_pipeline")
        )


def check_stale_share_one_definition(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """Stale and open deals per segment add up to the program's, as the pipeline page
    counts them, and the dashboard's cube counts the same stale deals."""
    today = timezone.localdate()
    program = pipeline_figures(merger=merger, by=Dimension.PROGRAM, today=today).get("program")
    segments = pipeline_figures(merger=merger, by=Dimension.SEGMENT, today=today).values()
    if program is None:
        return
    summed = (sum(f.stale_count for f in segments), sum(f.open_count for f in segments))
    if summed != (program.stale_count, program.open_count):
        yield Mismatch(
            "stale share",
            "segments' (stale, open) against the program's",
            (program.stale_count, program.open_count),
            summed,
        )
    data = DashboardData(
        merger=merger, where=DashboardFilter(month=today.replace(day=1)), today=today
    )
    cube = data.open_figures()
    if (cube.stale_count, cube.open_count) != (program.stale_count, program.open_count):
        yield Mismatch(
            "stale share",
            "dashboard's (stale, open) deals",
            (program.stale_count, program.open_count),
            (cube.stale_count, cube.open_count),
        )


def check_coverage_and_forecast_one_definition(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """This month's pipeline coverage is the same on the dashboard, the quota board and the
    pipeline metrics; the scorecard's forecast band is where the dashboard's ends, for
    this month and the last closed one."""
    today = timezone.localdate()
    first = today.replace(day=1)
    dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=first), today=today)
    coverage = next((t.value for t in dashboard.tiles if t.key == "coverage"), None)
    board = quota_board(merger=merger, period=Period(first)).total.coverage
    [metrics] = pipeline_metrics(merger=merger, by=Dimension.PROGRAM, month=first, today=today)
    for where, value in (("quota board", board), ("pipeline metrics", metrics.coverage)):
        if value != coverage:
            yield Mismatch(
                "coverage", f"{first:%Y-%m} {where} against the dashboard", coverage, value
            )
    closed = [m for m in months if m < first][-1:]
    for month in [first, *closed]:
        if month != first:
            where = DashboardFilter(month=month)
            dashboard = program_dashboard(merger=merger, where=where, today=today)
        line = program_scorecard(merger=merger, month=month).program
        band = (dashboard.impact.forecast_low[-1], dashboard.impact.forecast_high[-1])
        if (line.forecast_low, line.forecast_high) != band:
            found = (line.forecast_low, line.forecast_high)
            yield Mismatch(
                "forecast", f"{month:%Y-%m} scorecard against the dashboard", band, found
            )
