"""The won deals behind a rep's credited cross-sell won of a period, deal by deal.

The quota board and the compensation page show one figure per rep: the credited won of
the period (tracker.selectors.period_figures). This lists what it is made of, with the
same rule of credit (tracker.deal_figures.credit_shares): a deal's split lines, or its
owner at 100% without any, and overlay on top. A live month lists today's deals. A
closed month lists the shares of credit its freeze kept (SnapshotCredit), with its deals
as they stood at its end, including deals deleted since: its figure was added up from
them, so a split edited, a deal deleted or a rep moved to another team since changes
neither. A month frozen before its shares were kept has only its deals (the ones its
wins read, tracker.selectors.wins): today's credit splits and teams apply to them, and
where they changed since the freeze the list says by how much it differs from the
frozen figure.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from accounts.models import Merger
from tracker.deal_figures import HUNDRED, credit_shares, credited_of
from tracker.deal_replay import DealState
from tracker.figures import realized_q
from tracker.models import (
    MonthlySnapshot,
    Opportunity,
    Rep,
    SnapshotCredit,
    SnapshotDeal,
    Team,
)
from tracker.pipeline_math import ZERO, cents, month_end
from tracker.selectors.deal_history import credit_splits, deal_states_now, kept_state
from tracker.selectors.frozen_teams import team_trees_of
from tracker.selectors.metrics import team_subtree_ids
from tracker.selectors.period_figures import PeriodFigures, period_figures
from tracker.selectors.replayed_names import ReplayedNames
from tracker.selectors.wins import closed_month_won_states
from tracker.team_tree import subtree_ids

# Which of the shares of credit the closed months kept a list reads, given the months.
type KeptOf = Callable[[list[MonthlySnapshot]], Q]


@dataclass(frozen=True)
class CreditedDeal:
    opportunity_id: int
    # The rep credited: one list of a team holds several.
    rep: str
    rep_id: int
    account: str
    product: str
    closed_on: date
    amount: Decimal
    # "owner" (no split lines), "split" or "overlay".
    kind: str
    percent: Decimal
    # The deal's closed month was frozen: it shows as it stood at the month's end.
    frozen: bool
    # False once the deal was deleted: its page no longer opens.
    exists: bool

    @property
    def credited(self) -> Decimal:
        return cents(self.amount * self.percent / HUNDRED)


@dataclass(frozen=True)
class CreditedDeals:
    # Whose credited won: a rep, or a team with the teams below it.
    subject: Rep | Team
    deals: list[CreditedDeal]
    # The figure the quota board (and, for a rep, the compensation page) shows.
    figure: Decimal
    frozen_months: tuple[date, ...]
    # What the closed months' listed shares credit, rounded as their figures are (per
    # rep and month), against their frozen figure: the same where the months kept
    # their shares; today's credit of their deals for the months frozen before.
    frozen_listed: Decimal
    frozen_figure: Decimal
    # The closed months that kept their shares of credit with them, oldest first.
    credits_kept: tuple[date, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((deal.credited for deal in self.deals), ZERO)

    @property
    def frozen_difference(self) -> Decimal:
        return self.frozen_listed - self.frozen_figure


def credited_deals(*, merger: Merger, rep: Rep, first: date, last_month: date) -> CreditedDeals:
    """The deals credited to `rep` from `first` to `last_month` (any days in them)."""
    figures = period_figures(merger=merger, first=first, last_month=last_month)
    of_rep = figures.of(rep.pk)
    return _credited(
        merger,
        rep,
        {rep.pk},
        figures,
        figure=of_rep.credited_won,
        frozen_figure=figures.frozen_of(rep.pk).credited_won,
        kept=lambda snapshots: Q(rep_id=rep.pk),
    )


def team_credited_deals(
    *, merger: Merger, team: Team, first: date, last_month: date
) -> CreditedDeals:
    """The deals credited to the reps of `team` and the teams below it, as the quota
    board's team line adds them: its reps' live months, and its own frozen lines for the
    closed months, with the reps it had at the freeze. A closed month lists the shares
    of the reps in the team or a team below it then (tracker.selectors.frozen_teams);
    one frozen before it kept them, of the reps in it now, and the page says by how much
    that differs."""
    figures = period_figures(merger=merger, first=first, last_month=last_month)
    teams = team_subtree_ids(team_id=team.pk)
    rep_ids = set(Rep.objects.filter(team_id__in=teams).values_list("pk", flat=True))
    live = sum((figures.live_of(rep_id).credited_won for rep_id in rep_ids), ZERO)
    frozen = figures.frozen_team(team.pk).credited_won
    return _credited(
        merger,
        team,
        rep_ids,
        figures,
        figure=live + frozen,
        frozen_figure=frozen,
        kept=lambda snapshots: _in_team_then(snapshots, team.pk),
    )


def _in_team_then(snapshots: list[MonthlySnapshot], team_id: int) -> Q:
    """The shares of credit the snapshots kept of the reps in the team or a team below
    it, each month by its own tree: one query for the trees of all the months."""
    trees = team_trees_of(snapshots=snapshots)
    return reduce(
        or_,
        (
            Q(snapshot_id=snapshot.pk, team_id__in=subtree_ids(trees[snapshot.pk], [team_id]))
            for snapshot in snapshots
        ),
        Q(pk__in=[]),
    )


def _credited(
    merger: Merger,
    subject: Rep | Team,
    rep_ids: set[int],
    figures: PeriodFigures,
    *,
    figure: Decimal,
    frozen_figure: Decimal,
    kept: KeptOf,
) -> CreditedDeals:
    # A month whose realized deals credited anyone kept at least one share: one with
    # deals but none kept was frozen before its shares were.
    snapshots = list(
        MonthlySnapshot.objects.filter(merger=merger, month__in=list(figures.frozen.months))
        .annotate(credits_kept=Exists(SnapshotCredit.objects.filter(snapshot=OuterRef("pk"))))
        .order_by("month")
    )
    with_credits = [snapshot for snapshot in snapshots if snapshot.credits_kept]
    frozen = [
        state
        for snapshot in snapshots
        if not snapshot.credits_kept
        for state in closed_month_won_states(merger=merger, snapshot=snapshot)
    ]
    live = deal_states_now(merger=merger, ids=_live_ids(merger, rep_ids, figures.live_months))
    splits = credit_splits(where=Q(opportunity_id__in=[state.id for state in [*frozen, *live]]))
    # A deal won in a closed month and re-dated into a live one since counts in both,
    # as the figures do: as it stood in the closed month, and as it is now.
    states = [(state, True) for state in frozen] + [(state, False) for state in live]
    shares = _kept_shares(with_credits, kept) + [
        (state, rep, kind, percent, is_frozen)
        for state, is_frozen in states
        for rep, kind, percent in credit_shares(state.owner_id, splits.get(state.id, []))
        if rep in rep_ids
    ]
    rows = _credited_rows(shares)
    return CreditedDeals(
        subject=subject,
        deals=sorted(rows, key=lambda row: (row.closed_on, row.opportunity_id), reverse=True),
        figure=figure,
        frozen_months=tuple(sorted(figures.frozen.months)),
        frozen_listed=_as_figured([row for row in rows if row.frozen]),
        frozen_figure=frozen_figure,
        credits_kept=tuple(snapshot.month for snapshot in with_credits),
    )


# A deal, the rep it credits, how ("owner", "split" or "overlay"), by what percent, and
# whether it is as it stood in a closed month.
type Share = tuple[DealState, int, str, Decimal, bool]


def _kept_shares(snapshots: list[MonthlySnapshot], kept: KeptOf) -> list[Share]:
    """The shares of credit `kept` selects among those the snapshots kept, each with its
    deal as the snapshot kept it. A fixed number of queries, whatever the number of
    months."""
    if not snapshots:
        return []
    credits = SnapshotCredit.objects.filter(kept(snapshots), snapshot__in=snapshots)
    deals = SnapshotDeal.objects.filter(
        Exists(
            credits.filter(
                snapshot_id=OuterRef("snapshot_id"), opportunity_id=OuterRef("opportunity_id")
            )
        ),
        snapshot__in=snapshots,
        kept=SnapshotDeal.Kept.REALIZED,
    ).select_related("snapshot")
    states = {(row.snapshot_id, row.opportunity_id): kept_state(row) for row in deals}
    rows = credits.values_list("snapshot_id", "opportunity_id", "rep_id", "kind", "percent")
    return [
        (states[snapshot_id, opportunity_id], rep_id, kind, percent, True)
        for snapshot_id, opportunity_id, rep_id, kind, percent in rows.order_by("pk")
    ]


def _as_figured(rows: list[CreditedDeal]) -> Decimal:
    """What the rows credit, rounded as the frozen lines were: once per rep and month."""
    by_month = credited_of(rows, key=lambda row: (row.closed_on.replace(day=1), row.rep_id))
    return sum(by_month.values(), ZERO)


def _live_ids(merger: Merger, rep_ids: set[int], months: Collection[date]) -> set[int]:
    """The realized deals of the live months that may credit the reps: owned or on a line."""
    if not months:
        return set()
    in_months = Q()
    for month in months:
        in_months |= realized_q(closed_from=month, closed_to=month_end(month))
    deals = Opportunity.objects.filter(in_months, merger=merger).filter(
        Q(owner_id__in=rep_ids) | Q(credits__rep_id__in=rep_ids)
    )
    return set(deals.order_by().values_list("pk", flat=True))


def _credited_rows(shares: list[Share]) -> list[CreditedDeal]:
    names = ReplayedNames([state for state, *_rest in shares])
    # The reps credited, whatever team they are in now (a closed month's team list
    # holds its reps then).
    rep_ids = {rep_id for _state, rep_id, *_rest in shares}
    reps = {rep.pk: str(rep) for rep in Rep.objects.filter(pk__in=rep_ids).select_related("user")}
    return [
        CreditedDeal(
            opportunity_id=state.id,
            rep=reps.get(rep_id, f"#{rep_id}"),
            rep_id=rep_id,
            account=names.accounts.get(state.account_id, f"#{state.account_id}"),
            product=names.product_name(state) or f"#{state.product_id}",
            closed_on=state.closed_on,
            amount=state.amount,
            kind=kind,
            percent=percent,
            frozen=frozen,
            exists=state.id in names.existing,
        )
        for state, rep_id, kind, percent, frozen in shares
    ]
