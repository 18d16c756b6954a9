"""Numbers as the pages show them: whole amounts without cents, booleans as words.

Registered as template builtins (config.settings), so every template has them.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def amount(value: Any) -> str:
    """12,500 for a whole amount, 12,500.40 otherwise; empty for no value.

    Grouped per the active locale; money columns carry their currency in the header.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole = number == number.to_integral_value()
    return floatformat(number, "0g" if whole else "2g")


@register.filter
def yes_no(value: Any) -> str:
    """Yes or No (translated) instead of True or False; a dash for unknown."""
    if value is None or value == "":
        return "—"
    return _("Yes") if value else _("No")


@register.filter
def change_value(value: Any) -> str:
    """A value of a change history as a reader says it: Yes/No, whole amounts, as is else.

    Histories keep old and new values as text ("True", "60000.00").
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or value in ("True", "False"):
        return yes_no(value in (True, "True"))
    try:
        Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return amount(value) if "." in str(value) else str(value)
