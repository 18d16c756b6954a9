"""Yes/no flags, customer types and sales cycles."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.parsing.text import ParseError, as_text, shortened

_TRUE = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "ja", "oui", "si", "sí", "да", "是"}
_FALSE = {"no", "n", "false", "f", "0", "-", "nein", "non", "нет", "否"}
_NOT_CUSTOMER = (
    "prospect",
    "lead",
    "partner",
    "reseller",
    "former",
    "other",
    "subscriber",
    "opportunity",
    "evangelist",
    "competitor",
    "investor",
    "analyst",
    "press",
    "integrator",
    "vendor",
    "supplier",
    "marketing qualified",
    "sales qualified",
    "churned",
    "ex-customer",
)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise _not_yes_no(value)
    text = as_text(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE or not text:
        return False
    raise _not_yes_no(value)


def _not_yes_no(value: Any) -> ParseError:
    return ParseError(_("'%(value)s' is not yes or no.") % {"value": shortened(as_text(value))})


def parse_customer(value: Any) -> bool:
    """Yes/no, or a Salesforce account type / HubSpot lifecycle stage."""
    try:
        return parse_bool(value)
    except ParseError:
        pass
    text = as_text(value).strip().casefold()
    if any(word in text for word in _NOT_CUSTOMER):
        return False
    if text.startswith("customer"):
        return True
    raise ParseError(
        _("'%(value)s' is neither yes/no nor a customer type such as 'Customer' or 'Prospect'.")
        % {"value": shortened(as_text(value))}
    )


_CYCLES = {
    "short": "short",
    "transactional": "short",
    "short, transactional": "short",
    "long": "long",
    "capital-intensive": "long",
    "capital intensive": "long",
    "long, capital-intensive": "long",
}


def parse_sales_cycle(value: Any) -> str:
    text = as_text(value).strip().casefold()
    if text in _CYCLES:
        return _CYCLES[text]
    raise ParseError(
        _("'%(value)s' is not a sales cycle; use 'short' or 'long'.")
        % {"value": shortened(as_text(value))}
    )
