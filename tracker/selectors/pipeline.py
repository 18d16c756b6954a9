"""Reads of the pipeline for the pipeline pages and the accounts pages."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from accounts.models import ZERO, Kind, Merger, UnifiedAccount, WhitespaceCell
from core.access import Role, User, roles_of
from tracker.models import Opportunity, Rep, Stage
from tracker.selectors.reach import led_team_ids
from tracker.stage_path import PathStage

_LIST_RELATED = ("account", "product__company", "stage", "owner__user")
ACCOUNT_CANDIDATES_SHOWN = 20


class ScopeKind(StrEnum):
    MINE = "mine"
    TEAM = "team"
    PROGRAM = "program"


@dataclass(frozen=True)
class PipelineScope:
    """Whose opportunities a user's pipeline page lists: None owner_ids is the whole program."""

    kind: ScopeKind
    owner_ids: tuple[int, ...] | None


def reps_covered_by(*, user: User, merger: Merger) -> QuerySet[Rep]:
    """The reps whose opportunities the user may change: own, their team's, or all for ops."""
    roles = roles_of(user)
    reps = Rep.objects.filter(merger=merger).select_related("user")
    if Role.OPS in roles:
        return reps
    if Role.LEADER in roles:
        return reps.filter(Q(user=user) | Q(team_id__in=led_team_ids(user)))
    if Role.REP in roles:
        return reps.filter(user=user)
    return reps.none()


def pipeline_scope(*, user: User, merger: Merger) -> PipelineScope:
    """A rep sees their own, a leader their team's subtree, executives and ops everything."""
    roles = roles_of(user)
    if roles & {Role.EXECUTIVE, Role.OPS}:
        return PipelineScope(ScopeKind.PROGRAM, None)
    kind = ScopeKind.TEAM if Role.LEADER in roles else ScopeKind.MINE
    ids = reps_covered_by(user=user, merger=merger).values_list("pk", flat=True)
    return PipelineScope(kind, tuple(sorted(ids)))


def account_ids_with_deals_of(*, user: User, merger_id: int) -> QuerySet:
    """Ids of the accounts on which the user owns a deal: their part of "my accounts"."""
    # A subquery: unsorted, not by the deals' default order.
    return (
        Opportunity.objects.filter(merger_id=merger_id, owner__user=user)
        .order_by()
        .values("account_id")
    )


def opportunities_for_list(
    *, merger_id: int, owner_ids: tuple[int, ...] | None = None
) -> QuerySet[Opportunity]:
    """A program's opportunities with what a list row shows, newest change first."""
    opportunities = Opportunity.objects.filter(merger_id=merger_id)
    if owner_ids is not None:
        opportunities = opportunities.filter(owner_id__in=owner_ids)
    return opportunities.select_related(*_LIST_RELATED).order_by("-updated_at", "-pk")


def account_candidates(*, account: UnifiedAccount) -> list[WhitespaceCell]:
    """The account's largest whitespace candidates: what a rep could log next.

    The risk screen decides what may be offered: nothing on a "don't sell"
    account, upsells only on an "upsell only" one. A candidate whose product
    already has an open deal on the account carries that deal's id
    (`open_deal_id`), so the page links to the deal instead of offering a second.
    """
    Recommendation = UnifiedAccount.Recommendation
    if account.recommendation == Recommendation.DONT_SELL:
        return []
    cells = WhitespaceCell.objects.filter(account=account)
    if account.recommendation == Recommendation.UPSELL_ONLY:
        cells = cells.filter(kind=Kind.UPSELL)
    open_deal = Opportunity.objects.filter(
        account_id=OuterRef("account_id"),
        product_id=OuterRef("product_id"),
        outcome=Stage.Outcome.OPEN,
    ).values("pk")[:1]
    return list(
        cells.select_related("product__company", "via__source")
        .annotate(open_deal_id=Subquery(open_deal))
        .order_by("-potential_value", "product__name", "pk")[:ACCOUNT_CANDIDATES_SHOWN]
    )


def opportunities_of_account(*, account: UnifiedAccount) -> list[Opportunity]:
    return list(
        Opportunity.objects.filter(account=account)
        .select_related(*_LIST_RELATED)
        .order_by("stage__order", "-updated_at", "-pk")
    )


def stages_of(*, merger_id: int) -> QuerySet[Stage]:
    return Stage.objects.filter(merger_id=merger_id).order_by("order")


def path_stages_of(*, merger_id: int) -> list[PathStage]:
    """A program's stages as the stage path and the board take them."""
    return [
        PathStage(id=pk, name=name, order=order, outcome=outcome)
        for pk, name, order, outcome in stages_of(merger_id=merger_id).values_list(
            "pk", "name", "order", "outcome"
        )
    ]


def reps_of(*, merger_id: int) -> QuerySet[Rep]:
    return (
        Rep.objects.filter(merger_id=merger_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )


@dataclass(frozen=True)
class PipelineSummary:
    total: int
    open: int
    won: int
    lost: int
    open_amount: Decimal
    won_amount: Decimal


def pipeline_summary(*, merger: Merger) -> PipelineSummary:
    """Counts and amounts of a program's opportunities in one query."""
    # One row per outcome, COUNT(*) rather than COUNT(id): PostgreSQL may then
    # answer from an index holding the outcome and the amount, not the table.
    rows = (
        Opportunity.objects.filter(merger=merger)
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("*"), amount=Sum("amount"))
    )
    count = {outcome: 0 for outcome in Stage.Outcome.values}
    amount = {outcome: ZERO for outcome in Stage.Outcome.values}
    for outcome, n, total in rows:
        count[outcome] = n
        amount[outcome] = total if total is not None else ZERO
    open_, won, lost = Stage.Outcome.OPEN, Stage.Outcome.WON, Stage.Outcome.LOST
    return PipelineSummary(
        total=sum(count.values()),
        open=count[open_],
        won=count[won],
        lost=count[lost],
        open_amount=amount[open_],
        won_amount=amount[won],
    )
