"""Imported amounts that waited for an exchange rate, converted once the rate exists,
and converted again when the rate that converted them is corrected."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from accounts.models import Holding, LegacyCompany, Product, SourceAccount
from accounts.money import Rates, convert
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
COMPANY_PATH = {SourceAccount: "company_id", Product: "company_id", Holding: "account__company_id"}


def program_companies_lock(*, merger_id: int) -> None:
    """Waits for the imports into the program's companies, and holds off new ones, until
    the transaction ends: conversions and imports then each read the rates the other
    committed. In order of id, as imports lock one company, so that none wait on each other."""
    # No key update: a deal won meanwhile may still insert holdings and accounts that
    # point at these rows; an import's full lock waits all the same.
    companies = LegacyCompany.objects.select_for_update(no_key=True).filter(merger_id=merger_id)
    list(companies.order_by("pk").values("pk"))


def _rows(model: type[Model], merger_id: int, company_id: int | None, **where: Any) -> QuerySet:
    # Only the records' own rows, and as a non-key update: a deal won meanwhile may insert
    # holdings that point at them.
    scope = {COMPANY_PATH[model]: company_id} if company_id else {}
    return (
        model.objects.select_for_update(of=("self",), no_key=True)
        .filter(**{MERGER_PATH[model]: merger_id}, **scope, **where)
        .order_by("pk")
    )


def awaiting_amounts_convert(
    *, merger_id: int, pairs: set[tuple[str, dt.date]], company_id: int | None = None
) -> int:
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
                    _rows(model, merger_id, company_id, currency=currency, awaiting_rate=month)
                )
                for row in rows:
                    amounts_converted(row, fields, rate)
                    row.awaiting_rate, row.rate_month = None, month
                model.objects.bulk_update(
                    rows, [*fields, "awaiting_rate", "rate_month"], batch_size=500
                )
                converted += len(rows)
    return converted


def imported_amounts_restate(
    *, merger_id: int, rates: Rates, company_id: int | None = None
) -> int:
    """Converts again, at these corrected (currency, month) rates, the imported records
    those rates converted; idempotent. Returns how many records changed.

    The amounts as entered stay; only their reporting amounts follow the rate, as
    when a waiting record gets its rate (imports keep no history of those either).
    """
    restated = 0
    with transaction.atomic():
        for (currency, month), rate in rates.items():
            for model, fields in AMOUNTS.items():
                rows = _rows(model, merger_id, company_id, currency=currency, rate_month=month)
                moved = [row for row in rows if amounts_converted(row, fields, rate)]
                model.objects.bulk_update(moved, list(fields), batch_size=500)
                restated += len(moved)
    return restated


def company_amounts_settle(*, merger_id: int, company_id: int, month: dt.date) -> int:
    """After an import wrote a company's records: converts them at the month's rates as
    committed now. The import checked its rows with the rates it read before it locked
    the company; a rate saved meanwhile was applied before these rows existed."""
    rates = rates_of(merger_id=merger_id, month=month)
    restated = imported_amounts_restate(merger_id=merger_id, rates=rates, company_id=company_id)
    return restated + awaiting_amounts_convert(
        merger_id=merger_id, pairs=set(rates), company_id=company_id
    )


def amounts_converted(row: Model, fields: tuple[str, ...], rate: Decimal) -> dict[str, list]:
    """Sets the row's reporting amounts from those as entered (`<name>_original`) at
    `rate`; {field: [from, to]} for those that changed."""
    changes: dict[str, list] = {}
    for name in fields:
        original = getattr(row, f"{name}_original")
        amount = None if original is None else convert(original, rate)
        if amount is not None and amount != getattr(row, name):
            changes[name] = [str(getattr(row, name)), str(amount)]
            setattr(row, name, amount)
    return changes
