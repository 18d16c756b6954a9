"""What every quota write shares: its fields, the lock on its reps, its history rows
and the announcement once it commits.
"""

from collections.abc import Iterable
from typing import Any

from accounts.models import RecordChange
from accounts.services.history import history_entry
from core.access import User
from core.signals import program_data_announce
from tracker.models import Quota, Rep

# The fields a quota write may change, in the order history shows them. The
# amounts are in the reporting currency; the originals as entered, in `currency`.
TRACKED = (
    "period_kind",
    "currency",
    "core_amount_original",
    "cross_sell_amount_original",
    "core_amount",
    "cross_sell_amount",
)


def lock_reps(rep_ids: Iterable[int]) -> None:
    """Writers of one rep's quotas take turns until their transaction ends.

    The overlap rule (a quarter and its months) reads the rep's other quotas
    before writing; two writers reading at once would both pass it. In order
    of id, so that two writers of several reps cannot wait on each other.
    SQLite ignores the lock and writes one transaction at a time anyway.
    """
    list(Rep.objects.select_for_update().filter(pk__in=list(rep_ids)).order_by("pk").values("pk"))


# Kept in history only for a quota in (or from) another currency than the reporting
# one: otherwise they repeat the reporting amounts.
ENTERED = frozenset({"currency", "core_amount_original", "cross_sell_amount_original"})


def history_changes(
    *,
    quota: Quota,
    rep_name: str,
    merger_id: int,
    before: Quota | None,
    after: dict[str, Any],
    actor: User,
    at: Any,
    reporting: str,
) -> list[RecordChange]:
    """The quota's change as its history keeps it: none if no kept field moved."""
    changes = {}
    foreign = {after["currency"], getattr(before, "currency", "") or reporting} != {reporting}
    for field in TRACKED:
        if field in ENTERED and not foreign:
            continue
        old = "" if before is None else str(getattr(before, field))
        new = str(after[field])
        if old != new:
            changes[field] = [old, new]
    if not changes:
        return []
    entry = history_entry(
        model=Quota,
        object_id=quota.pk,
        object_repr=f"{rep_name} {quota.period_start:%Y-%m}",
        merger_id=merger_id,
        action=RecordChange.Action.CREATED if before is None else RecordChange.Action.CHANGED,
        changes=changes,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at,
    )
    return [entry]


def announce(merger_id: int) -> None:
    """Scores and dashboards read quotas: tell them once the write commits."""
    program_data_announce(Quota, merger_id)
