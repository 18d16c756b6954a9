"""Imported amounts that waited for an exchange rate, converted once the rate exists."""

import datetime as dt

from django.db import transaction

from accounts.models import Holding, Product, SourceAccount
from accounts.money import convert
from accounts.selectors.exchange_rates import rates_of

# Each waiting model and its amounts: the reporting field and the one as entered beside it.
AMOUNTS: dict[type, tuple[str, ...]] = {
    SourceAccount: ("revenue_current", "revenue_prior", "credits_returns_12m"),
    Product: ("list_price", "typical_deal_size"),
    Holding: ("annual_revenue",),
}
MERGER_PATH = {
    SourceAccount: "company__merger_id",
    Product: "company__merger_id",
    Holding: "account__company__merger_id",
}


def awaiting_amounts_convert(*, merger_id: int, pairs: set[tuple[str, dt.date]]) -> int:
    """Converts the records waiting for these (currency, month) rates that now exist.

    Idempotent: a converted record no longer waits, and a pair without a rate
    leaves its records waiting.
    """
    rates = rates_of(merger_id=merger_id, pairs=pairs)
    converted = 0
    with transaction.atomic():
        for (currency, month), rate in rates.items():
            for model, fields in AMOUNTS.items():
                rows = list(
                    model.objects.select_for_update().filter(
                        **{MERGER_PATH[model]: merger_id},
                        currency=currency,
                        awaiting_rate=month,
                    )
                )
                for row in rows:
                    for name in fields:
                        original = getattr(row, f"{name}_original")
                        if original is not None:
                            setattr(row, name, convert(original, rate))
                    row.awaiting_rate = None
                model.objects.bulk_update(rows, [*fields, "awaiting_rate"], batch_size=500)
                converted += len(rows)
    return converted
