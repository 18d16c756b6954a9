"""Which way a sale crosses the merger, and whether it sells a new product or upgrades one."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    """Which way a sale crosses the merger."""

    A_TO_B = "a_to_b", _("Acquirer's product to acquired company's customer")
    B_TO_A = "b_to_a", _("Acquired company's product to acquirer's customer")
    WITHIN = "within", _("Within one company's own base")


class Kind(models.TextChoices):
    CROSS_SELL = "cross_sell", _("Cross-sell")
    UPSELL = "upsell", _("Upsell")


# Rule of thumb: an upsell should not raise what the customer pays for the
# product it upgrades by more than about 25%. The whitespace caps an upsell's
# value by it; the tracker warns when a deal breaks it.
UPSELL_MAX_RAISE = Decimal("0.25")
