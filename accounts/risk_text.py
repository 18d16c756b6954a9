"""The risk screen's sentences, stored untranslated and written in the reader's language.

The screen runs in background tasks after imports and stores its reason on each
account; a sentence written there would be in the task's language whoever reads
it. So the reason is stored as its parts (which reason, and each flag's profile,
detail and figures) and written when read. Reasons stored as text before stay
as they were written.
"""

import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

from core.numbers import number_text

# A stored reason that starts with this is parts, not text.
STORED_PREFIX = "risk:"

FLAG_LABELS = {
    "service_demander": gettext_lazy("Service demander"),
    "revenue_reverser": gettext_lazy("Revenue reverser"),
    "promotion_maximizer": gettext_lazy("Promotion maximizer"),
    "spending_limiter": gettext_lazy("Spending limiter"),
}

DETAILS = {
    "tickets_up": gettext_lazy("Support tickets up %(pct)s%% to %(n)d a year"),
    "tickets_new": gettext_lazy("%(n)d support tickets a year, none the year before"),
    "credits_share": gettext_lazy("Credits and returns are %(pct)s%% of revenue"),
    "credits_no_revenue": gettext_lazy("Credits and returns with no revenue"),
    "discount": gettext_lazy("Buys at an average discount of %(pct)s%%"),
    "wallet": gettext_lazy(
        "Holds %(n)d products but spend fell %(pct)s%% in a year: a fixed wallet"
    ),
}

REASONS = {
    "reverser": gettext_lazy("Don't sell: revenue reverser (%(details)s)."),
    "several": gettext_lazy("Don't sell: several risk profiles (%(labels)s): %(details)s."),
    "wallet": gettext_lazy("Upsell only: cross-buying only moves money around (%(details)s)."),
    "one": gettext_lazy("Upsell only: %(label)s (%(details)s)."),
    "none": gettext_lazy("No risk profile flagged."),
}

# (profile, detail key, figures) of one flag.
type FlagParts = tuple[str, str, dict[str, str]]


def detail_text(key: str, figures: dict[str, str]) -> str:
    """A flag's detail in the active language, its figures in the reader's number format."""
    # Counts ("n") are whole numbers; percentages may carry decimals.
    return str(DETAILS[key]) % {
        name: int(value) if name == "n" else _number(value) for name, value in figures.items()
    }


def _number(value: str) -> str:
    try:
        return number_text(Decimal(value))
    except InvalidOperation:
        return value


def reason_text(key: str, flags: Sequence[FlagParts]) -> str:
    """The recommendation's reason in the active language."""
    details = "; ".join(detail_text(detail, figures) for _profile, detail, figures in flags)
    labels = [str(FLAG_LABELS[profile]).lower() for profile, _detail, _figures in flags]
    return str(REASONS[key]) % {
        "details": details,
        "labels": ", ".join(labels),
        "label": labels[0] if labels else "",
    }


def stored_reason(key: str, flags: Sequence[FlagParts]) -> str:
    """The reason's parts as UnifiedAccount.recommendation_reason keeps them."""
    parts = [key, [list(flag) for flag in flags]]
    return STORED_PREFIX + json.dumps(parts, separators=(",", ":"))


def reason_of_stored(stored: str) -> str:
    """A stored reason in the active language; text stored before is shown as written."""
    if not stored.startswith(STORED_PREFIX):
        return stored
    try:
        key, flags = json.loads(stored[len(STORED_PREFIX) :])
        return reason_text(key, [tuple(flag) for flag in flags])
    except (ValueError, TypeError, KeyError):
        return ""
