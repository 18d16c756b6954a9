"""The pipeline as the whitespace sees it: which pairs are being worked, which were won.

Registered with accounts.pipeline at start-up (tracker.apps), so that the
whitespace refresh leaves out pairs with an open deal and the whitespace grid
links a cell to its deal, without accounts importing the tracker.
"""

from collections.abc import Collection
from functools import partial

from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.pipeline import Deal, Pair, PipelineReader, register_pipeline_reader
from core.access import Action, allowed
from tracker.models import Opportunity, Stage


def open_pairs(merger_id: int, account_ids: Collection[int] | None = None) -> set[Pair]:
    """(account, product) pairs with an open deal, of the given accounts or the whole program."""
    deals = Opportunity.objects.filter(merger_id=merger_id, outcome=Stage.Outcome.OPEN)
    if account_ids is not None:
        deals = deals.filter(account_id__in=list(account_ids))
    return set(deals.values_list("account_id", "product_id").order_by().distinct())


def deals_on(account_ids: Collection[int]) -> list[Deal]:
    """These accounts' open deals and the won deals whose sale is held, in one query."""
    rows = (
        Opportunity.objects.filter(account_id__in=list(account_ids))
        .filter(Q(outcome=Stage.Outcome.OPEN) | Q(holding__isnull=False))
        .values_list("account_id", "product_id", "pk", "outcome", "stage__name", "amount")
        .order_by("pk")
    )
    return [
        Deal(
            account_id=account_id,
            product_id=product_id,
            opportunity_id=pk,
            is_open=outcome == Stage.Outcome.OPEN,
            stage=stage,
            amount=amount,
            url=reverse("tracker:opportunity_detail", args=[pk]),
        )
        for account_id, product_id, pk, outcome, stage, amount in rows
    ]


def accounts_with_deals_of(merger_id: int, user_id: int) -> QuerySet[Opportunity]:
    """Ids of the accounts the user owns a deal on (any outcome), lazy for use as a subquery."""
    return (
        Opportunity.objects.filter(merger_id=merger_id, owner__user_id=user_id)
        .values("account_id")
        .order_by()
    )


def register() -> None:
    register_pipeline_reader(
        PipelineReader(
            open_pairs=open_pairs,
            deals_on=deals_on,
            accounts_with_deals_of=accounts_with_deals_of,
            new_deal_path=partial(reverse, "tracker:opportunity_create"),
            may_log=lambda user: allowed(user, Action.CREATE, "opportunity"),
        )
    )
