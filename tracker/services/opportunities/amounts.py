"""An opportunity's amount in the reporting currency, from the amount as entered."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.money import MissingRate, conversion_month, is_currency_code, to_reporting
from accounts.selectors.exchange_rates import rates_of
from tracker.models import Opportunity


def convert_amount(opportunity: Opportunity, *, entered: bool) -> None:
    """The reporting amount from the amount as entered, at the rate of the deal's month
    (its close month once closed, else this month); refused when that rate is missing.

    `entered`: `amount` holds what the user typed, in the deal's currency.
    """
    reporting = opportunity.merger.reporting_currency
    opportunity.currency = opportunity.currency or reporting
    if entered or opportunity.amount_original is None:
        opportunity.amount_original = opportunity.amount
    if not is_currency_code(opportunity.currency):
        raise ValidationError(
            {
                "currency": _("'%(value)s' is not an ISO 4217 currency code.")
                % {"value": opportunity.currency}
            }
        )
    today = timezone.localdate()
    month = conversion_month(closed_on=opportunity.closed_on, today=today)
    converted = to_reporting(
        amount=opportunity.amount_original,
        currency=opportunity.currency,
        month=month,
        reporting_currency=reporting,
        rates=rates_of(merger_id=opportunity.merger_id, pairs=[(opportunity.currency, month)]),
    )
    if isinstance(converted, MissingRate):
        raise ValidationError(
            {
                "amount": _("%(missing)s Sales ops enters it under Exchange rates.")
                % {"missing": converted}
            }
        )
    opportunity.amount = converted
