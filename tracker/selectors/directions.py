"""The direction of a deal, derived from the Day-1 install base, never chosen by hand.

Direction decides whether a won deal is realized synergy (tracker.figures), so it
is a fact about the buyer and the seller: the product's company and whether it
had the account as a customer on Day 1 (accounts.selectors.day_one).
"""

from django.db.models import Case, Q, Value, When

from accounts.models import Direction, LegacyCompany, Merger, Product, UnifiedAccount
from accounts.selectors.day_one import day_one_customer_of

ACQUIRER, ACQUIRED = LegacyCompany.Role.ACQUIRER, LegacyCompany.Role.ACQUIRED


def direction_expression(*, merger: Merger) -> Case:
    """Each opportunity's direction as its account's Day-1 install base says."""
    customer_of_acquirer = day_one_customer_of(
        role=ACQUIRER, day_one=merger.day_one, account_ref="account_id"
    )
    customer_of_acquired = day_one_customer_of(
        role=ACQUIRED, day_one=merger.day_one, account_ref="account_id"
    )
    acquirers_product = Q(product__company__role=ACQUIRER)
    return Case(
        When(acquirers_product & customer_of_acquirer, then=Value(Direction.WITHIN)),
        When(acquirers_product, then=Value(Direction.A_TO_B)),
        When(customer_of_acquired, then=Value(Direction.WITHIN)),
        default=Value(Direction.B_TO_A),
    )


def direction_for(*, account: UnifiedAccount, product: Product) -> str:
    """The direction a deal selling `product` to `account` has."""
    role = product.company.role
    merger = account.merger
    was_customer = (
        UnifiedAccount.objects.filter(pk=account.pk)
        .filter(day_one_customer_of(role=role, day_one=merger.day_one))
        .exists()
    )
    if was_customer:
        return Direction.WITHIN
    return Direction.A_TO_B if role == ACQUIRER else Direction.B_TO_A
