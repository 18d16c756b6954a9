"""Comp plans, maintained by sales ops: how cross-sell wins are paid in a period.

A plan's money is entered in one currency and kept, beside it, in the program's
reporting currency at the rate of the plan's first month; without that rate
the plan is not saved."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger
from accounts.services.history import Action as Did
from accounts.services.history import (
    history_deleted,
    history_record,
    history_snapshot,
)
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from core.signals import program_data_announce
from tracker.compensation import PAYOUT_TERMS
from tracker.models import CompPlan, Rep
from tracker.services.entered_money import entered_currency, entered_to_reporting

ZERO = Decimal("0")
HUNDRED = Decimal("100")
FIELDS = (
    "name",
    "period_start",
    "period_end",
    "for_leaders",
    *PAYOUT_TERMS,
    "recognition",
    "currency",
)
# Entered in the plan's currency; kept as entered in `<field>_original`.
MONEY = ("target_variable_pay", "spif_amount")


def comp_plan_create(
    *,
    actor: User,
    merger: Merger,
    name: str,
    period_start: date,
    period_end: date,
    reps: Sequence[Rep] = (),
    **terms: Any,
) -> CompPlan:
    _require(actor, Action.CREATE, merger.pk)
    plan = CompPlan(merger=merger, name=name, period_start=period_start, period_end=period_end)
    return _save(actor, plan, terms, reps, creating=True)


def comp_plan_update(
    *, actor: User, plan: CompPlan, reps: Sequence[Rep] | None = None, **changes: Any
) -> CompPlan:
    _require(actor, Action.CHANGE, plan.merger_id)
    return _save(actor, plan, changes, reps, creating=False)


def comp_plan_delete(*, actor: User, plan: CompPlan) -> None:
    _require(actor, Action.DELETE, plan.merger_id)
    merger_id = plan.merger_id
    with transaction.atomic():
        history_deleted(actor=actor, instance=plan)
    program_data_announce(CompPlan, merger_id)


def _require(actor: User, action: Action, merger_id: int) -> None:
    if merger_id not in merger_ids_for(actor) or not allowed(actor, action, "comp_plan"):
        raise PermissionDenied(_("Only sales ops maintain comp plans."))


def _save(
    actor: User,
    plan: CompPlan,
    values: dict[str, Any],
    reps: Sequence[Rep] | None,
    *,
    creating: bool,
) -> CompPlan:
    before = None if creating else history_snapshot(plan)
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ValidationError({field: _("This field cannot be set.") for field in unknown})
    entered = {field: values.get(field, plan.entered(field)) for field in MONEY}
    for field, value in values.items():
        setattr(plan, field, value)
    for field, value in entered.items():
        setattr(plan, field, value)
    _normalise_spif(plan)
    chosen = list(plan.reps.all()) if reps is None and not creating else list(reps or [])
    problems = comp_plan_problems(plan=plan, reps=chosen)
    if problems:
        raise ValidationError(problems)
    _to_reporting(plan)
    with transaction.atomic():
        plan.save()
        if reps is not None or creating:
            plan.reps.set(chosen)
        action = Did.CREATED if creating else Did.CHANGED
        history_record(actor=actor, instance=plan, action=action, before=before)
    program_data_announce(CompPlan, plan.merger_id)
    return plan


def _to_reporting(plan: CompPlan) -> None:
    """The plan's money, as entered, converted at the rate of its first month."""
    plan.currency = entered_currency(merger=plan.merger, currency=plan.currency)
    entered = {field: getattr(plan, field) for field in MONEY}
    converted = entered_to_reporting(
        merger=plan.merger,
        currency=plan.currency,
        month=plan.period_start.replace(day=1),
        amounts=entered,
    )
    for field in MONEY:
        setattr(plan, f"{field}_original", entered[field])
        setattr(plan, field, converted[field])


def _normalise_spif(plan: CompPlan) -> None:
    # Only the amount that the SPIF kind uses is kept, so a plan never shows two.
    if plan.spif_kind != CompPlan.Spif.FLAT:
        plan.spif_amount = ZERO
    if plan.spif_kind != CompPlan.Spif.PERCENT:
        plan.spif_percent = ZERO


def comp_plan_problems(*, plan: CompPlan, reps: Sequence[Rep]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    plan.name = (plan.name or "").strip()
    if not plan.name:
        add("name", _("Name the plan."))
    elif (
        CompPlan.objects.filter(merger_id=plan.merger_id, name__iexact=plan.name)
        .exclude(pk=plan.pk)
        .exists()
    ):
        add("name", _("The program has a plan of this name already."))
    if plan.period_start and plan.period_end and plan.period_end < plan.period_start:
        add("period_end", _("The plan ends before it starts."))
    if plan.spif_kind not in CompPlan.Spif.values:
        add("spif_kind", _("Choose a kind of SPIF."))
    for field in ("target_variable_pay", "spif_amount"):
        if getattr(plan, field) is None or getattr(plan, field) < ZERO:
            add(field, _("Enter zero or more."))
    for field in ("cross_sell_share_pct", "spif_percent"):
        value = getattr(plan, field)
        if value is None or not ZERO <= value <= HUNDRED:
            add(field, _("Enter a percentage from 0 to 100."))
    if plan.spif_kind == CompPlan.Spif.FLAT and not plan.spif_amount:
        add("spif_amount", _("A flat SPIF needs an amount per won cross-sell."))
    if plan.spif_kind == CompPlan.Spif.PERCENT and not plan.spif_percent:
        add("spif_percent", _("A percentage SPIF needs a percentage."))
    for message in _rep_problems(plan, reps):
        add("reps", message)
    return problems


def _rep_problems(plan: CompPlan, reps: Sequence[Rep]) -> list[str]:
    problems = [
        _("%(rep)s is not a rep of this program.") % {"rep": rep}
        for rep in reps
        if rep.merger_id != plan.merger_id
    ]
    if problems or not reps or not (plan.period_start and plan.period_end):
        return problems
    # A rep is paid by one plan at a time (leaders' and reps' plans are separate).
    others = (
        CompPlan.reps.through.objects.filter(
            rep_id__in=[rep.pk for rep in reps],
            compplan__merger_id=plan.merger_id,
            compplan__for_leaders=plan.for_leaders,
            compplan__period_start__lte=plan.period_end,
            compplan__period_end__gte=plan.period_start,
        )
        .exclude(compplan_id=plan.pk)
        .select_related("rep__user", "compplan")
        .order_by("rep_id")
    )
    return [
        _("%(rep)s is on the plan '%(plan)s' for overlapping dates.")
        % {"rep": row.rep, "plan": row.compplan.name}
        for row in others
    ]
