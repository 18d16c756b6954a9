"""Amounts a user enters in a currency, turned into the reporting amounts figures sum.

Shared by the writes of quotas, synergy targets and comp plans: each record has
one currency for its amounts and converts at the rate of its period's first
month. Without that rate the write is refused, naming the currency and month.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Merger
from accounts.money import MissingRate, Rates, amounts_to_reporting, is_currency_code
from accounts.selectors.exchange_rates import rates_of


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
