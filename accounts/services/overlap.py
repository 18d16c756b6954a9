"""Keeps `UnifiedAccount.status` and the customer-since dates in step with the
source records behind each account.

The overlap pages count accounts per status, and per month they became a
customer of each side, with one GROUP BY; this module is what makes those
cached columns true after imports, matching and merges.
"""

from collections.abc import Collection
from datetime import date, datetime

from django.db.models import Case, Exists, F, Min, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Holding, LegacyCompany, Merger, SourceAccount, UnifiedAccount

Status = UnifiedAccount.Status


def _customer_of(role: str) -> Exists:
    # Install base is proof of a purchase even where the CRM's customer flag lags.
    owns_a_product = Exists(Holding.objects.filter(account=OuterRef("pk")))
    return Exists(
        SourceAccount.objects.filter(unified=OuterRef("pk"), company__role=role).filter(
            Q(is_customer=True) | owns_a_product
        )
    )


def account_status_expression() -> Case:
    """Each account's status as its source records and install base say; a read."""
    acquirer = _customer_of(LegacyCompany.Role.ACQUIRER)
    acquired = _customer_of(LegacyCompany.Role.ACQUIRED)
    any_source = Exists(SourceAccount.objects.filter(unified=OuterRef("pk")))
    return Case(
        When(acquirer & acquired, then=Value(Status.BOTH)),
        When(acquirer, then=Value(Status.ACQUIRER_ONLY)),
        When(acquired, then=Value(Status.ACQUIRED_ONLY)),
        When(any_source, then=Value(Status.PROSPECT)),
        default=Value(Status.NEITHER),
    )


def account_statuses_refresh(*, merger_id: int, account_ids: Collection[int] | None = None) -> int:
    """Recompute every unified account's status in a merger (or only those of
    `account_ids`); return how many changed.

    Rules, for one unified account and its source (CRM) records:
    - a source record is a *customer record* when its CRM flags it as a customer
      or when it owns at least one product in the install base;
    - "both": a customer record of the acquirer and one of the acquired company;
    - "acquirer_only" / "acquired_only": customer records of that company only;
    - "prospect": source records exist, but none is a customer record (a lead
      one of the companies already knows);
    - "neither": no source record at all (greenfield, e.g. a target list entry).

    One UPDATE with the rules as a CASE, touching only rows whose status
    differs: a re-run with nothing new writes nothing and returns 0, and an
    unknown merger id changes nothing. (One UPDATE per status value reads the
    source records five times over; on 100k accounts it took three times as long.)
    """
    computed = account_status_expression()
    accounts = UnifiedAccount.objects.filter(merger_id=merger_id)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=list(account_ids))
    return (
        accounts.alias(computed_status=computed)
        .exclude(status=F("computed_status"))
        .update(status=computed, updated_at=timezone.now())
    )


type Since = tuple[date | None, date | None]


def account_customer_since_refresh(
    *, merger_id: int, account_ids: Collection[int] | None = None
) -> int:
    """Recompute when each account (or each of `account_ids`) first bought from each side;
    return how many changed.

    The earliest holding of the acquirer's products and of the acquired
    company's, wherever the holding was recorded; an undated holding counts
    from Day 1. A deal the program won is a holding dated by its close date,
    so a win moves these dates (and never makes a Day-1 customer). Only
    accounts whose dates differ are written. The whole program's refresh reads
    the whole install base, so it runs with the background analysis refresh,
    not in a reviewer's request.
    """
    merger = Merger.objects.filter(pk=merger_id).first()
    if merger is None:
        return 0
    ids = None if account_ids is None else list(account_ids)
    computed = _customer_since(merger, ids)
    stored = UnifiedAccount.objects.filter(merger=merger)
    if ids is not None:
        stored = stored.filter(pk__in=ids)
    stored = stored.values_list("pk", "acquirer_customer_since", "acquired_customer_since")
    now = timezone.now()
    changed = [
        UnifiedAccount(
            pk=pk,
            acquirer_customer_since=since[0],
            acquired_customer_since=since[1],
            updated_at=now,
        )
        for pk, *before in stored.iterator(chunk_size=5000)
        if tuple(before) != (since := computed.get(pk, (None, None)))
    ]
    UnifiedAccount.objects.bulk_update(
        changed,
        ["acquirer_customer_since", "acquired_customer_since", "updated_at"],
        batch_size=1000,
    )
    return len(changed)


def _customer_since(merger: Merger, account_ids: list[int] | None) -> dict[int, Since]:
    since = Coalesce("since", Value(merger.day_one))
    acquirer = Q(product__company__role=LegacyCompany.Role.ACQUIRER)
    holdings = Holding.objects.filter(account__unified__merger=merger)
    if account_ids is not None:
        holdings = holdings.filter(account__unified_id__in=account_ids)
    rows = (
        holdings.values("account__unified_id")
        .annotate(first_a=Min(since, filter=acquirer), first_b=Min(since, filter=~acquirer))
        .values_list("account__unified_id", "first_a", "first_b")
        .order_by()
    )
    return {pk: (_day(first_a), _day(first_b)) for pk, first_a, first_b in rows.iterator()}


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value
