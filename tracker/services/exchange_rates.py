"""Writes of exchange rates: one at a time, or sales ops' CSV import; and what follows.

Saving rates enqueues, once committed, the conversion of every amount that
depends on them (`amounts_convert_at_rates`): imported records that waited for
a rate, deals closed in the month, open deals when it is the current month,
and the quotas, synergy targets and comp plans entered for the month.
A deal's changed reporting amount is kept in its history like any other
change, so a deal of a closed month shows as a restatement in the month the
rate was changed; the closed month's snapshot keeps the figure it was frozen with.
"""

import datetime as dt
from decimal import Decimal
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ExchangeRate, Merger, RecordChange
from accounts.money import Rates, conversion_month, convert, is_currency_code, month_of
from accounts.selectors.exchange_rates import rates_of
from accounts.services.currency import (
    awaiting_amounts_convert,
    imported_amounts_restate,
    program_companies_lock,
)
from accounts.services.history import as_text, history_entries_write, history_entry
from accounts.signals import analysis_outdated
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from core.signals import program_data_announce
from tracker.models import Opportunity, Stage
from tracker.pipeline_math import add_months
from tracker.rate_csv import RateLine, read_rate_file
from tracker.services.entered_money import entered_amounts_restate
from tracker.services.opportunities.shared import entry
from tracker.services.won_sales import deals_changed
from tracker.setup_csv import FileImportResult
from tracker.signals import exchange_rates_changed

WON = Stage.Outcome.WON

RESOURCE = "exchange_rate"


def _check(actor: User, merger: Merger, action: Action, resource: str = RESOURCE) -> None:
    if merger.pk not in merger_ids_for(actor) or not allowed(actor, action, resource):
        raise PermissionDenied(_("Only sales ops enters exchange rates."))


def _validate(merger: Merger, currency: str, rate: Decimal) -> None:
    errors: dict[str, str] = {}
    if not is_currency_code(currency):
        errors["currency"] = _("'%(value)s' is not an ISO 4217 currency code.") % {
            "value": currency
        }
    elif currency == merger.reporting_currency:
        errors["currency"] = _("%(currency)s is the reporting currency; it needs no rate.") % {
            "currency": currency
        }
    if rate <= 0:
        errors["rate"] = _("A rate is above zero.")
    if errors:
        raise ValidationError(errors)


def exchange_rate_set(
    *, actor: User, merger: Merger, currency: str, month: dt.date, rate: Decimal
) -> ExchangeRate:
    """Sets (or corrects) the currency's rate for the month, and converts what depends on it."""
    month = month_of(month)
    currency = currency.strip().upper()
    existing = ExchangeRate.objects.filter(merger=merger, currency=currency, month=month).first()
    _check(actor, merger, Action.CHANGE if existing else Action.CREATE)
    _validate(merger, currency, rate)
    with transaction.atomic():
        _write(merger, actor, [RateLine(0, currency, month, rate)])
    return ExchangeRate.objects.get(merger=merger, currency=currency, month=month)


def _write(merger: Merger, actor: User, lines: list[RateLine]) -> tuple[int, int, int]:
    """Creates, changes or leaves each rate; keeps each change; enqueues the conversions."""
    existing = {
        (rate.currency, rate.month): rate
        for rate in ExchangeRate.objects.select_for_update().filter(
            merger=merger,
            currency__in={line.currency for line in lines},
            month__in={line.month for line in lines},
        )
    }
    by = actor if getattr(actor, "pk", None) else None
    new, changed, moves = [], [], []
    for line in lines:
        rate = existing.get((line.currency, line.month))
        if rate is not None and rate.rate == line.rate:
            continue
        if rate is None:
            rate = ExchangeRate(
                merger=merger,
                currency=line.currency,
                month=line.month,
                rate=line.rate,
                updated_by=by,
            )
            new.append(rate)
            moves.append((rate, None))
        else:
            moves.append((rate, rate.rate))
            rate.rate, rate.updated_by, rate.updated_at = line.rate, by, timezone.now()
            changed.append(rate)
    ExchangeRate.objects.bulk_create(new)
    ExchangeRate.objects.bulk_update(changed, ["rate", "updated_by", "updated_at"])
    history_entries_write(_rate_entry(rate, old, actor=by) for rate, old in moves)
    if moves:
        pairs = sorted({(rate.currency, rate.month.isoformat()) for rate, _old in moves})
        exchange_rates_changed.send(
            sender=ExchangeRate, merger_id=merger.pk, pairs=pairs, actor_id=getattr(by, "pk", None)
        )
    return len(new), len(changed), len(lines) - len(moves)


def _rate_entry(rate: ExchangeRate, old: Decimal | None, *, actor: User | None) -> RecordChange:
    changes = {"rate": [as_text(old), as_text(rate.rate)]}
    if old is None:
        changes = {
            "currency": [None, rate.currency],
            "month": [None, as_text(rate.month)],
            **changes,
        }
    return history_entry(
        model=ExchangeRate,
        object_id=rate.pk,
        object_repr=str(rate),
        merger_id=rate.merger_id,
        action=RecordChange.Action.CHANGED if old is not None else RecordChange.Action.CREATED,
        changes=changes,
        actor=actor,
    )


def exchange_rates_import_csv(
    *, actor: User, merger: Merger, file: BinaryIO, dry_run: bool = False
) -> FileImportResult:
    """Sets rates from a file (currency, month, rate): every row, or none. A dry run checks."""
    _check(actor, merger, Action.CREATE)
    _check(actor, merger, Action.CHANGE)
    name = getattr(file, "name", "") or "exchange-rates.csv"
    parsed = read_rate_file(data=file, name=name, reporting_currency=merger.reporting_currency)
    result = FileImportResult(file=name, errors=parsed.errors, file_errors=parsed.file_errors)
    if not parsed.ok or dry_run:
        return result
    with transaction.atomic():
        result.created, result.updated, result.unchanged = _write(merger, actor, parsed.lines)
    return result


# What follows a rate


def amounts_convert_at_rates(
    *,
    merger_id: int,
    pairs: set[tuple[str, dt.date]],
    actor_id: int | None,
    today: dt.date | None = None,
) -> int:
    """Converts what depends on these (currency, month) rates; idempotent.

    Imported records waiting for one of them are converted and no longer wait;
    those converted at an earlier value of one of them are converted again.
    Deals in the currency closed in the month, and open deals when the month
    is the current one, get their reporting amount at the rate now saved; so do
    the quotas, synergy targets and comp plans entered in it for the month.
    """
    today = today or timezone.localdate()
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        # One conversion of the program at a time, none while an import writes: the rates
        # are read after the lock, so an older correction never overwrites a newer one.
        program_companies_lock(merger_id=merger_id)
        rates = rates_of(merger_id=merger_id, pairs=pairs)
        imported = imported_amounts_restate(merger_id=merger_id, rates=rates)
        imported += awaiting_amounts_convert(merger_id=merger_id, pairs=pairs)
        if imported:
            analysis_outdated.send(sender=Merger, merger_id=merger_id)
        if not rates:
            return imported
        changed = _deals_convert(merger_id=merger_id, rates=rates, actor=actor, today=today)
        restated = entered_amounts_restate(merger_id=merger_id, rates=rates, actor=actor)
    return imported + changed + restated


def _deals_convert(*, merger_id: int, rates: Rates, actor: User | None, today: dt.date) -> int:
    concerned = Q(pk__in=[])
    for currency, month in rates:
        in_month = Q(closed_on__gte=month, closed_on__lt=add_months(month, 1))
        if month == month_of(today):
            in_month |= Q(outcome=Stage.Outcome.OPEN)
        concerned |= Q(currency=currency) & in_month
    now = timezone.now()
    with transaction.atomic():
        deals = list(
            # The deals' own rows, as a non-key update: the conversion holds the program's
            # products and accounts, which other writes' foreign keys only need to share.
            Opportunity.objects.select_for_update(of=("self",), no_key=True)
            .filter(concerned, merger_id=merger_id, amount_original__isnull=False)
            .select_related("product", "account")
            .only(
                "pk",
                "merger_id",
                "product__name",
                "account__name",
                "account_id",
                "product_id",
                "outcome",
                "amount",
                "amount_original",
                "currency",
                "closed_on",
                "version",
            )
        )
        history, moved = [], []
        for deal in deals:
            month = conversion_month(closed_on=deal.closed_on, today=today)
            rate = rates.get((deal.currency, month))
            amount = None if rate is None else convert(deal.amount_original, rate)
            if amount is None or amount == deal.amount:
                continue
            changes = {"amount": [str(deal.amount), str(amount)]}
            history.append(
                entry(
                    deal, actor=actor, at=now, action=RecordChange.Action.CHANGED, changes=changes
                )
            )
            deal.amount, deal.version, deal.updated_at = amount, deal.version + 1, now
            moved.append(deal)
        Opportunity.objects.bulk_update(moved, ["amount", "version", "updated_at"], batch_size=500)
        history_entries_write(history)
        won = {(deal.account_id, deal.product_id) for deal in moved if deal.outcome == WON}
        if won:
            # The install base holds a won deal's sale at its reporting amount.
            deals_changed(merger_id=merger_id, pairs=won)
        if moved:
            program_data_announce(Opportunity, merger_id)
    return len(moved)
