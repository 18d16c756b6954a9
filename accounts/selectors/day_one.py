"""Who was whose customer on Day 1: the line between synergy and business as usual.

A sale is a cross-company deal when the product's company did not have the buyer
as a customer on Day 1 (../shared/domain.md, "Figures"). A unified account was
a Day-1 customer of a legacy company when that company's CRM record of it
(imported, not created by the program) is flagged a customer, or holds a CRM
install-base product owned since Day 1 or earlier, or undated. The flag counts
whatever its date: a CRM export cannot say since when, and counting a doubtful
customer as business as usual never overstates synergy. Deals won in the program
never make a Day-1 customer: their holdings carry the win's date.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from accounts.models import Holding, SourceAccount


def day_one_customer_of(*, role: str, day_one: date, account_ref: str = "pk") -> Exists:
    """True for the account (an OuterRef by `account_ref`) that `role`'s company had as a
    customer on Day 1."""
    owned_by_day_one = Exists(
        Holding.objects.filter(
            Q(since__isnull=True) | Q(since__lte=day_one),
            account=OuterRef("pk"),
            origin=Holding.Origin.CRM,
        )
    )
    return Exists(
        SourceAccount.objects.filter(
            Q(is_customer=True) | owned_by_day_one,
            unified=OuterRef(account_ref),
            company__role=role,
            origin=SourceAccount.Origin.CRM,
        )
    )
