"""Amounts a user enters in a currency, turned into the reporting amounts figures sum.

Shared by the writes of quotas, synergy targets and comp plans: each record has
one currency for its amounts and converts at the rate of its period's first
month. Without that rate the write is refused, naming the currency and month.
When that rate is corrected, the amounts are converted again
(`entered_amounts_restate`).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger, RecordChange
from accounts.money import MissingRate, Rates, amounts_to_reporting, is_currency_code
from accounts.selectors.exchange_rates import rates_of
from accounts.services.currency import amounts_converted
from accounts.services.history import history_entries_write, history_entry
from core.access import User
from core.signals import program_data_announce
from tracker.models import CompPlan, Quota, SynergyTarget
from tracker.pipeline_math import add_months


def entered_currency(*, merger: Merger, currency: str) -> str:
    """The ISO code the amounts are in: blank means the reporting currency."""
    code = (currency or "").strip().upper() or merger.reporting_currency
    if not is_currency_code(code):
        raise ValidationError(
            {"currency": _("'%(value)s' is not an ISO 4217 currency code.") % {"value": code}}
        )
    return code


def missing_rate_message(missing: MissingRate) -> str:
    return _("%(missing)s Sales ops enters it under Exchange rates.") % {"missing": missing}


def entered_to_reporting(
    *, merger: Merger, currency: str, month: dt.date, amounts: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """The amounts (field -> amount in `currency`) in the reporting currency at the
    month's rate; refused on the currency field when that rate is missing."""
    converted = amounts_to_reporting(
        amounts=amounts,
        currency=currency,
        month=month,
        reporting_currency=merger.reporting_currency,
        rates=rates_for(merger=merger, pairs=[(currency, month)]),
    )
    if isinstance(converted, MissingRate):
        raise ValidationError({"currency": missing_rate_message(converted)})
    return converted


def rates_for(*, merger: Merger, pairs: Iterable[tuple[str, dt.date]]) -> Rates:
    """The rates these (currency, month) pairs need; none for the reporting currency."""
    wanted = {(c, m.replace(day=1)) for c, m in pairs if c != merger.reporting_currency}
    return rates_of(merger_id=merger.pk, pairs=wanted) if wanted else {}


# Records whose amounts were entered in a currency and converted at the rate of one
# month: the field whose month that is, the path to their program, and the amounts
# (each beside its `<name>_original` as entered).
RESTATED: tuple[tuple[type[Model], str, str, tuple[str, ...]], ...] = (
    (Quota, "period_start", "rep__merger_id", ("core_amount", "cross_sell_amount")),
    (SynergyTarget, "month", "merger_id", ("revenue_synergy", "cross_sell")),
    (CompPlan, "period_start", "merger_id", ("target_variable_pay", "spif_amount")),
)
# What a record's name in its history reads, fetched with it.
NAMED_BY = {Quota: ("rep__user",)}


def entered_amounts_restate(*, merger_id: int, rates: Rates, actor: User | None) -> int:
    """Converts again, at the rates now saved, the quotas, synergy targets and comp plans
    entered in these (currency, month) rates' currencies for those months.

    A corrected rate restates them as it restates the month's deals, so that a
    quota and the deals it is measured against convert at one rate. Each changed
    record keeps the change in its history; closed months' snapshots keep the
    figures they were frozen with. Idempotent. Returns how many records changed.
    """
    restated = 0
    for model, month_field, program, fields in RESTATED:
        for (currency, month), rate in rates.items():
            in_month = {f"{month_field}__gte": month, f"{month_field}__lt": add_months(month, 1)}
            # Only the records' own rows, not the reps they join; no key update, so that
            # deals and quotas that point at them are still written meanwhile.
            rows = (
                model.objects.select_for_update(of=("self",), no_key=True)
                .filter(**{program: merger_id}, **in_month, currency=currency)
                .order_by("pk")
            )
            if model in NAMED_BY:
                rows = rows.select_related(*NAMED_BY[model])
            moved, history = [], []
            for row in rows:
                if changes := _converted_again(row, fields, rate):
                    moved.append(row)
                    history.append(
                        history_entry(
                            model=model,
                            object_id=row.pk,
                            object_repr=str(row),
                            merger_id=merger_id,
                            action=RecordChange.Action.CHANGED,
                            changes=changes,
                            actor=actor,
                        )
                    )
            kept = [name for name in ("version", "updated_at") if hasattr(model, name)]
            model.objects.bulk_update(moved, [*fields, *kept], batch_size=500)
            history_entries_write(history)
            if moved:
                program_data_announce(model, merger_id)
            restated += len(moved)
    return restated


def _converted_again(row: Model, fields: tuple[str, ...], rate: Decimal) -> dict[str, list]:
    """Sets the row's amounts from their originals at `rate`; {field: [from, to]}."""
    changes = amounts_converted(row, fields, rate)
    if changes and hasattr(row, "version"):
        row.version += 1
    if changes and hasattr(row, "updated_at"):
        row.updated_at = timezone.now()
    return changes
