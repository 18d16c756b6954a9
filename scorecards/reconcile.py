"""Checks that every figure of a program reconciles with the records behind it.

Each check reads the program as pages, the API and the exports do, computes the
same figure a second way from the records, and reports every difference with
the ids behind it. `manage.py reconcile` runs them all; CI runs it on the demo.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Sum
from django.utils import timezone

from accounts.models import Holding, Merger, UnifiedAccount, WhitespaceCell, WhitespaceRollup
from accounts.services.overlap import account_status_expression
from scorecards.api.dashboard import dashboard_body
from scorecards.api.dashboard_serializers import DashboardSerializer
from scorecards.exports.csv import render_csv
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.dashboard_data import DashboardData
from scorecards.selectors.program import program_scorecard
from scorecards.selectors.report import scorecard_report
from tracker.deal_figures import figures_by, realized_by
from tracker.models import CreditSplit, MonthlySnapshot, Opportunity, SnapshotLine
from tracker.pipeline_math import ZERO, add_months, cents, month_end
from tracker.selectors.deal_history import deal_states_as_of, deal_states_now
from tracker.selectors.directions import direction_expression
from tracker.selectors.metrics import Dimension, credited_won, pipeline_figures, realized_synergy

SHOWN = 10  # records listed per mismatch

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Mismatch:
    check: str
    what: str
    expected: object
    found: object
    records: list = field(default_factory=list)

    def __str__(self) -> str:
        ids = ", ".join(str(record) for record in self.records[:SHOWN])
        more = f" (+{len(self.records) - SHOWN} more)" if len(self.records) > SHOWN else ""
        behind = f"\n    records: {ids}{more}" if ids else ""
        return f"[{self.check}] {self.what}: expected {self.expected}, found {self.found}{behind}"


@dataclass
class Report:
    checks: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


type Check = Callable[[Merger, list[date]], Iterator[Mismatch]]


def program_reconcile(*, merger: Merger, months: list[date] | None = None) -> Report:
    """Runs every check on the program, for the given months (default: Day 1 to now)."""
    today = timezone.localdate()
    months = months or _months(merger, today)
    report = Report()
    for check in CHECKS:
        report.checks.append(check.__name__.removeprefix("check_").replace("_", " "))
        report.mismatches.extend(check(merger, months))
    return report


def _months(merger: Merger, today: date) -> list[date]:
    month, months = merger.day_one.replace(day=1), []
    while month <= today.replace(day=1):
        months.append(month)
        month = add_months(month, 1)
    return months


def check_history_replays_to_today(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """Undoing nothing must give today's deals: the history is complete and readable."""
    now = deal_states_now(merger=merger)
    replayed = deal_states_as_of(merger=merger, at=timezone.now())
    different = [a.id for a, b in zip(now, replayed.states, strict=False) if a != b]
    if len(now) != len(replayed.states) or different:
        yield Mismatch(
            "history", "deals replayed to now", len(now), len(now) - len(different), different
        )
    if replayed.unreadable:
        ids = sorted({change.opportunity_id for change in replayed.unreadable})
        yield Mismatch(
            "history", "history values that cannot be read back", 0, len(replayed.unreadable), ids
        )


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


def _won_cross_company(merger: Merger, first: date, last: date) -> tuple[Decimal, list[int]]:
    deals = Opportunity.objects.filter(
        merger=merger,
        outcome="won",
        direction__in=["a_to_b", "b_to_a"],
        closed_on__gte=first,
        closed_on__lte=last,
    ).values_list("id", "amount")
    rows = list(deals)
    return cents(sum((amount for _id, amount in rows), ZERO)), [pk for pk, _a in rows]


def _overlay_credit(merger: Merger, first: date, last: date) -> Decimal:
    rows = CreditSplit.objects.filter(
        opportunity__merger=merger,
        opportunity__outcome="won",
        opportunity__direction__in=["a_to_b", "b_to_a"],
        opportunity__closed_on__gte=first,
        opportunity__closed_on__lte=last,
        kind=CreditSplit.Kind.OVERLAY,
    ).values_list("opportunity__amount", "percent")
    return sum((amount * percent / 100 for amount, percent in rows), ZERO)


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
    ).get("program")
    pure = figures_by(
        deal_states_now(merger=merger),
        key=lambda s: "program",
        closed_from=first,
        closed_to=month_end(first),
        at=today,
        stale_days=merger.stale_after_days,
    ).get("program")
    if sql != pure:
        yield Mismatch("pipeline", "program figures, SQL vs replayed deals", sql, pure)
    dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=first), today=today)
    tiles = {tile.key: tile.value for tile in dashboard.tiles}
    if sql is not None and tiles.get("open_pipeline") != sql.open_amount:
        yield Mismatch(
            "pipeline", "dashboard open pipeline", sql.open_amount, tiles.get("open_pipeline")
        )


REPLAYED_MONTHS = 3  # closed months whose snapshot is replayed again from history


def check_snapshots_follow_from_history(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """Each closed month's program line: its to-date figure chains from the month before,
    and the latest closed months' figures come out again from replaying the history."""
    lines = list(
        SnapshotLine.objects.filter(snapshot__merger=merger, scope=SnapshotLine.Scope.PROGRAM)
        .select_related("snapshot")
        .order_by("snapshot__month")
    )
    previous = None
    for line in lines:
        label = f"{line.snapshot.month:%Y-%m}"
        before = (
            previous.realized_to_date
            if previous
            else line.realized_to_date - (line.realized_synergy + line.restated)
        )
        chained = before + line.restated + line.realized_synergy
        if chained != line.realized_to_date:
            yield Mismatch(
                "snapshot",
                f"{label} realized to date against the month before",
                chained,
                line.realized_to_date,
            )
        previous = line
    chosen = [line for line in lines if line.snapshot.month in months][-REPLAYED_MONTHS:]
    for line in chosen:
        month, as_of = line.snapshot.month, line.snapshot.as_of or line.snapshot.frozen_at
        states = deal_states_as_of(merger=merger, at=as_of).states
        last = month_end(month)
        figures = figures_by(
            states,
            key=lambda s: "",
            closed_from=month,
            closed_to=last,
            at=last,
            stale_days=merger.stale_after_days,
        ).get("")
        replayed = {
            "realized": realized_by(
                states, key=lambda s: "", closed_from=month, closed_to=last
            ).get("", ZERO),
            "realized to date": realized_by(
                states, key=lambda s: "", closed_from=merger.day_one, closed_to=last
            ).get("", ZERO),
            "open pipeline": figures.open_amount if figures else ZERO,
            "won deals": figures.won_count if figures else 0,
        }
        stored = {
            "realized": line.realized_synergy,
            "realized to date": line.realized_to_date,
            "open pipeline": line.open_pipeline,
            "won deals": line.won_count,
        }
        for key, value in replayed.items():
            if value != stored[key]:
                yield Mismatch(
                    "snapshot", f"{month:%Y-%m} {key}, replayed from history", value, stored[key]
                )


def check_closed_months_equal_their_snapshot(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """A closed month's dashboard, API, scorecard and exports show its snapshot's figures."""
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month__in=months, scope=SnapshotLine.Scope.PROGRAM
    ).select_related("snapshot")
    for line in lines:
        month = line.snapshot.month
        label = f"{month:%Y-%m}"
        dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=month))
        tiles = {tile.key: tile.value for tile in dashboard.tiles}
        expected = {
            "source": "snapshot",
            "open pipeline": line.open_pipeline,
            "weighted pipeline": line.weighted_pipeline,
            "realized to date": line.realized_to_date,
            "target to date": line.target_to_date,
        }
        found = {
            "source": dashboard.source,
            "open pipeline": tiles.get("open_pipeline"),
            "weighted pipeline": tiles.get("weighted_pipeline"),
            "realized to date": dashboard.impact.realized[-1],
            "target to date": dashboard.impact.target[-1],
        }
        api = DashboardSerializer(dashboard_body(merger, dashboard)).data
        found_api = Decimal(str(api["impact"]["realized"][-1]))
        scorecard = program_scorecard(merger=merger, month=month)
        report = scorecard_report(merger=merger, month=month)
        [program_row] = report.section("program").records()
        csv_text = render_csv(report).decode("utf-8-sig")
        found |= {
            "API realized to date": found_api,
            "scorecard realized": scorecard.program.realized,
            "scorecard target to date": scorecard.program.target_to_date,
            "board pack realized": program_row["realized"],
        }
        expected |= {
            "API realized to date": line.realized_to_date,
            "scorecard realized": line.realized_to_date,
            "scorecard target to date": line.target_to_date,
            "board pack realized": line.realized_to_date,
        }
        for key, value in expected.items():
            if found[key] != value:
                yield Mismatch("closed month", f"{label} {key}", value, found[key])
        if f"{line.realized_to_date:f}" not in csv_text:
            yield Mismatch(
                "closed month", f"{label} CSV export realized", line.realized_to_date, "absent"
            )


def check_statuses_follow_install_base(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    wrong = list(
        UnifiedAccount.objects.filter(merger=merger)
        .alias(should_be=account_status_expression())
        .exclude(status=F("should_be"))
        .values_list("id", flat=True)
    )
    if wrong:
        yield Mismatch(
            "statuses",
            "accounts whose status disagrees with the install base",
            0,
            len(wrong),
            wrong,
        )


def check_no_candidate_for_owned_won_or_open_pairs(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    # From the pairs' side, each looked up in the cells' unique (account, product)
    # index: a large program has millions of cells and only its deals and holdings
    # to check against them.
    def candidate(account: str) -> Exists:
        return Exists(
            WhitespaceCell.objects.filter(
                merger=merger, account=OuterRef(account), product=OuterRef("product")
            )
        )

    owned = Holding.objects.filter(account__unified__merger=merger).filter(
        candidate("account__unified")
    )
    dealt = Opportunity.objects.filter(merger=merger, outcome__in=["open", "won"]).filter(
        candidate("account")
    )
    for label, wrong, account in (
        ("owned", owned, "account__unified"),
        ("won or in pipeline", dealt, "account"),
    ):
        count = wrong.count()
        if count:
            found = wrong.values_list(account, "product")[:SHOWN]
            ids = [f"account {account} x product {product}" for account, product in found]
            yield Mismatch("whitespace", f"candidates for {label} pairs", 0, count, ids)


def check_whitespace_rollup_counts_the_cells(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """The totals and heatmap read the rollup; it must be the cells, grouped."""
    # At the column's two places: SQLite sums decimals as floating point (…102.6800002).
    cells = {
        (row["segment_id"], row["product_id"], row["direction"]): (
            row["n"],
            (row["value"] or Decimal(0)).quantize(CENT),
        )
        for row in WhitespaceCell.objects.filter(merger=merger)
        .values("segment_id", "product_id", "direction")
        .annotate(n=Count("id"), value=Sum("potential_value"))
        .order_by()
    }
    rollup = {
        (row.segment_id, row.product_id, row.direction): (row.cells, row.value.quantize(CENT))
        for row in WhitespaceRollup.objects.filter(merger=merger)
    }
    wrong = sorted(
        (key for key in cells.keys() | rollup.keys() if cells.get(key) != rollup.get(key)),
        key=str,
    )
    if wrong:
        ids = [f"segment {s} x product {p} ({d})" for s, p, d in wrong]
        yield Mismatch("whitespace", "rollup rows that differ from the cells", 0, len(wrong), ids)


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


def check_directions_follow_day_one(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """Every deal's direction is what the Day-1 install base says (realized synergy rests
    on it)."""
    wrong = list(
        Opportunity.objects.filter(merger=merger)
        .annotate(derived=direction_expression(merger=merger))
        .exclude(direction=F("derived"))
        .values_list("id", flat=True)
    )
    if wrong:
        yield Mismatch(
            "directions", "deals whose direction disagrees with Day 1", 0, len(wrong), wrong
        )


CHECKS: list[Check] = [
    check_directions_follow_day_one,
    check_history_replays_to_today,
    check_realized_synergy,
    check_pipeline_figures_one_definition,
    check_snapshots_follow_from_history,
    check_closed_months_equal_their_snapshot,
    check_statuses_follow_install_base,
    check_no_candidate_for_owned_won_or_open_pairs,
    check_whitespace_rollup_counts_the_cells,
    check_stale_share_one_definition,
]
