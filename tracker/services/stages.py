"""Writes of a program's sales stages.

A stage's outcome (open, won, lost) is copied onto every opportunity in it,
and pipeline figures filter on that copy: a stage in use keeps its outcome,
and is never deleted. Its default probability may change; deals keep the
probability they were given.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Merger
from accounts.services.history import (
    history_recorded,
)
from core.access import User
from core.signals import program_data_announce
from tracker.models import Stage
from tracker.services.setup_records import (
    setup_record_create,
    setup_record_delete,
    setup_record_update,
)

STAGE_FIELDS = ("name", "order", "probability", "forecast_category", "outcome")
Forecast, Outcome = Stage.Forecast, Stage.Outcome

# The usual cross-sell stages, with the forecast category sales ops most often gives them.
USUAL_STAGES: tuple[tuple[Any, int, str, str], ...] = (
    (gettext_lazy("Identified"), 10, Forecast.PIPELINE, Outcome.OPEN),
    (gettext_lazy("Qualified"), 25, Forecast.PIPELINE, Outcome.OPEN),
    (gettext_lazy("Proposal"), 50, Forecast.BEST_CASE, Outcome.OPEN),
    (gettext_lazy("Negotiation"), 75, Forecast.COMMIT, Outcome.OPEN),
    (gettext_lazy("Closed won"), 100, Forecast.CLOSED, Outcome.WON),
    (gettext_lazy("Closed lost"), 0, Forecast.OMITTED, Outcome.LOST),
)


def stage_in_use(*, stage: Stage) -> bool:
    return stage.pk is not None and stage.opportunities.exists()


def _checks(merger: Merger, stage: Stage | None, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    others = Stage.objects.filter(merger=merger).exclude(pk=getattr(stage, "pk", None))
    if not values["name"]:
        errors["name"] = _("Name the stage.")
    elif others.filter(name__iexact=values["name"]).exists():
        errors["name"] = _("The program has a stage of this name already.")
    if others.filter(order=values["order"]).exists():
        errors["order"] = _("Another stage has this place in the order.")
    probability, outcome = values["probability"], values["outcome"]
    if not 0 <= probability <= 100:
        errors["probability"] = _("A probability is between 0 and 100%.")
    elif outcome == Outcome.WON and probability != 100:
        errors["probability"] = _("A won stage has a probability of 100%.")
    elif outcome == Outcome.LOST and probability != 0:
        errors["probability"] = _("A lost stage has a probability of 0%.")
    if stage is not None and outcome != stage.outcome and stage_in_use(stage=stage):
        errors["outcome"] = _(
            "Opportunities are in this stage: it stays %(outcome)s. Add a new stage instead."
        ) % {"outcome": stage.get_outcome_display().lower()}
    if errors:
        raise ValidationError(errors)


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": (fields.get("name") or "").strip(),
        "order": fields.get("order"),
        "probability": fields.get("probability"),
        "forecast_category": fields.get("forecast_category"),
        "outcome": fields.get("outcome") or Outcome.OPEN,
    }


@transaction.atomic
def stage_create(*, actor: User, merger: Merger, **fields: Any) -> Stage:
    return setup_record_create(
        Stage, actor=actor, merger=merger, values=_values(fields), checks=_checks
    )


@transaction.atomic
def stage_update(*, actor: User, stage: Stage, **fields: Any) -> Stage:
    values = _values({name: fields.get(name, getattr(stage, name)) for name in STAGE_FIELDS})
    return setup_record_update(stage, actor=actor, values=values, checks=_checks)


@transaction.atomic
def stage_delete(*, actor: User, stage: Stage) -> None:
    if stage_in_use(stage=stage):
        raise ValidationError(
            _("Opportunities are in %(stage)s; it stays.") % {"stage": stage.name}
        )
    setup_record_delete(stage, actor=actor)


@transaction.atomic
def stages_create_usual(*, actor: User, merger: Merger) -> list[Stage]:
    """The usual six stages, for a program that has none yet."""
    if Stage.objects.filter(merger=merger).exists():
        raise ValidationError(_("The program has stages already; edit them instead."))
    stages = Stage.objects.bulk_create(
        Stage(
            merger=merger,
            name=str(name),
            order=order,
            probability=probability,
            forecast_category=forecast,
            outcome=outcome,
        )
        for order, (name, probability, forecast, outcome) in enumerate(USUAL_STAGES, start=1)
    )
    for stage in stages:
        history_recorded(actor=actor, instance=stage)
    program_data_announce(Stage, merger.pk)
    return stages
