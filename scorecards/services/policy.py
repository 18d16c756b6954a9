"""Writes of a program's scoring policy: the weight of each C, thresholds, "strong from"."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger
from accounts.services.history import history_kept
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from core.signals import program_data_announce
from scorecards.indicators import BY_CODE
from scorecards.models import ScoringPolicy, SixC

POLICY_FIELDS = ("weights", "thresholds", "strong_from")


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _plain(value: Any) -> int | float:
    """A checked number as JSON keeps it: whole numbers stay whole."""
    number = _number(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _weight_problems(weights: Any) -> list[str]:
    if not isinstance(weights, Mapping) or set(weights) != set(SixC.values):
        return [_("Give a weight for each of the six Cs: %s.") % ", ".join(SixC.values)]
    numbers = [_number(value) for value in weights.values()]
    if any(number is None or not 0 <= number <= 100 for number in numbers):
        return [_("Each weight is a number from 0 to 100.")]
    if not any(numbers):
        return [_("At least one C needs a weight above zero.")]
    return []


def _threshold_problems(thresholds: Any) -> list[str]:
    if not isinstance(thresholds, Mapping):
        return [_("Thresholds are given by indicator code.")]
    problems = []
    for code, values in thresholds.items():
        indicator = BY_CODE.get(code)
        if indicator is None:
            problems.append(_("%(code)s is not an indicator.") % {"code": code})
            continue
        numbers = [_number(v) for v in values] if isinstance(values, list) else []
        ordered = sorted(numbers) if None not in numbers else []
        if indicator.higher_is_better is False:
            ordered = ordered[::-1]
        if len(numbers) != 4 or numbers != ordered:
            problems.append(
                _("%(code)s needs four thresholds in the order of scores 2 to 5.") % {"code": code}
            )
    return problems


def scoring_policy_problems(
    *, weights: Any, thresholds: Any, strong_from: Any
) -> dict[str, list[str]]:
    """What is wrong with a policy, by field. Pure."""
    problems = {
        "weights": _weight_problems(weights),
        "thresholds": _threshold_problems(thresholds),
        "strong_from": [],
    }
    number = _number(strong_from)
    if number is None or not 1 <= number <= 5:
        problems["strong_from"] = [_("A score from 1 to 5.")]
    return {field: found for field, found in problems.items() if found}


@transaction.atomic
def scoring_policy_update(*, actor: User, merger: Merger, **fields: Any) -> ScoringPolicy:
    """Sets the policy's fields; the open month's scores are recomputed once this commits."""
    if merger.pk not in merger_ids_for(actor) or not allowed(
        actor, Action.CHANGE, "scoring_policy"
    ):
        raise PermissionDenied(_("Only sales ops set the scoring policy."))
    unknown = sorted(set(fields) - set(POLICY_FIELDS))
    if unknown:
        raise ValidationError({field: _("This field cannot be set.") for field in unknown})
    policy, _created = ScoringPolicy.objects.select_for_update().get_or_create(merger=merger)
    values = {name: fields.get(name, getattr(policy, name)) for name in POLICY_FIELDS}
    problems = scoring_policy_problems(**values)
    if problems:
        raise ValidationError(problems)
    with history_kept(actor=actor, instance=policy):
        policy.weights = {c: _plain(values["weights"][c]) for c in SixC.values}
        policy.thresholds = {
            code: [_plain(value) for value in found]
            for code, found in values["thresholds"].items()
        }
        policy.strong_from = _number(values["strong_from"])
        policy.save()
    program_data_announce(ScoringPolicy, merger.pk)
    return policy
