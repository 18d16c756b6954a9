"""Keeps `UnifiedAccount.status` and the customer-since dates in step with the
source records behind each account.

The overlap pages count accounts per status, and per month they became a
customer of each side, with one GROUP BY; this module is what makes those
cached columns true after imports, matching and merges.
"""

from collections.abc import Collection
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Exists, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import (
    Holding,
    LegacyCompany,
    Merger,
    RecordChange,
    SourceAccount,
    UnifiedAccount,
)
from accounts.services.bulk_rows import rows_update

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

    One grouped read of the source records joined once to the distinct holders
    (the rules as a CASE), then only accounts whose status differs are written:
    a re-run with nothing new writes nothing and returns 0, and an unknown
    merger id changes nothing. The same rules as EXISTS subqueries per account
    (account_status_expression) are correlated over the install base: without
    fresh table statistics PostgreSQL scanned all holdings per account, and an
    import of 100k holdings took minutes instead of seconds.
    """
    scope = None if account_ids is None else sorted(set(account_ids))
    if scope == []:
        return 0
    sql, params = _statuses_sql(merger_id, scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.fetchall()
    now = timezone.now()
    return rows_update(
        model=UnifiedAccount,
        names=["status", "updated_at"],
        rows=[(pk, {"status": status, "updated_at": now}) for pk, status in changed],
    )


def _statuses_sql(merger_id: int, scope: list[int] | None) -> tuple[str, list]:
    """(account id, new status) of each account in scope whose stored status differs."""
    account, source, company, holding = (
        UnifiedAccount._meta.db_table,
        SourceAccount._meta.db_table,
        LegacyCompany._meta.db_table,
        Holding._meta.db_table,
    )
    in_scope, scope_params = "", []
    if scope is not None:
        in_scope = f" AND u.id IN ({', '.join(['%s'] * len(scope))})"
        scope_params = list(scope)
    customer = "(s.is_customer OR hd.account_id IS NOT NULL)"
    sql = f"""
        WITH records AS (
            SELECT s.id AS id, s.unified_id AS unified_id, s.is_customer AS is_customer,
                   c.role AS role
            FROM {source} s
            JOIN {account} u ON u.id = s.unified_id
            JOIN {company} c ON c.id = s.company_id
            WHERE u.merger_id = %s{in_scope}
        ),
        holders AS (
            SELECT DISTINCT h.account_id AS account_id
            FROM {holding} h JOIN records r ON r.id = h.account_id
        ),
        flags AS (
            SELECT s.unified_id AS unified_id,
                   MAX(CASE WHEN s.role = %s AND {customer} THEN 1 ELSE 0 END) AS a,
                   MAX(CASE WHEN s.role = %s AND {customer} THEN 1 ELSE 0 END) AS b
            FROM records s LEFT JOIN holders hd ON hd.account_id = s.id
            GROUP BY s.unified_id
        ),
        computed AS (
            SELECT u.id AS id, u.status AS status,
                   CASE WHEN f.a = 1 AND f.b = 1 THEN %s
                        WHEN f.a = 1 THEN %s
                        WHEN f.b = 1 THEN %s
                        WHEN f.unified_id IS NOT NULL THEN %s
                        ELSE %s END AS new_status
            FROM {account} u LEFT JOIN flags f ON f.unified_id = u.id
            WHERE u.merger_id = %s{in_scope}
        )
        SELECT id, new_status FROM computed WHERE status <> new_status ORDER BY id
    """
    params = [
        merger_id,
        *scope_params,
        LegacyCompany.Role.ACQUIRER.value,
        LegacyCompany.Role.ACQUIRED.value,
        Status.BOTH.value,
        Status.ACQUIRER_ONLY.value,
        Status.ACQUIRED_ONLY.value,
        Status.PROSPECT.value,
        Status.NEITHER.value,
        merger_id,
        *scope_params,
    ]
    return sql, params


# (customer of the acquirer since, of the acquired company since, status measured from)
type Since = tuple[date | None, date | None, date | None]
NEVER: Since = (None, None, None)


def account_customer_since_refresh(
    *, merger_id: int, account_ids: Collection[int] | None = None
) -> int:
    """Recompute when each account (or each of `account_ids`) became a customer of each
    side, and from when its status is measured; return how many changed.

    The same facts as the status (account_statuses_refresh), dated. A purchase
    dates itself: the earliest holding of the acquirer's products and of the
    acquired company's, wherever the holding was recorded; an undated holding
    counts from Day 1. A deal the program won is a holding dated by its close
    date, so a win moves these dates (and never makes a Day-1 customer). A CRM
    customer flag says the account is a customer, not since when: without an
    earlier holding, the side counts from the day the flag was first imported
    (the record's first import, or the import that turned it on) and the
    account's status before that day is not measured. Only accounts whose dates
    differ are written. The whole program's refresh reads the whole install
    base, so it runs with the background analysis refresh, not in a reviewer's
    request.
    """
    merger = Merger.objects.filter(pk=merger_id).first()
    if merger is None:
        return 0
    ids = None if account_ids is None else list(account_ids)
    computed = _customer_since(merger, ids)
    stored = UnifiedAccount.objects.filter(merger=merger)
    if ids is not None:
        stored = stored.filter(pk__in=ids)
    names = ["acquirer_customer_since", "acquired_customer_since", "status_measured_from"]
    stored = stored.values_list("pk", *names)
    now = timezone.now()
    changed = [
        (pk, {**dict(zip(names, since, strict=True)), "updated_at": now})
        for pk, *before in stored.iterator(chunk_size=5000)
        if tuple(before) != (since := computed.get(pk, NEVER))
    ]
    # Not bulk_update: its CASE with a branch per row costs the square of the batch
    # (about 1.4 s per 1,000 accounts on PostgreSQL).
    rows_update(model=UnifiedAccount, names=[*names, "updated_at"], rows=changed)
    return len(changed)


def _customer_since(merger: Merger, account_ids: list[int] | None) -> dict[int, Since]:
    bought = _first_purchases(merger, account_ids)
    flagged = _flags_first_seen(merger, account_ids)
    since: dict[int, Since] = {}
    for pk in bought.keys() | flagged.keys():
        purchases, flags = bought.get(pk, (None, None)), flagged.get(pk, (None, None))
        sides = [_side(purchase, flag) for purchase, flag in zip(purchases, flags, strict=True)]
        unmeasured = [day for day, by_flag in sides if by_flag]
        since[pk] = (sides[0][0], sides[1][0], max(unmeasured, default=None))
    return since


def _side(purchase: date | None, flag: date | None) -> tuple[date | None, bool]:
    """(customer since, whether that day is a flag's first import rather than a purchase)."""
    if flag is not None and (purchase is None or flag < purchase):
        return flag, True
    return purchase, False


def _first_purchases(
    merger: Merger, account_ids: list[int] | None
) -> dict[int, tuple[date | None, date | None]]:
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
    # A holding dated after today (an install scheduled ahead) already makes a customer
    # on the overlap page: dated today at the latest, the chart's month agrees with it.
    today = timezone.localdate()
    return {
        pk: (_not_after(_day(first_a), today), _not_after(_day(first_b), today))
        for pk, first_a, first_b in rows.iterator()
    }


def _not_after(day: date | None, last: date) -> date | None:
    return None if day is None else min(day, last)


def _flags_first_seen(
    merger: Merger, account_ids: list[int] | None
) -> dict[int, tuple[date | None, date | None]]:
    """{account: (first import of the acquirer's customer flag, of the acquired company's)}.

    A record's flag is seen from the import that last turned it on (its history), or
    from the record's first import when it came flagged; of several records of a side,
    the earliest counts.
    """
    turned_on = (
        RecordChange.objects.filter(
            content_type=ContentType.objects.get_for_model(SourceAccount),
            object_id=OuterRef("pk"),
            # Imports write a flag as "True", record edits as "true".
            changes__is_customer__1__in=["True", "true"],
        )
        .order_by("-at")
        .values("at")[:1]
    )
    records = SourceAccount.objects.filter(unified__merger=merger, is_customer=True)
    if account_ids is not None:
        records = records.filter(unified_id__in=account_ids)
    rows = (
        records.annotate(seen=Coalesce(Subquery(turned_on), "created_at"))
        .values_list("unified_id", "company__role", "seen")
        .order_by()
    )
    first: dict[int, tuple[date | None, date | None]] = {}
    for pk, role, seen in rows.iterator():
        day = timezone.localdate(seen)
        a, b = first.get(pk, (None, None))
        if role == LegacyCompany.Role.ACQUIRER:
            a = day if a is None else min(a, day)
        else:
            b = day if b is None else min(b, day)
        first[pk] = (a, b)
    return first


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value
