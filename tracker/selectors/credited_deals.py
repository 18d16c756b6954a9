"""The won deals behind a rep's credited cross-sell won of a period, deal by deal.

The quota board and the compensation page show one figure per rep: the credited won of
the period (tracker.selectors.period_figures). This lists what it is made of, with the
same rule of credit (tracker.deal_figures.credit_shares): a deal's split lines, or its
owner at 100% without any, and overlay on top. A closed month lists its deals as they
stood at its snapshot's instant, including deals deleted since (the replay its wins
read, tracker.selectors.wins); a live month, today's deals. A closed month's figure is
frozen, and the credit splits of its deals are today's: where one changed since the
freeze the list no longer adds up to the frozen figure, and says by how much.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from accounts.models import Merger, Product, UnifiedAccount
from tracker.deal_figures import HUNDRED, credit_shares
from tracker.deal_replay import DealState
from tracker.figures import realized_q
from tracker.models import CreditSplit, MonthlySnapshot, Opportunity, Rep
from tracker.pipeline_math import ZERO, cents, month_end
from tracker.selectors.deal_history import deal_states_now
from tracker.selectors.period_figures import period_figures
from tracker.selectors.wins import closed_month_won_states


@dataclass(frozen=True)
class CreditedDeal:
    opportunity_id: int
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
    rep: Rep
    deals: list[CreditedDeal]
    # The figure the quota board and the compensation page show for the rep.
    figure: Decimal
    frozen_months: tuple[date, ...]
    # What the closed months' deals credit today, against their frozen figure.
    frozen_listed: Decimal
    frozen_figure: Decimal

    @property
    def total(self) -> Decimal:
        return sum((deal.credited for deal in self.deals), ZERO)

    @property
    def frozen_difference(self) -> Decimal:
        return self.frozen_listed - self.frozen_figure


def credited_deals(*, merger: Merger, rep: Rep, first: date, last_month: date) -> CreditedDeals:
    """The deals credited to `rep` from `first` to `last_month` (any days in them)."""
    first, last_month = first.replace(day=1), last_month.replace(day=1)
    figures = period_figures(merger=merger, first=first, last_month=last_month)
    snapshots = MonthlySnapshot.objects.filter(
        merger=merger, month__in=list(figures.frozen.months)
    ).order_by("month")
    frozen = [
        state
        for snapshot in snapshots
        for state in closed_month_won_states(merger=merger, snapshot=snapshot)
    ]
    live = deal_states_now(merger=merger, ids=_live_ids(merger, rep, figures.live_months))
    splits = _splits([state.id for state in [*frozen, *live]])
    # A deal won in a closed month and re-dated into a live one since counts in both,
    # as the figures do: as it stood in the closed month, and as it is now.
    states = [(state, True) for state in frozen] + [(state, False) for state in live]
    rows = _credited_rows(rep.pk, states, splits)
    frozen_listed = sum((row.credited for row in rows if row.frozen), ZERO)
    of_rep = figures.of(rep.pk)
    return CreditedDeals(
        rep=rep,
        deals=sorted(rows, key=lambda row: (row.closed_on, row.opportunity_id), reverse=True),
        figure=of_rep.credited_won,
        frozen_months=tuple(sorted(figures.frozen.months)),
        frozen_listed=frozen_listed,
        frozen_figure=figures.frozen_of(rep.pk).credited_won,
    )


def _live_ids(merger: Merger, rep: Rep, months: Collection[date]) -> set[int]:
    """The realized deals of the live months that may credit the rep: owned or on a line."""
    if not months:
        return set()
    in_months = Q()
    for month in months:
        in_months |= realized_q(closed_from=month, closed_to=month_end(month))
    deals = Opportunity.objects.filter(in_months, merger=merger).filter(
        Q(owner=rep) | Q(credits__rep=rep)
    )
    return set(deals.values_list("pk", flat=True))


def _splits(ids: list[int]) -> dict[int, list[tuple[int, str, Decimal]]]:
    splits: dict[int, list[tuple[int, str, Decimal]]] = {}
    rows = CreditSplit.objects.filter(opportunity_id__in=ids).values_list(
        "opportunity_id", "rep_id", "kind", "percent"
    )
    for opportunity_id, rep_id, kind, percent in rows.order_by("pk"):
        splits.setdefault(opportunity_id, []).append((rep_id, kind, percent))
    return splits


def _credited_rows(
    rep_id: int, states: list[tuple[DealState, bool]], splits: dict
) -> list[CreditedDeal]:
    accounts = UnifiedAccount.objects.in_bulk({state.account_id for state, _f in states})
    products = Product.objects.in_bulk({state.product_id for state, _f in states})
    ids = [state.id for state, _frozen in states]
    existing = set(Opportunity.objects.filter(pk__in=ids).values_list("pk", flat=True))
    rows = []
    for state, frozen in states:
        for credited_rep, kind, percent in credit_shares(state.owner_id, splits.get(state.id, [])):
            if credited_rep != rep_id:
                continue
            account, product = accounts.get(state.account_id), products.get(state.product_id)
            rows.append(
                CreditedDeal(
                    opportunity_id=state.id,
                    account=account.name if account else f"#{state.account_id}",
                    product=product.name if product else f"#{state.product_id}",
                    closed_on=state.closed_on,
                    amount=state.amount,
                    kind=kind,
                    percent=percent,
                    frozen=frozen,
                    exists=state.id in existing,
                )
            )
    return rows
