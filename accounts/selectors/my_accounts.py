"""Which accounts are a user's own: those they hold the relationship on or own a deal on."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q

from accounts.models import SourceAccount
from accounts.pipeline import accounts_with_deals_of


def my_accounts_condition(*, merger_id: int, user: AbstractBaseUser) -> Q:
    """A filter on UnifiedAccount: some CRM record names the user as relationship owner
    (the CRMs export owners by name), or the user owns a deal on the account.

    Adds no query of its own: both sides are subqueries of the caller's query.
    """
    condition = Q(pk__in=[])
    full_name = getattr(user, "get_full_name", lambda: "")().strip()
    if full_name:
        records = SourceAccount.objects.filter(
            unified=OuterRef("pk"), relationship_owner__iexact=full_name
        )
        condition |= Q(Exists(records))
    deals = accounts_with_deals_of(merger_id=merger_id, user_id=user.pk)
    if deals is not None:
        condition |= Q(pk__in=deals)
    return condition
