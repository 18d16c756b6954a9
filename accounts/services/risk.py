"""Store each unified account's connection strength and risk recommendation.

Pages filter and sort on these, so they are cached on `UnifiedAccount` after
every import or matching change instead of computed per request.
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from accounts.connection import connection_score
from accounts.models import UnifiedAccount
from accounts.risk import risk_assessment
from accounts.selectors.risk import (
    accounts_with_signals,
    products_held_by_account,
    risk_policy_for,
    risk_thresholds,
    signals_of,
)

CHUNK_SIZE = 2000
type Change = tuple[int, int | None, str, str]


def _write(changes: list[Change], now: dt.datetime) -> int:
    """One UPDATE ... FROM (VALUES ...) per chunk.

    bulk_update would write a CASE with one branch per row for each field,
    which costs the square of the chunk in the database and far more in
    building the expressions; 100k accounts took minutes that way.
    """
    if not changes:
        return 0
    table = UnifiedAccount._meta.db_table
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(changes))
    sql = (
        f"UPDATE {table} SET connection_strength = CAST(v.column2 AS INTEGER), "
        "recommendation = v.column3, recommendation_reason = v.column4, updated_at = %s "
        f"FROM (VALUES {rows}) AS v WHERE {table}.id = v.column1"
    )
    params: list = [now]
    for change in changes:
        params.extend(change)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return len(changes)


def account_signals_refresh(*, merger_id: int) -> int:
    """Recompute connection strength and recommendation of every account; return changes.

    One aggregate query streamed in chunks; only accounts whose values change
    are written, a chunk per statement, so a re-run with nothing new writes
    nothing. Accounts without any CRM record have no strength (unknown, not weak).
    """
    today = timezone.localdate()
    now = timezone.now()
    thresholds = risk_thresholds(risk_policy_for(merger_id=merger_id))
    held = products_held_by_account(merger_id=merger_id)
    accounts = accounts_with_signals(merger_id=merger_id, products=False).only(
        "pk", "connection_strength", "recommendation", "recommendation_reason"
    )
    changes: list[Change] = []
    written = 0
    for account in accounts.iterator(chunk_size=CHUNK_SIZE):
        account.sig_products = held.get(account.pk, 0)
        connection_signals, risk = signals_of(account)
        strength = (
            connection_score(connection_signals, today=today) if account.sig_sources else None
        )
        assessment = risk_assessment(risk, thresholds)
        new = (strength, assessment.recommendation.value, assessment.reason)
        old = (account.connection_strength, account.recommendation, account.recommendation_reason)
        if new != old:
            changes.append((account.pk, *new))
        if len(changes) >= CHUNK_SIZE:
            written += _write(changes, now)
            changes = []
    return written + _write(changes, now)
