"""What a new opportunity starts with, so that logging one takes three clicks.

A whitespace cell or the account page links to the form with the account,
product, kind, direction and a suggested amount in the query string; what is
missing or not valid comes from the whitespace cell, the product and the
account, never from guesses about the customer's need, which the rep types.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet

from accounts.models import Direction, Kind, Merger, Product, UnifiedAccount, WhitespaceCell
from accounts.selectors.whitespace import whitespace_cell_prefill
from tracker.models import Rep, Stage
from tracker.opportunity_rules import DEFAULT_CYCLE_DAYS, suggested_amount
from tracker.selectors.directions import direction_for
from tracker.selectors.opportunities import account_current_spend

ACCOUNT_CHOICES_SHOWN = 20


@dataclass(frozen=True)
class Prefill:
    initial: dict[str, Any]
    product: Product | None
    # The product map's reason why the account is a candidate for the product.
    candidate_reason: str = ""
    # The direction the deal will have, shown beside the fields.
    direction_label: str = ""


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() else None


def _amount(value: str | None) -> Decimal | None:
    try:
        amount = Decimal(value or "")
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() and amount >= 0 else None


def default_close(*, product: Product | None, today: dt.date) -> dt.date:
    days = product.typical_cycle_days if product is not None else 0
    return today + dt.timedelta(days=days or DEFAULT_CYCLE_DAYS)


def opportunity_prefill(
    *,
    merger: Merger,
    account: UnifiedAccount,
    params: Mapping[str, str],
    owner: Rep | None,
    today: dt.date,
) -> Prefill:
    """Initial form values from the query string, completed from the whitespace cell."""
    product_id = _int(params.get("product"))
    product = None
    if product_id is not None:
        product = (
            Product.objects.select_related("company")
            .filter(pk=product_id, company__merger=merger, is_active=True)
            .first()
        )
    cell: dict[str, Any] = {}
    if product is not None:
        try:
            cell = whitespace_cell_prefill(
                merger=merger, account_id=account.pk, product_id=product.pk
            )
        except WhitespaceCell.DoesNotExist:
            cell = {}
    kind = params.get("kind") if params.get("kind") in Kind.values else None
    kind = kind or cell.get("kind") or Kind.CROSS_SELL
    # Shown, not asked: the service derives it from the Day-1 install base.
    direction = direction_for(account=account, product=product) if product else None
    amount = _amount(params.get("amount"))
    if amount is None and product is not None:
        amount = cell.get("amount")
        if amount is None:
            spend = None
            if kind == Kind.UPSELL:
                spend = account_current_spend(account_id=account.pk, product=product)
            amount = suggested_amount(
                kind=kind, typical_deal_size=product.typical_deal_size, current_spend=spend
            )
    first_stage = (
        Stage.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN)
        .order_by("order")
        .values_list("pk", flat=True)
        .first()
    )
    initial = {
        "account": account.pk,
        "product": product.pk if product else None,
        "kind": kind,
        "amount": amount if amount is not None else Decimal("0.00"),
        "expected_close": default_close(product=product, today=today),
        "stage": first_stage,
        "owner": owner.pk if owner else None,
    }
    return Prefill(
        initial=initial,
        product=product,
        candidate_reason=cell.get("reason", ""),
        direction_label=str(Direction(direction).label) if direction else "",
    )


def is_whitespace_candidate(*, merger: Merger, account_id: int, product_id: int) -> bool:
    return WhitespaceCell.objects.filter(
        merger=merger, account_id=account_id, product_id=product_id
    ).exists()


def accounts_to_choose(*, merger: Merger, search: str) -> QuerySet[UnifiedAccount]:
    """Accounts whose name contains `search` by name, for a form opened without an
    account; the page shows them a page at a time (ACCOUNT_CHOICES_SHOWN)."""
    accounts = UnifiedAccount.objects.filter(merger=merger).select_related("segment")
    if search:
        accounts = accounts.filter(name__icontains=search)
    return accounts.order_by("name", "pk")
