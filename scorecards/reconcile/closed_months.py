"""A closed month's wins and payouts are its snapshot's: the wins its deals replay to at
the freeze add up to the frozen realized synergy and won count, the payouts credit the
reps with what the program line froze as their credit, and the shares of credit it kept
add up to each rep's and team's frozen credited won."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery, Sum

from accounts.filter_fields import NO_SEGMENT
from accounts.models import Merger
from scorecards.reconcile.report import Mismatch
from tracker.deal_figures import HUNDRED
from tracker.figures import CROSS_COMPANY_DIRECTIONS
from tracker.models import MonthlySnapshot, SnapshotCredit, SnapshotDeal, SnapshotLine
from tracker.pipeline_math import ZERO, cents
from tracker.selectors.compensation import payouts_for
from tracker.selectors.frozen_pipeline import FrozenOpenWhere, frozen_open_deals
from tracker.selectors.frozen_teams import team_trees_of
from tracker.selectors.wins import closed_month_wins
from tracker.team_tree import subtree_ids

Scope = SnapshotLine.Scope


def check_closed_months_win_and_pay_as_frozen(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """The wins page's and board pack's list of a closed month (a replay of its deals)
    against its frozen program and direction lines, and the compensation page's credits
    against the frozen credit of the program."""
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month__in=months, scope=Scope.PROGRAM
    ).select_related("snapshot")
    for line in lines:
        month = line.snapshot.month
        label = f"{month:%Y-%m}"
        wins = closed_month_wins(merger=merger, month=month)
        listed = sum((win.amount for win in wins.wins), ZERO)
        ids = [win.opportunity_id for win in wins.wins]
        if listed != line.realized_synergy:
            yield Mismatch(
                "closed month", f"{label} wins listed", line.realized_synergy, listed, ids
            )
        counted = line.snapshot.lines.filter(
            scope=Scope.DIRECTION, key__in=CROSS_COMPANY_DIRECTIONS
        ).aggregate(won=Sum("won_count"))["won"]
        if counted is not None and len(ids) != counted:
            yield Mismatch("closed month", f"{label} wins counted", counted, len(ids), ids)
        if line.credited_won is None:  # frozen before credits were kept
            continue
        paid = sum(
            (
                row.credited_won
                for row in payouts_for(merger=merger, month_from=month, month_to=month)
            ),
            ZERO,
        )
        if paid != line.credited_won:
            yield Mismatch("closed month", f"{label} payouts' credit", line.credited_won, paid)


def check_closed_months_list_their_open_deals(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """A closed month's open-deals list (the rows its freeze kept) against its frozen
    open pipeline: the program's, each segment's and each team's (with the teams below
    it in the month's own tree)."""
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger,
        snapshot__month__in=months,
        snapshot__rows_kept=True,
        scope__in=[Scope.PROGRAM, Scope.SEGMENT, Scope.TEAM],
    ).exclude(scope=Scope.TEAM, key="")  # reps of no team: no list filters them
    lines = lines.select_related("snapshot")
    for line in lines:
        deals = frozen_open_deals(merger=merger, month=line.snapshot.month, where=_slice(line))
        frozen = (line.open_count, line.open_pipeline)
        if deals is not None and (deals.count, deals.amount) != frozen:
            what = f"{line.snapshot.month:%Y-%m} {line.scope} {line.label} open deals listed"
            yield Mismatch("closed month", what, frozen, (deals.count, deals.amount))


def _slice(line: SnapshotLine) -> FrozenOpenWhere:
    if line.scope == Scope.SEGMENT:
        return FrozenOpenWhere(segment=int(line.key) if line.key else NO_SEGMENT)
    if line.scope == Scope.TEAM:
        # The team's subtree is the freeze's, as its line was rolled up.
        return FrozenOpenWhere(team_id=int(line.key))
    return FrozenOpenWhere()


def check_closed_months_credit_as_frozen(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """The shares of credit a closed month kept (what its credited-deals lists read),
    each at its kept deal's amount, against its frozen rep and team lines: each rep's,
    and those of the reps in each team or a team below it at the freeze (in the month's
    own tree)."""
    kept = MonthlySnapshot.objects.filter(merger=merger, month__in=months).filter(
        Exists(SnapshotCredit.objects.filter(snapshot=OuterRef("pk")))
    )
    deal = SnapshotDeal.objects.filter(
        snapshot_id=OuterRef("snapshot_id"),
        opportunity_id=OuterRef("opportunity_id"),
        kept=SnapshotDeal.Kept.REALIZED,
    )
    shares = SnapshotCredit.objects.filter(snapshot__in=kept).annotate(
        amount=Subquery(deal.values("amount")[:1])
    )
    credited: dict[tuple[int, int], Decimal] = {}
    teams: dict[tuple[int, int], int | None] = {}
    for snapshot_id, opportunity_id, rep_id, team_id, percent, amount in shares.values_list(
        "snapshot_id", "opportunity_id", "rep_id", "team_id", "percent", "amount"
    ):
        if amount is None:
            yield Mismatch(
                "closed month", "share of credit without its deal", 1, 0, [opportunity_id]
            )
            continue
        key = (snapshot_id, rep_id)
        credited[key] = credited.get(key, ZERO) + amount * percent / HUNDRED
        teams[key] = team_id
    by_rep = {key: cents(total) for key, total in credited.items()}
    # Each month's team tree as it froze it: a team line added up the teams below it then.
    trees = team_trees_of(snapshots=list(kept))
    lines = SnapshotLine.objects.filter(
        snapshot__in=kept, scope__in=[Scope.REP, Scope.TEAM], credited_won__isnull=False
    ).exclude(key="")
    for line in lines.select_related("snapshot"):
        snapshot_id = line.snapshot_id
        if line.scope == Scope.REP:
            found = by_rep.get((snapshot_id, int(line.key)), ZERO)
        else:
            subtree = subtree_ids(trees[snapshot_id], [int(line.key)])
            found = sum(
                (
                    amount
                    for (month_id, rep_id), amount in by_rep.items()
                    if month_id == snapshot_id and teams[month_id, rep_id] in subtree
                ),
                ZERO,
            )
        if found != line.credited_won:
            what = f"{line.snapshot.month:%Y-%m} {line.scope} {line.label} shares of credit"
            yield Mismatch("closed month", what, line.credited_won, found)
