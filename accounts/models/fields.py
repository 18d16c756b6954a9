"""Columns every model module shares: money, percentages, the currency an amount was entered in."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")


class MoneyField(models.DecimalField):
    """Money in the merger's reporting currency: 16 digits, 2 decimals."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class PercentField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


def currency_field() -> models.CharField:
    """The ISO 4217 code an amount was entered in; blank for the reporting currency."""
    return models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, as entered")
    )


def user_field(
    verbose_name: str | Promise | None = None,
    *,
    related_name: str = "+",
    blank: bool = False,
    editable: bool = True,
) -> models.ForeignKey:
    """The person a record names (who made, changed or leads it): the record outlives
    their user, the link is emptied."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name=related_name,
        editable=editable,
    )


def awaiting_rate_field() -> models.DateField:
    """Set while the record's amounts wait for an exchange rate of this month."""
    return models.DateField(
        _("waiting for the exchange rate of"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Its amounts count in no figure until the rate exists."),
    )


def rate_month_field() -> models.DateField:
    """The month whose exchange rate converted the record's amounts, so that a corrected
    rate converts them again; empty in the reporting currency and while waiting."""
    return models.DateField(
        _("converted at the exchange rate of"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
    )


def currency_code_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}currency": ""}) | Q(**{f"{prefix}currency__regex": r"^[A-Z]{3}$"})
