"""Deleting an opportunity; its history stays."""

from django.db import transaction

from accounts.services.history import Action as Did
from accounts.services.history import history_record, history_snapshot
from core.access import Action, User
from tracker.models import Opportunity
from tracker.services.credits import credit_summary
from tracker.services.opportunities.shared import announce, check_version, require, stale
from tracker.services.won_sales import deals_changed


def opportunity_delete(
    *, actor: User, opportunity: Opportunity, expected_version: int | None = None
) -> None:
    """Deletes an opportunity; with a version, only if still at it.

    Its history stays (the change log keeps its id) and gains a last row: who
    deleted it, with its last values and credit.
    """
    require(actor, Action.DELETE, opportunity)
    rows = Opportunity.objects.filter(pk=opportunity.pk)
    if expected_version is not None:
        check_version(opportunity, expected_version)
        rows = rows.filter(version=expected_version)
    with transaction.atomic():
        pairs = set(rows.values_list("account_id", "product_id"))
        last = history_snapshot(opportunity)
        last["credit"] = credit_summary(list(opportunity.credits.select_related("rep__user")))
        history_record(actor=actor, instance=opportunity, action=Did.DELETED, before=last)
        deleted, _counts = rows.delete()
        if not deleted:
            raise stale(opportunity, expected_version or opportunity.version)
        # A won deal's sale leaves the install base with it.
        deals_changed(merger_id=opportunity.merger_id, pairs=pairs)
        announce(opportunity.merger_id)
