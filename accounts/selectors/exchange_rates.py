"""Reads of a program's exchange rates."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.models import ExchangeRate, Holding, Merger, Product, SourceAccount
from accounts.money import Rates


def rates_of(
    *,
    merger_id: int,
    pairs: Iterable[tuple[str, dt.date]] | None = None,
    month: dt.date | None = None,
) -> Rates:
    """(currency, month) -> rate, for the pairs (or the month) asked; else every rate."""
    rows = ExchangeRate.objects.filter(merger_id=merger_id)
    if month is not None:
        rows = rows.filter(month=month)
    if pairs is not None:
        wanted = Q(pk__in=[])
        for currency, month in set(pairs):
            wanted |= Q(currency=currency, month=month)
        rows = rows.filter(wanted)
    return {
        (currency, month): rate
        for currency, month, rate in rows.values_list("currency", "month", "rate")
    }


def exchange_rates_list(*, merger: Merger) -> list[ExchangeRate]:
    return list(
        ExchangeRate.objects.filter(merger=merger)
        .select_related("updated_by")
        .order_by("-month", "currency")
    )


@dataclass(frozen=True)
class Waiting:
    """Records of one kind waiting for the rate of one currency in one month."""

    kind: str
    currency: str
    month: dt.date
    count: int
    original_total: Decimal | None


def awaiting_rates(*, merger: Merger) -> list[Waiting]:
    """Imported records whose amounts count in no figure until a rate exists, grouped."""
    groups = [
        ("accounts", SourceAccount.objects.filter(company__merger=merger), "revenue_current"),
        ("products", Product.objects.filter(company__merger=merger), "typical_deal_size"),
        (
            "install_base",
            Holding.objects.filter(account__company__merger=merger),
            "annual_revenue",
        ),
    ]
    found: list[Waiting] = []
    for kind, rows, amount in groups:
        summary = (
            rows.filter(awaiting_rate__isnull=False)
            .values("currency", "awaiting_rate")
            .annotate(count=Count("pk"), total=Sum(f"{amount}_original"))
            .order_by("awaiting_rate", "currency")
        )
        found += [
            Waiting(kind, row["currency"], row["awaiting_rate"], row["count"], row["total"])
            for row in summary
        ]
    return found
