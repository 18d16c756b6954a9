"""The comp plans a closed month was frozen with, kept on its snapshot.

A closed month's payouts are facts: not only the credit, quota and count they pay on
(tracker.selectors.period_figures) but the plan terms too. The freeze keeps each plan
covering the month as it stood, with its reps (MonthlySnapshot.comp_plans); a period
whose months are all closed pays on its months' (tracker.selectors.compensation),
so a plan edited, or a rep moved off it, afterwards moves only the periods still open.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from accounts.models import Merger
from tracker.compensation import PAYOUT_TERMS
from tracker.models import CompPlan, MonthlySnapshot
from tracker.pipeline_math import month_end, months_between


@dataclass(frozen=True)
class KeptPlan:
    """A plan as a snapshot kept it: the terms a closed period is paid on. Plain data,
    never a model instance, so nothing can save frozen terms over the plan's own."""

    id: int
    name: str
    for_leaders: bool
    period_start: date
    period_end: date
    currency: str
    target_variable_pay: Decimal
    cross_sell_share_pct: Decimal
    spif_kind: str
    spif_amount: Decimal
    spif_percent: Decimal
    president_club_requires_cross_sell: bool
    rep_ids: tuple[int, ...]
    # False once the plan was deleted since: its name is still what the period paid
    # on, but there is no plan left to point at.
    exists: bool = True

    @property
    def pk(self) -> int | None:
        return self.id if self.exists else None

    def __str__(self) -> str:
        return self.name


DECIMALS = ("target_variable_pay", "cross_sell_share_pct", "spif_amount", "spif_percent")


def plans_to_keep(*, merger: Merger, month: date) -> list[dict[str, Any]]:
    """The plans covering `month` (any day in it) as a snapshot keeps them: JSON, the
    amounts as strings (exact, unlike floats). Two queries."""
    first = month.replace(day=1)
    plans = CompPlan.objects.filter(
        merger=merger, period_start__lte=month_end(first), period_end__gte=first
    ).order_by("pk")
    kept = {
        plan.pk: {
            "id": plan.pk,
            "name": plan.name,
            "for_leaders": plan.for_leaders,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "currency": plan.currency,
            **{field: getattr(plan, field) for field in PAYOUT_TERMS},
            "reps": [],
        }
        for plan in plans
    }
    for field in DECIMALS:
        for plan in kept.values():
            plan[field] = str(plan[field])
    memberships = CompPlan.reps.through.objects.filter(compplan_id__in=list(kept)).order_by(
        "rep_id"
    )
    for rep_id, plan_id in memberships.values_list("rep_id", "compplan_id"):
        kept[plan_id]["reps"].append(rep_id)
    return list(kept.values())


def kept_plans(*, merger: Merger, first: date, last_month: date) -> list[KeptPlan] | None:
    """The plans the closed months from `first` to `last_month` were frozen with, each as
    its latest month kept it: a plan that ended early in a quarter still pays it. None
    when a month is not frozen or was frozen before plans were kept. Two queries."""
    first, last_month = first.replace(day=1), last_month.replace(day=1)
    months = list(
        MonthlySnapshot.objects.filter(
            merger=merger, month__gte=first, month__lte=last_month
        ).values_list("month", "comp_plans")
    )
    if len(months) != months_between(first, last_month) or any(k is None for _m, k in months):
        return None
    kept = {plan["id"]: plan for _month, plans in sorted(months) for plan in plans}
    remaining = (
        set(CompPlan.objects.filter(merger=merger, pk__in=list(kept)).values_list("pk", flat=True))
        if kept
        else set()
    )
    return [_plan(plan, exists=plan_id in remaining) for plan_id, plan in kept.items()]


def unkept_month(*, merger: Merger, first: date, last_month: date) -> date | None:
    """The latest month from `first` to `last_month` frozen before plans were kept."""
    return (
        MonthlySnapshot.objects.filter(
            merger=merger,
            month__gte=first.replace(day=1),
            month__lte=last_month.replace(day=1),
            comp_plans__isnull=True,
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def _plan(kept: dict[str, Any], *, exists: bool) -> KeptPlan:
    return KeptPlan(
        id=kept["id"],
        name=kept["name"],
        for_leaders=kept["for_leaders"],
        period_start=date.fromisoformat(kept["period_start"]),
        period_end=date.fromisoformat(kept["period_end"]),
        currency=kept["currency"],
        target_variable_pay=Decimal(kept["target_variable_pay"]),
        cross_sell_share_pct=Decimal(kept["cross_sell_share_pct"]),
        spif_kind=kept["spif_kind"],
        spif_amount=Decimal(kept["spif_amount"]),
        spif_percent=Decimal(kept["spif_percent"]),
        president_club_requires_cross_sell=kept["president_club_requires_cross_sell"],
        rep_ids=tuple(kept["reps"]),
        exists=exists,
    )


def kept_plans_by_rep(plans: Iterable[KeptPlan]) -> dict[int, KeptPlan]:
    """The plan each rep was paid by, as frozen: the rule of today's plans."""
    by_id = {plan.id: plan for plan in plans}
    memberships = [(rep_id, plan.id) for plan in by_id.values() for rep_id in plan.rep_ids]
    return paying_plans(by_id, memberships)


class _Plan(Protocol):
    @property
    def for_leaders(self) -> bool: ...
    @property
    def period_start(self) -> date: ...
    @property
    def id(self) -> int: ...


def paying_plans[P: _Plan](
    plans: Mapping[int, P], memberships: Iterable[tuple[int, int]]
) -> dict[int, P]:
    """Each rep's plan from (rep id, plan id) pairs: the latest starting one if several,
    and a leader on both kinds of plan is paid by the leaders' plan (it sorts last)."""
    by_rep: dict[int, P] = {}
    for rep_id, plan_id in sorted(memberships, key=lambda pair: _order(plans[pair[1]])):
        by_rep[rep_id] = plans[plan_id]
    return by_rep


def _order(plan: _Plan) -> tuple[bool, date, int]:
    return plan.for_leaders, plan.period_start, plan.id
