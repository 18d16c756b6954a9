"""The board pack's executive sections: realized against target over time, team
attainment, top wins, and the risks and asks the data shows.

Part of the one row source (scorecards.selectors.report) that the XLSX, CSV and
PDF render. A closed month reads its snapshots; an open month is computed
live, as everywhere. Each section is one query (or the quota board's few).
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger
from scorecards.models import SixC
from scorecards.selectors.report_shape import Column, ColumnType, Section
from tracker.figures import realized_q, stale_q
from tracker.models import MonthlySnapshot, Opportunity, SnapshotLine, Stage, SynergyTarget
from tracker.pipeline_math import ZERO, add_months, month_end
from tracker.quota_math import period_of
from tracker.selectors.metrics import realized_synergy
from tracker.selectors.quotas import quota_board
from tracker.selectors.wins import Win, closed_month_wins, win_of

MONTHS_SHOWN = 12
WINS_SHOWN = 8
# A segment this far behind its target to date, or a pipeline this stale, is a risk.
BEHIND_TARGET = Decimal("0.10")
STALE_SHARE = Decimal("0.25")
WEAK_C = Decimal("2.5")
MONEY = ColumnType.MONEY
PERCENT = ColumnType.PERCENT


def realized_over_time_section(*, merger: Merger, month: dt.date, program_row: dict) -> Section:
    """The last twelve months up to the report's: frozen months from their snapshot."""
    first = max(add_months(month, -(MONTHS_SHOWN - 1)), merger.day_one.replace(day=1))
    lines = {
        line.snapshot.month: line
        for line in SnapshotLine.objects.filter(
            snapshot__merger=merger,
            snapshot__month__gte=first,
            snapshot__month__lte=month,
            scope=SnapshotLine.Scope.PROGRAM,
        ).select_related("snapshot")
    }
    columns = [
        # YYYY-MM: a month, as BI tools and the charts read it.
        Column("month", _("Month")),
        Column("target", _("Target in the month"), MONEY),
        Column("realized", _("Realized in the month"), MONEY),
        Column("target_to_date", _("Target to date"), MONEY),
        Column("realized_to_date", _("Realized to date"), MONEY),
        Column("source", _("Source")),
    ]
    rows = []
    current = first
    while current <= month:
        line = lines.get(current)
        if line is not None:
            rows.append(
                (
                    f"{current:%Y-%m}",
                    line.target,
                    line.realized_synergy,
                    line.target_to_date,
                    line.realized_to_date,
                    _("snapshot"),
                )
            )
        elif current == month:
            rows.append(
                (
                    f"{current:%Y-%m}",
                    _target_in(merger, current),
                    realized_synergy(
                        merger=merger, closed_from=current, closed_to=month_end(current)
                    ),
                    program_row.get("target_to_date"),
                    program_row.get("realized"),
                    _("live"),
                )
            )
        current = add_months(current, 1)
    return Section("realized_over_time", _("Realized against target"), columns, rows)


def _target_in(merger: Merger, month: dt.date) -> Decimal:
    """The program's synergy target of the month, as its snapshot line will freeze it."""
    targets = SynergyTarget.objects.filter(merger=merger, month=month, segment__isnull=True)
    return targets.aggregate(total=Coalesce(Sum("cross_sell"), ZERO))["total"]


def team_attainment_section(*, merger: Merger, month: dt.date) -> Section:
    """Cross-sell quota, credited cross-sell won and attainment per team in the month:
    credited through splits and overlay, as on the quota page, not realized synergy."""
    columns = [
        Column("team", _("Team")),
        Column("cross_sell_quota", _("Cross-sell quota"), MONEY),
        Column("realized", _("Realized (credited)"), MONEY),
        Column("attainment", _("Attainment"), PERCENT),
    ]
    snapshot = MonthlySnapshot.objects.filter(merger=merger, month=month).first()
    rows: list[tuple] = []
    if snapshot is not None:
        for line in snapshot.lines.filter(scope=SnapshotLine.Scope.TEAM).order_by("label"):
            rows.append(
                (
                    line.label,
                    line.cross_sell_quota,
                    line.attainment_credit,
                    _share(line.attainment_credit, line.cross_sell_quota),
                )
            )
    else:
        board = quota_board(merger=merger, period=period_of(month, "month"))
        for team_line in board.teams:
            figures = team_line.figures
            rows.append(
                (
                    team_line.team.name,
                    figures.cross_sell_quota,
                    figures.credited_won,
                    _share(figures.credited_won, figures.cross_sell_quota),
                )
            )
    return Section("team_attainment", _("Quota attainment by team"), columns, rows)


def top_wins_section(*, merger: Merger, month: dt.date) -> Section:
    """The month's largest won cross-company deals; a closed month's as they stood at its
    end (closed_month_wins, as on the wins page: a later edit is a restatement)."""
    closed = closed_month_wins(merger=merger, month=month)
    if closed is None:
        wins = _live_top_wins(merger, month)
    else:
        wins = sorted(closed.wins, key=_largest_first)
    columns = [
        Column("account", _("Account")),
        Column("product", _("Product")),
        Column("owner", _("Won by")),
        Column("direction", _("Direction")),
        Column("closed_on", _("Closed on"), ColumnType.DATE),
        Column("amount", _("Amount"), MONEY),
    ]
    rows = [
        (win.account, win.product, win.rep, str(win.direction), win.closed_on, win.amount)
        for win in wins[:WINS_SHOWN]
    ]
    return Section("top_wins", _("Top wins"), columns, rows)


def _largest_first(win: Win) -> tuple:
    return (-win.amount, win.closed_on, win.opportunity_id)


def _live_top_wins(merger: Merger, month: dt.date) -> list[Win]:
    rows = (
        Opportunity.objects.filter(
            realized_q(closed_from=month, closed_to=month_end(month)), merger=merger
        )
        .select_related("account", "product", "owner__user", "owner__team")
        .order_by("-amount", "closed_on", "pk")[:WINS_SHOWN]
    )
    return [win_of(row) for row in rows]


def pipeline_health(*, merger: Merger, month: dt.date) -> tuple[int, int]:
    """(open deals, stale deals) at the month's end: the snapshot's, or live."""
    line = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month=month, scope=SnapshotLine.Scope.PROGRAM
    ).first()
    if line is not None:
        return line.open_count, line.stale_count
    today = timezone.localdate()
    deals = Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN)
    stale = stale_q(at=today, days=merger.stale_after_days)
    counts = deals.aggregate(open=Count("pk"), stale=Count("pk", filter=stale))
    return counts["open"], counts["stale"]


def risks_section(
    *, synergy_segment: Section, six_cs: Section, open_count: int, stale_count: int
) -> Section:
    """Risks and asks derived from the pack's own figures, never typed in."""
    columns = [
        Column("kind", _("Risk")),
        Column("subject", _("Where")),
        Column("finding", _("What the data shows")),
        Column("figure", _("Figure"), PERCENT),
        Column("ask", _("Ask")),
    ]
    return Section(
        "risks",
        _("Risks and asks"),
        columns,
        risk_rows(
            segments=synergy_segment.records(),
            scores=six_cs.records(),
            open_count=open_count,
            stale_count=stale_count,
        ),
    )


def risk_rows(
    *, segments: list[dict], scores: list[dict], open_count: int, stale_count: int
) -> list[tuple]:
    """Pure: segments behind target, a stale pipeline, each segment's weakest C."""
    rows: list[tuple] = []
    for record in sorted(segments, key=lambda r: -(r.get("gap_pct") or 0)):
        gap = record.get("gap_pct")
        if gap is not None and gap >= BEHIND_TARGET:
            rows.append(
                (
                    _("Behind target"),
                    record["segment"],
                    _("Realized is %(gap)s%% below the target to date.")
                    % {"gap": f"{gap * 100:.0f}"},
                    gap,
                    _(
                        "Review the segment's pipeline against its reps' cross-sell quota "
                        "with its leaders."
                    ),
                )
            )
    share = Decimal(stale_count) / open_count if open_count else None
    if share is not None and share >= STALE_SHARE:
        rows.append(
            (
                _("Stale pipeline"),
                _("Program"),
                _("%(stale)d of %(open)d open deals have not moved lately.")
                % {"stale": stale_count, "open": open_count},
                share,
                _("Ask leaders to close or move the stale deals."),
            )
        )
    labels = dict(SixC.choices)
    for record in scores:
        scored = [(record.get(c), c) for c in SixC.values if record.get(c) is not None]
        if not scored:
            continue
        score, c = min(scored)
        if score <= WEAK_C:
            rows.append(
                (
                    _("Weakest C"),
                    record["segment"],
                    _("%(c)s scores %(score)s of 5.") % {"c": labels[c], "score": f"{score:.2f}"},
                    None,
                    _("Fund the fix for %(c)s in this segment.") % {"c": labels[c]},
                )
            )
    return rows


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part or 0) / Decimal(whole)
