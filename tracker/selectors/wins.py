"""The wins feed: recent realized synergy (won cross-company deals), to celebrate."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from accounts.models import Merger, Product, RecordChange
from accounts.selectors.history import changes_of
from tracker.deal_figures import state_realized
from tracker.deal_replay import DealState
from tracker.figures import closed_in_q, realized_q
from tracker.models import MonthlySnapshot, Opportunity, Rep, SnapshotDeal, SnapshotLine, Stage
from tracker.pipeline_math import ZERO, PipelineFigures, cents, month_end
from tracker.selectors.deal_history import deal_states_as_of, kept_state
from tracker.selectors.frozen_teams import kept_team_subtree_ids
from tracker.selectors.metrics import (
    SYNERGY,
    Dimension,
    PipelineFilter,
    pipeline_figures,
)
from tracker.selectors.replayed_names import ReplayedNames

Did = RecordChange.Action

# How many of its latest wins a dashboard shows, and a snapshot line keeps for it.
LATEST_WINS = 10


@dataclass(frozen=True)
class Win:
    opportunity_id: int
    rep: str
    team: str
    account: str
    product: str
    amount: Decimal
    closed_on: date
    direction: str
    customer_need: str
    # When the win's month was frozen, if it was: it then shows as it stood at its end.
    frozen_at: datetime | None = None


def wins_feed(
    *,
    merger_id: int,
    limit: int = 10,
    closed_from: date | None = None,
    closed_to: date | None = None,
    owner_ids: list[int] | None = None,
    opportunities: QuerySet[Opportunity] | None = None,
) -> list[Win]:
    """The newest wins; of `opportunities` only, where a filtered page narrows its deals."""
    deals = Opportunity.objects if opportunities is None else opportunities
    won = deals.filter(
        realized_q(closed_from=closed_from, closed_to=closed_to), merger_id=merger_id
    )
    if owner_ids is not None:
        won = won.filter(owner_id__in=owner_ids)
    rows = won.select_related("owner__user", "owner__team", "account", "product").order_by(
        "-closed_on", "-amount", "-id"
    )[:limit]
    return [win_of(row) for row in rows]


def wins_between(
    *, merger: Merger, closed_from: date | None, closed_to: date | None, limit: int
) -> list[Win]:
    """The newest wins of a date range, as the wins API answers: a closed month's as
    closed_month_wins has them (as they stood at its end), the other months' live.

    A range within closed months is all frozen, one with open months adds their live
    wins; a closed month only partly in the range keeps its frozen wins of those days.
    """
    snapshots = MonthlySnapshot.objects.filter(merger=merger)
    if closed_from is not None:
        snapshots = snapshots.filter(month__gte=closed_from.replace(day=1))
    if closed_to is not None:
        snapshots = snapshots.filter(month__lte=closed_to)
    closed = list(snapshots.order_by("-month").values_list("month", flat=True))
    live = Opportunity.objects.all()
    if closed:
        live = live.exclude(reduce(or_, (Q(closed_on__range=(m, month_end(m))) for m in closed)))
    wins = wins_feed(
        merger_id=merger.pk,
        limit=limit,
        closed_from=closed_from,
        closed_to=closed_to,
        opportunities=live,
    )
    for month in closed:
        # A month's wins are all older than a later month's: enough newer ones end the walk.
        if sum(win.closed_on > month_end(month) for win in wins) >= limit:
            break
        frozen = closed_month_wins(merger=merger, month=month)
        wins += [
            win
            for win in (frozen.wins if frozen else [])
            if (closed_from is None or win.closed_on >= closed_from)
            and (closed_to is None or win.closed_on <= closed_to)
        ]
    wins.sort(key=lambda win: (win.closed_on, win.amount, win.opportunity_id), reverse=True)
    return wins[:limit]


def wins_figures(
    *,
    merger: Merger,
    closed_from: date,
    closed_to: date,
    today: date | None = None,
    opportunities: QuerySet[Opportunity] | None = None,
) -> PipelineFigures:
    """The program's won figures of the period, as pipeline_figures counts them; of
    `opportunities` only, where the page lists a slice's wins.

    Only the period's won deals are read, through the index on outcome and
    closing date, instead of every deal of the program: the open figures of the
    result stay zero, so this suits a page that shows wins only.
    """
    deals = Opportunity.objects if opportunities is None else opportunities
    won = deals.filter(
        closed_in_q(closed_from=closed_from, closed_to=closed_to), outcome=Stage.Outcome.WON
    )
    figures = pipeline_figures(
        merger=merger,
        by=Dimension.PROGRAM,
        closed_from=closed_from,
        closed_to=closed_to,
        today=today,
        where=SYNERGY,
        opportunities=won,
    )
    return figures.get("program", PipelineFigures())


def wins_frozen(*, merger: Merger, snapshot: MonthlySnapshot, frozen: list[dict]) -> list[Win]:
    """The latest wins a month-end snapshot kept for a line, as they stood at its end.

    The amount and date are the ones the snapshot kept; the owner and direction are
    replayed to the snapshot's instant, as closed_month_wins shows them, so a deal
    reassigned since still shows the rep who won it then.
    """
    at = snapshot.as_of or snapshot.frozen_at
    ids = [win["id"] for win in frozen]
    replayed = {
        state.id: state
        for state in deal_states_as_of(merger=merger, at=at, ids=ids, deleted=True).states
    }
    states = [
        replace(
            replayed[win["id"]],
            amount=Decimal(win["amount"]),
            closed_on=date.fromisoformat(win["closed_on"]),
        )
        for win in frozen
        if win["id"] in replayed
    ]
    return wins_of_states(states, frozen_at=snapshot.frozen_at)


@dataclass(frozen=True)
class ClosedMonthWins:
    """A closed month's wins as they stood at its end, and their frozen total."""

    frozen_at: datetime
    # Every win of the month, newest first, the largest first on a day.
    wins: list[Win]
    total: Decimal

    @property
    def figures(self) -> PipelineFigures:
        return PipelineFigures(won_count=len(self.wins), won_amount=self.total)


def closed_month_wins(
    *, merger: Merger, month: date, where: PipelineFilter | None = None
) -> ClosedMonthWins | None:
    """The wins of a frozen month (any day in it) as its snapshot read them; None while it
    is not frozen. The one definition the wins page, the board pack and the wins API read.
    `where` narrows them to a slice (a dashboard's segment, team, rep, direction or
    company), the total then being the sum of the slice's wins.

    The deals are replayed to the snapshot's instant, as the snapshot did when it kept
    its latest wins for the dashboard (wins_frozen) and its realized synergy: a deal
    edited, reassigned or reopened since shows what it was at the close, and the change
    is a restatement of the month it was made in. The total is the program line's
    frozen realized synergy, the figure the dashboard and the board pack report.
    """
    first = month.replace(day=1)
    snapshot = MonthlySnapshot.objects.filter(merger=merger, month=first).first()
    if snapshot is None:
        return None
    won = closed_month_won_states(merger=merger, snapshot=snapshot)
    if where is not None and where != PipelineFilter():
        won = _of_slice(won, where, snapshot)
        return ClosedMonthWins(
            frozen_at=snapshot.frozen_at,
            wins=wins_of_states(won, frozen_at=snapshot.frozen_at),
            total=cents(sum((state.amount for state in won), ZERO)),
        )
    frozen_total = (
        snapshot.lines.filter(scope=SnapshotLine.Scope.PROGRAM, key="")
        .values_list("realized_synergy", flat=True)
        .first()
    )
    return ClosedMonthWins(
        frozen_at=snapshot.frozen_at,
        wins=wins_of_states(won, frozen_at=snapshot.frozen_at),
        total=sum((state.amount for state in won), ZERO) if frozen_total is None else frozen_total,
    )


def closed_month_won_states(*, merger: Merger, snapshot: MonthlySnapshot) -> list[DealState]:
    """The deals realized in a frozen month as they stood at its snapshot's instant,
    newest first: what its wins, and the credit behind its frozen lines, are made of."""
    if snapshot.rows_kept:
        # Sorted below, so not by the rows' own ordering first.
        kept = snapshot.deals.filter(kept=SnapshotDeal.Kept.REALIZED).order_by()
        won = [kept_state(row) for row in kept]
    else:
        won = _replayed_won_states(merger, snapshot)
    won.sort(key=_newest_first, reverse=True)
    return won


def _replayed_won_states(merger: Merger, snapshot: MonthlySnapshot) -> list[DealState]:
    """For a month frozen before its deals were kept: replayed to its instant."""
    first = snapshot.month
    last = month_end(first)
    # A snapshot kept before its instant was recorded describes its freeze time.
    at = snapshot.as_of or snapshot.frozen_at
    return [
        state
        for state in deal_states_as_of(
            merger=merger, at=at, ids=_may_have_closed(merger, first, last, at), deleted=True
        ).states
        if state_realized(state, first, last)
    ]


def _of_slice(
    states: list[DealState], where: PipelineFilter, snapshot: MonthlySnapshot
) -> list[DealState]:
    """The deals of a slice by their segment, direction and owner as they stood; a team's
    by their owner's team at the freeze (today's, for a month frozen before its deals
    were kept), with the teams below it then (tracker.selectors.frozen_teams); a
    company's by their product."""
    owners = team_deals = products = None
    if where.team_id:
        teams = kept_team_subtree_ids(snapshot=snapshot, team_id=where.team_id)
        if snapshot.rows_kept:
            realized = snapshot.deals.filter(kept=SnapshotDeal.Kept.REALIZED, team_id__in=teams)
            team_deals = set(realized.order_by().values_list("opportunity_id", flat=True))
        else:
            owners = set(Rep.objects.filter(team_id__in=teams).values_list("pk", flat=True))
    if where.company_id:
        ids = {state.product_id for state in states}
        products = set(
            Product.objects.filter(pk__in=ids, company_id=where.company_id).values_list(
                "pk", flat=True
            )
        )
    return [
        state
        for state in states
        if (not where.segment_id or state.segment_id == where.segment_id)
        and (not where.direction or state.direction == where.direction)
        and (not where.owner_id or state.owner_id == where.owner_id)
        and (where.owner_ids is None or state.owner_id in where.owner_ids)
        and (owners is None or state.owner_id in owners)
        and (team_deals is None or state.id in team_deals)
        and (products is None or state.product_id in products)
    ]


def _may_have_closed(merger: Merger, first: date, last: date, at: datetime) -> set[int]:
    """The deals that can have been won in the month as they stood at `at`: those closed in
    it today, and those changed or deleted since. The others need no replay, so a month's
    wins read its own deals, not every deal of the program."""
    # Sets of ids: without the deals' and changes' default order, which sorted them all.
    closed_now = Opportunity.objects.filter(
        merger=merger, closed_on__range=(first, last)
    ).order_by()
    changed = changes_of(Opportunity).filter(merger=merger, at__gt=at).order_by()
    return {
        *closed_now.values_list("pk", flat=True),
        *changed.values_list("object_id", flat=True),
    }


def _newest_first(state: DealState) -> tuple:
    """The wins feed's order (reversed), which the snapshot keeps its wins in too."""
    return (state.closed_on, state.amount, state.id)


def wins_of_states(states: list[DealState], *, frozen_at: datetime) -> list[Win]:
    """Wins with the account, product, amount, date, owner and direction the deals had as
    replayed or kept; a deal deleted since keeps the need its deletion kept."""
    names = ReplayedNames(states)
    ids = [state.id for state in states]
    # Read into dicts by id: unsorted.
    needs = dict(
        Opportunity.objects.filter(pk__in=ids).order_by().values_list("pk", "customer_need")
    )
    if gone := [deal_id for deal_id in ids if deal_id not in needs]:
        deletions = changes_of(Opportunity, object_ids=gone).filter(action=Did.DELETED).order_by()
        for deal_id, changes in deletions.values_list("object_id", "changes"):
            needs[deal_id] = (changes.get("customer_need") or [""])[0] or ""
    wins = []
    for state in states:
        owner = names.owners.get(state.owner_id)
        wins.append(
            Win(
                opportunity_id=state.id,
                rep=names.owner_name(state),
                team=owner.team.name if owner and owner.team else "",
                account=names.accounts.get(state.account_id, ""),
                product=names.product_name(state),
                amount=state.amount,
                closed_on=state.closed_on,
                direction=names.direction(state),
                customer_need=needs.get(state.id, ""),
                frozen_at=frozen_at,
            )
        )
    return wins


def win_of(row: Opportunity) -> Win:
    return Win(
        opportunity_id=row.pk,
        rep=str(row.owner),
        team=row.owner.team.name if row.owner.team else "",
        account=row.account.name,
        product=row.product.name,
        amount=row.amount,
        closed_on=row.closed_on,
        direction=row.get_direction_display(),
        customer_need=row.customer_need,
    )
