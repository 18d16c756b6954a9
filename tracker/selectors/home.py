"""A rep's home: their pipeline, quota, best whitespace, stale deals and what changed.

A fixed number of queries whatever the size of the program: each part is one
query (the quota a few grouped ones), bounded to what the page shows.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Kind, Merger, UnifiedAccount, WhitespaceCell
from accounts.selectors.accounts import unified_accounts_of_user
from accounts.selectors.history import FieldLine, changes_of, history_lines
from core.access import User
from tracker.figures import stale_q
from tracker.models import HomeVisit, Opportunity, Rep, Stage
from tracker.pipeline_math import PipelineFigures
from tracker.quota_math import QuotaFigures, period_of
from tracker.selectors.metrics import month_to_date_figures
from tracker.selectors.opportunities import deal_line
from tracker.selectors.quotas import quota_board

SHOWN = 8
CHANGES_SHOWN = 15
# A first visit shows the last week's changes.
FIRST_VISIT_LOOKBACK = dt.timedelta(days=7)


@dataclass(frozen=True)
class RepHome:
    rep: Rep
    today: dt.date
    pipeline: PipelineFigures
    quota: QuotaFigures
    whitespace: list[WhitespaceCell]
    stale: list[Opportunity]
    since: dt.datetime
    first_visit: bool
    changes: list["DealChange"]
    new_wins: list[Opportunity]
    new_whitespace: int

    @property
    def anything_new(self) -> bool:
        return bool(self.changes or self.new_wins or self.new_whitespace)


def own_rep_of(*, user: User, merger: Merger) -> Rep | None:
    return Rep.objects.filter(merger=merger, user=user).select_related("team").first()


def offerable_whitespace(*, cells: QuerySet[WhitespaceCell]) -> QuerySet[WhitespaceCell]:
    """Cells the risk screen lets a rep offer: none on "don't sell" accounts, only
    upsells on "upsell only" ones."""
    Recommendation = UnifiedAccount.Recommendation
    return cells.exclude(account__recommendation=Recommendation.DONT_SELL).exclude(
        Q(account__recommendation=Recommendation.UPSELL_ONLY) & ~Q(kind=Kind.UPSELL)
    )


def rep_home(*, user: User, merger: Merger, rep: Rep, today: dt.date | None = None) -> RepHome:
    today = today or timezone.localdate()
    visit = HomeVisit.objects.filter(user=user, merger=merger).first()
    since = visit.seen_at if visit else timezone.now() - FIRST_VISIT_LOOKBACK
    mine = unified_accounts_of_user(user=user, merger_id=merger.pk).values("pk")
    my_cells = offerable_whitespace(
        cells=WhitespaceCell.objects.filter(merger=merger, account__in=mine)
    )
    return RepHome(
        rep=rep,
        today=today,
        pipeline=_pipeline(merger, rep, today),
        quota=_quota(merger, rep, today),
        whitespace=list(
            my_cells.select_related("account", "product__company").order_by(
                "-potential_value", "account__name", "pk"
            )[:SHOWN]
        ),
        stale=list(
            Opportunity.objects.filter(
                stale_q(at=today, days=merger.stale_after_days), merger=merger, owner=rep
            )
            .select_related("account", "product", "stage")
            .order_by("progressed_at", "pk")[:SHOWN]
        ),
        since=since,
        first_visit=visit is None,
        changes=_changes(merger=merger, rep=rep, user=user, since=since),
        new_wins=list(
            Opportunity.objects.filter(
                merger=merger,
                outcome=Stage.Outcome.WON,
                closed_on__gte=timezone.localtime(since).date(),
            )
            .select_related("account", "product", "owner__user")
            .order_by("-closed_on", "-amount", "pk")[:SHOWN]
        ),
        new_whitespace=my_cells.filter(found_at__gt=since).count(),
    )


@dataclass(frozen=True)
class DealChange:
    """One field of a change to one of the rep's deals."""

    line: FieldLine
    opportunity: Opportunity

    def __getattr__(self, name: str):
        return getattr(self.line, name)


def _changes(*, merger: Merger, rep: Rep, user: User, since: dt.datetime) -> list[DealChange]:
    """The latest changes others made to the rep's deals: two queries."""
    # Subquery and dict by id: neither needs the deals' default order.
    mine = Opportunity.objects.filter(merger=merger, owner=rep).order_by().values("pk")
    rows = (
        changes_of(Opportunity)
        .filter(merger=merger, object_id__in=mine, at__gt=since)
        .exclude(actor=user)
        .select_related("actor")[:CHANGES_SHOWN]
    )
    lines = [deal_line(line) for line in history_lines(rows)][:CHANGES_SHOWN]
    # Through the changes' query, so that it runs however many changes there are.
    deals = Opportunity.objects.filter(pk__in=rows.values("object_id")).order_by()
    by_id = {deal.pk: deal for deal in deals.select_related("account", "product")}
    return [DealChange(line, by_id[line.object_id]) for line in lines if line.object_id in by_id]


def _pipeline(merger: Merger, rep: Rep, today: dt.date) -> PipelineFigures:
    return month_to_date_figures(
        merger=merger, opportunities=Opportunity.objects.filter(owner=rep), today=today
    )


def _quota(merger: Merger, rep: Rep, today: dt.date) -> QuotaFigures:
    month = period_of(today.replace(day=1), "month")
    board = quota_board(merger=merger, period=month, team_ids=(), rep_ids={rep.pk})
    return board.total
