"""Keeps every deal's direction equal to what the Day-1 install base says.

An import, a matching run or a merge can show that an account was a company's
customer on Day 1 after deals on it were logged; their direction, and with it
whether they count as synergy, follows. Each change is recorded in the deal's
history like any other, so a closed month's restatement shows what moved and why.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Merger, RecordChange
from accounts.services.history import history_entries_write, history_entry
from tracker.models import Opportunity
from tracker.selectors.directions import direction_expression


def opportunity_directions_refresh(*, merger_id: int) -> int:
    """Re-derives every deal's direction; returns how many changed. Idempotent."""
    merger = Merger.objects.filter(pk=merger_id).first()
    if merger is None:
        return 0
    with transaction.atomic():
        wrong = list(
            Opportunity.objects.filter(merger=merger)
            .annotate(derived=direction_expression(merger=merger))
            .exclude(direction=F("derived"))
            .select_for_update(of=("self",))
            .values_list("pk", "direction", "derived", "version", "product__name", "account__name")
        )
        now = timezone.now()
        for pk, _old, derived, version, *_names in wrong:
            # Raising the version makes a form opened before this refresh reload first.
            Opportunity.objects.filter(pk=pk).update(
                direction=derived, version=version + 1, updated_at=now
            )
        history_entries_write(
            history_entry(
                model=Opportunity,
                object_id=pk,
                object_repr=f"{product} for {account}",
                merger_id=merger.pk,
                action=RecordChange.Action.CHANGED,
                changes={"direction": [old, derived]},
                at=now,
            )
            for pk, old, derived, _version, product, account in wrong
        )
    return len(wrong)
