"""Store each unified account's connection strength and risk recommendation.

Pages filter and sort on these, so they are cached on `UnifiedAccount` after
every import or matching change instead of computed per request.
"""

import datetime as dt
from collections.abc import Collection

from django.utils import timezone

from accounts.connection import connection_score
from accounts.models import RiskPolicy, UnifiedAccount
from accounts.risk import profiles_mask, risk_assessment
from accounts.selectors.risk import (
    accounts_with_signals,
    products_held_by_account,
    risk_policy_for,
    risk_thresholds,
    signals_of,
)
from accounts.services.bulk_rows import rows_update

CHUNK_SIZE = 10_000
# What the screen stores on each account, in the order a change carries them.
SCREENED = ("connection_strength", "recommendation", "recommendation_reason", "risk_profiles")
type Change = tuple[int, int | None, str, str, int]


def _write(changes: list[Change], now: dt.datetime) -> int:
    """One COPY into a staging table and one UPDATE ... FROM it per chunk.

    bulk_update would write a CASE with one branch per row for each field,
    which costs the square of the chunk in the database; an UPDATE from a
    VALUES list of parameters took about a second per 2,000 accounts.
    """
    return rows_update(
        model=UnifiedAccount,
        names=[*SCREENED, "updated_at"],
        rows=[
            (pk, {**dict(zip(SCREENED, values, strict=True)), "updated_at": now})
            for pk, *values in changes
        ],
    )


def account_signals_refresh(*, merger_id: int, account_ids: Collection[int] | None = None) -> int:
    """Recompute connection strength, risk profiles and recommendation of every account
    (or of `account_ids`); return how many changed.

    One aggregate query streamed in chunks; only accounts whose values change
    are written, a chunk per statement, so a re-run with nothing new writes
    nothing. Accounts without any CRM record have no strength (unknown, not weak).
    """
    today = timezone.localdate()
    now = timezone.now()
    policy = risk_policy_for(merger_id=merger_id)
    thresholds = risk_thresholds(policy)
    held = products_held_by_account(merger_id=merger_id, account_ids=account_ids)
    accounts = accounts_with_signals(merger_id=merger_id, products=False).only("pk", *SCREENED)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=list(account_ids))
    changes: list[Change] = []
    written = 0
    for account in accounts.iterator(chunk_size=CHUNK_SIZE):
        account.sig_products = held.get(account.pk, 0)
        connection_signals, risk = signals_of(account)
        strength = (
            connection_score(connection_signals, today=today) if account.sig_sources else None
        )
        assessment = risk_assessment(risk, thresholds)
        profiles = profiles_mask(flag.profile for flag in assessment.flags)
        new = (strength, assessment.recommendation.value, assessment.stored_reason, profiles)
        if new != tuple(getattr(account, name) for name in SCREENED):
            changes.append((account.pk, *new))
        if len(changes) >= CHUNK_SIZE:
            written += _write(changes, now)
            changes = []
    written += _write(changes, now)
    if account_ids is None and policy.pk is not None and policy.screened_with != policy.updated_at:
        # Every account's stored profiles are now those of these thresholds: the risk
        # screen counts them until the thresholds change again.
        RiskPolicy.objects.filter(pk=policy.pk).update(screened_with=policy.updated_at)
    return written
