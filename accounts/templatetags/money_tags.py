"""Amounts as they were entered, for the title (hover) or the detail beside a
reporting-currency figure."""

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _locale() -> str:
    return (get_language() or "en").replace("-", "_")


def entered_text(record: Any, reporting: str, field: str = "amount") -> str:
    """'€1,000.00 as entered' when the record's amount came in another currency than the
    reporting one, else ''. The page passes the reporting currency: no query per row."""
    currency = getattr(record, "currency", "")
    original: Decimal | None = getattr(record, f"{field}_original", None)
    if not currency or original is None or currency == reporting:
        return ""
    amount = format_currency(original, currency, locale=_locale())
    if getattr(record, "awaiting_rate", None):
        return _("%(amount)s as entered; waiting for the %(month)s rate") % {
            "amount": amount,
            "month": f"{record.awaiting_rate:%Y-%m}",
        }
    return _("%(amount)s as entered") % {"amount": amount}


@register.simple_tag
def entered_title(record: Any, reporting: str, field: str = "amount") -> str:
    """` title="€1,000.00 as entered"` on the element that shows the reporting figure."""
    text = entered_text(record, reporting, field)
    return format_html(' title="{}"', text) if text else ""


@register.simple_tag
def entered_amount(record: Any, reporting: str, field: str = "amount") -> str:
    return entered_text(record, reporting, field)
