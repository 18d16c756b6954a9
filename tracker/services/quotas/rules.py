"""The rules every quota write keeps: its period, its amounts, who may set it, no overlap."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.access import Action, Role, User, allowed, roles_of
from core.dates import FIRST_YEAR, LAST_YEAR, date_plausible
from core.programs import merger_ids_for
from tracker.models import Quota, Rep
from tracker.quota_math import Period, PeriodError, period_of
from tracker.services.entered_money import entered_currency, entered_to_reporting

MAX_AMOUNT = Decimal(10) ** 14
CENT = Decimal("0.01")


def quota_period(*, period_start: date, period_kind: str) -> Period:
    if not date_plausible(period_start):
        raise ValidationError(
            {
                "period_start": _("A quota's period lies between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    try:
        return period_of(period_start, period_kind)
    except PeriodError as error:
        raise ValidationError({"period_kind": error.message}) from None


def quota_values(
    *, rep: Rep, period: Period, currency: str, core_amount: Any, cross_sell_amount: Any
) -> dict[str, Any]:
    """The quota's amounts as entered and in the reporting currency, at the rate of
    the period's first month."""
    merger = rep.merger
    code = entered_currency(merger=merger, currency=currency)
    core, cross = quota_amounts(core_amount=core_amount, cross_sell_amount=cross_sell_amount)
    reporting = entered_to_reporting(
        merger=merger,
        currency=code,
        month=period.start,
        amounts={"core_amount": core, "cross_sell_amount": cross},
    )
    return {
        **reporting,
        "currency": code,
        "core_amount_original": core,
        "cross_sell_amount_original": cross,
    }


def quota_amounts(*, core_amount: Any, cross_sell_amount: Any) -> tuple[Decimal, Decimal]:
    problems: dict[str, str] = {}
    values: list[Decimal] = []
    for field, value in (("core_amount", core_amount), ("cross_sell_amount", cross_sell_amount)):
        try:
            amount = Decimal(str(value)).quantize(CENT) if value not in (None, "") else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            problems[field] = _("Enter an amount.")
        elif amount < 0:
            problems[field] = _("A quota cannot be negative.")
        elif amount >= MAX_AMOUNT:
            problems[field] = _("The amount is too large.")
        else:
            values.append(amount)
    if problems:
        raise ValidationError(problems)
    return values[0], values[1]


def quota_require(*, actor: User, rep: Rep) -> None:
    """Sales ops set any quota of their programs; leaders their team's, never their own."""
    if rep.merger_id not in merger_ids_for(actor):
        raise PermissionDenied(_("This rep is not in your programs."))
    if rep.user_id == actor.pk and Role.OPS not in roles_of(actor):
        raise PermissionDenied(_("You cannot set your own quota; your own leader sets it."))
    probe = Quota(rep=rep)
    if not allowed(actor, Action.CHANGE, "quota", probe):
        raise PermissionDenied(_("You may set quotas only for the reps of your teams."))


def rep_periods(*, rep_ids: Iterable[int], first: date, last: date) -> dict[int, list[Quota]]:
    """The quotas of these reps that can share a month with [first, last], by rep."""
    found: dict[int, list[Quota]] = {}
    quotas = (
        Quota.objects.filter(rep_id__in=list(rep_ids))
        .sharing_months(first, last)
        .order_by("period_start")
    )
    for quota in quotas:
        found.setdefault(quota.rep_id, []).append(quota)
    return found


def overlap_message(period: Period, other: Period) -> str:
    return _(
        "%(period)s overlaps the rep's quota for %(other)s; change or replace that one instead."
    ) % {"period": period.code, "other": other.code}
