"""Connection and risk signals per unified account, and the screen shown for one account.

Signals live on the CRM records; a unified account's signals are their sums
(revenue, tickets, credits), their revenue-weighted average (discount), the
earliest relationship start, and "any record knows" for the decision maker
and the relationship owner.
"""

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.connection import ConnectionSignals, connection_strength
from accounts.models import ZERO, Holding, RiskPolicy, UnifiedAccount
from accounts.risk import (
    RiskAssessment,
    RiskSignals,
    RiskThresholds,
    ScreenCounts,
    risk_assessment,
    screen_counts_each,
    screen_counts_of_masks,
)

_MONEY = DecimalField(max_digits=20, decimal_places=2)
_WEIGHTED = DecimalField(max_digits=24, decimal_places=4)


def _money_sum(field: str) -> Coalesce:
    return Coalesce(Sum(f"sources__{field}"), Value(ZERO), output_field=_MONEY)


def _int_sum(field: str) -> Coalesce:
    return Coalesce(Sum(f"sources__{field}"), Value(0), output_field=IntegerField())


def accounts_with_signals(*, merger_id: int, products: bool = True) -> QuerySet[UnifiedAccount]:
    """Unified accounts annotated with their aggregated signals: one GROUP BY query.

    With `products`, each row also counts the distinct products its CRM records
    hold (`sig_products`) in a subquery per account: right for one account or a
    page; over a whole program, leave it off and take `products_held_by_account`.
    """
    accounts = UnifiedAccount.objects.filter(merger_id=merger_id).annotate(
        sig_sources=Count("sources"),
        sig_revenue_current=_money_sum("revenue_current"),
        sig_revenue_prior=_money_sum("revenue_prior"),
        sig_credits=_money_sum("credits_returns_12m"),
        sig_tickets=_int_sum("support_tickets_12m"),
        sig_tickets_prior=_int_sum("support_tickets_prior_12m"),
        sig_discount_weighted=Sum(
            F("sources__average_discount_pct") * F("sources__revenue_current"),
            output_field=_WEIGHTED,
        ),
        sig_discount_avg=Avg("sources__average_discount_pct", output_field=_WEIGHTED),
        sig_since=Min("sources__relationship_since"),
        sig_decision_maker=Max(Case(When(sources__decision_maker_known=True, then=1), default=0)),
        sig_owner=Max(Case(When(sources__relationship_owner__gt="", then=1), default=0)),
    )
    if products:
        held = (
            Holding.objects.filter(account__unified=OuterRef("pk"))
            .order_by()
            .values("account__unified")
            .annotate(n=Count("product", distinct=True))
            .values("n")
        )
        accounts = accounts.annotate(sig_products=Coalesce(Subquery(held), Value(0)))
    return accounts.order_by("pk")


def products_held_by_account(
    *, merger_id: int, account_ids: Collection[int] | None = None
) -> dict[int, int]:
    """Distinct products held per unified account of the program (or of `account_ids`):
    one grouped query.

    What `accounts_with_signals` counts per account, for the whole program at
    once: a subquery per account is correlated over the install base, and
    without fresh statistics PostgreSQL scanned every holding for each account.
    """
    holdings = Holding.objects.filter(
        account__unified__merger_id=merger_id, account__unified__isnull=False
    )
    if account_ids is not None:
        holdings = holdings.filter(account__unified_id__in=list(account_ids))
    rows = (
        holdings.order_by()
        .values("account__unified_id")
        .annotate(n=Count("product", distinct=True))
        .values_list("account__unified_id", "n")
    )
    return dict(rows.iterator(chunk_size=10_000))


def _average_discount(account: Any) -> Decimal:
    revenue = account.sig_revenue_current
    if revenue > 0 and account.sig_discount_weighted is not None:
        return Decimal(account.sig_discount_weighted) / revenue
    return Decimal(account.sig_discount_avg or ZERO)


def signals_of(account: Any) -> tuple[ConnectionSignals, RiskSignals]:
    """Plain signals from an account annotated by `accounts_with_signals`."""
    return _connection_signals(account), _risk_signals(account)


def _connection_signals(account: Any) -> ConnectionSignals:
    return ConnectionSignals(
        revenue_current=account.sig_revenue_current,
        revenue_prior=account.sig_revenue_prior,
        products_held=account.sig_products,
        relationship_since=account.sig_since,
        decision_maker_known=bool(account.sig_decision_maker),
        has_relationship_owner=bool(account.sig_owner),
    )


def _risk_signals(account: Any) -> RiskSignals:
    return RiskSignals(
        revenue_current=account.sig_revenue_current,
        revenue_prior=account.sig_revenue_prior,
        support_tickets=account.sig_tickets,
        support_tickets_prior=account.sig_tickets_prior,
        credits_returns=account.sig_credits,
        average_discount_pct=_average_discount(account),
        products_held=account.sig_products,
    )


CUSTOMER_STATUSES = (
    UnifiedAccount.Status.ACQUIRER_ONLY,
    UnifiedAccount.Status.ACQUIRED_ONLY,
    UnifiedAccount.Status.BOTH,
)
_RISK_FIELDS = (
    "sig_revenue_current",
    "sig_revenue_prior",
    "sig_tickets",
    "sig_tickets_prior",
    "sig_credits",
    "sig_discount_weighted",
    "sig_discount_avg",
)


def risk_screen_counts_each(
    *, merger_id: int, thresholds: Sequence[RiskThresholds]
) -> list[ScreenCounts]:
    """What each set of thresholds (saved and previewed) flags among the program's
    customers, in one pass over one aggregate query.

    Customers only (of either company or both): the screen is about who is
    worth cross-selling to, and prospects have no revenue to judge. The
    thresholds need not be saved ones, so the policy page can preview a change.
    """
    held = products_held_by_account(merger_id=merger_id)
    rows = (
        accounts_with_signals(merger_id=merger_id, products=False)
        .filter(status__in=CUSTOMER_STATUSES)
        .values("pk", *_RISK_FIELDS)
    )
    signals = (
        _risk_signals(SimpleNamespace(**row, sig_products=held.get(row["pk"], 0)))
        for row in rows.iterator(chunk_size=5000)
    )
    return screen_counts_each(signals, thresholds)


def risk_screen_counts_stored(*, merger_id: int, policy: RiskPolicy) -> ScreenCounts | None:
    """What the saved thresholds flag among the program's customers, from the profiles
    the last screening stored: one grouped query over the accounts.

    The same counts as `risk_screen_counts_each` with the saved thresholds, without summing
    every CRM record and holding; None while a customer has not been screened yet or
    the thresholds changed after the last screening (then only a live count is right).
    """
    if policy.pk is not None and policy.screened_with != policy.updated_at:
        return None
    groups = (
        UnifiedAccount.objects.filter(merger_id=merger_id, status__in=CUSTOMER_STATUSES)
        .values("risk_profiles")
        .annotate(accounts=Count("*"))
        .values_list("risk_profiles", "accounts")
        .order_by()
    )
    rows = list(groups)
    if any(mask is None for mask, _count in rows):
        return None
    return screen_counts_of_masks(rows)


def risk_policy_for(*, merger_id: int) -> RiskPolicy:
    """The program's policy, or an unsaved one holding the defaults."""
    return RiskPolicy.objects.filter(merger_id=merger_id).first() or RiskPolicy(
        merger_id=merger_id
    )


def risk_thresholds(policy: RiskPolicy) -> RiskThresholds:
    return RiskThresholds(
        service_demand_growth_pct=Decimal(policy.service_demand_growth_pct),
        service_demand_min_tickets=policy.service_demand_min_tickets,
        revenue_reversal_pct=Decimal(policy.revenue_reversal_pct),
        promotion_discount_pct=Decimal(policy.promotion_discount_pct),
        spending_limit_growth_pct=Decimal(policy.spending_limit_growth_pct),
        spending_limit_min_products=policy.spending_limit_min_products,
    )


@dataclass(frozen=True)
class AccountScreen:
    """What the account page, whitespace and the opportunity form show about one account."""

    has_signals: bool
    strength: int | None
    strong: bool
    reasons: tuple[str, ...]
    risk: RiskAssessment
    note: str

    @property
    def recommendation(self) -> str:
        return self.risk.recommendation.value

    @property
    def recommendation_label(self) -> str:
        return str(UnifiedAccount.Recommendation(self.risk.recommendation.value).label)


def account_screen(*, account: UnifiedAccount, today: dt.date | None = None) -> AccountScreen:
    """Connection reasons and risk flags of one account, recomputed from its signals.

    Two queries: the account's aggregated signals and the program's policy.
    """
    today = today or timezone.localdate()
    policy = risk_policy_for(merger_id=account.merger_id)
    row = accounts_with_signals(merger_id=account.merger_id).get(pk=account.pk)
    connection_signals, risk_signals = signals_of(row)
    assessment = risk_assessment(risk_signals, risk_thresholds(policy))
    has_signals = row.sig_sources > 0
    strength = connection_strength(connection_signals, today=today) if has_signals else None
    return AccountScreen(
        has_signals=has_signals,
        strength=strength.strength if strength else None,
        strong=bool(strength and strength.strength >= policy.strong_connection_min),
        reasons=strength.reasons if strength else (),
        risk=assessment,
        note=account.connection_note,
    )


def strong_connection_count(*, merger_id: int, minimum: int) -> int:
    """Customers whose stored connection strength reaches `minimum`."""
    return UnifiedAccount.objects.filter(
        merger_id=merger_id, status__in=CUSTOMER_STATUSES, connection_strength__gte=minimum
    ).count()
