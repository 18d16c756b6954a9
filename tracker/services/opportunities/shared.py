"""What every opportunity write shares: its fields, what a stage sets, its history rows,
its checks of permission and version, and the announcement once it commits.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import RecordChange
from accounts.services.history import Action as Did
from accounts.services.history import history_entry
from core.access import Action, User, allowed
from core.signals import program_data_announce
from tracker.figures import DEAL_TERMS
from tracker.models import Opportunity, Stage
from tracker.services.opportunities.errors import StaleVersion

OPEN, WON, LOST = Stage.Outcome.OPEN, Stage.Outcome.WON, Stage.Outcome.LOST

EDITABLE_FIELDS = (
    "account",
    "product",
    "owner",
    "stage",
    *DEAL_TERMS,
    "customer_need",
    "next_step",
    "lost_reason",
)
# The segment follows the account; the outcome follows the stage.
TRACKED_FIELDS = (*EDITABLE_FIELDS, "segment")
# The amount as entered and its currency follow `amount` (the reporting amount, tracked).
WRITTEN_FIELDS = (*TRACKED_FIELDS, "outcome", "currency", "amount_original")
# Changes name the currency the entered `amount` is in; it is written, not tracked.
CURRENCY_FIELD = "currency"
# A change of these can make a rule of thumb warn.
WARNED_FIELDS = ("account", "product", "owner", "kind", "amount")


def announce(merger_id: int) -> None:
    """Scores and dashboards read opportunities: tell them once the write commits."""
    program_data_announce(Opportunity, merger_id)


def entry(
    opportunity: Opportunity, *, actor: User | None, at: dt.datetime, action: str, changes: dict
) -> RecordChange:
    """One history row of the opportunity, for history_entries_write."""
    return history_entry(
        model=Opportunity,
        object_id=opportunity.pk,
        object_repr=str(opportunity),
        merger_id=opportunity.merger_id,
        action=action,
        changes=changes,
        actor=actor,
        at=at,
    )


def override_row(
    *, opportunity: Opportunity, actor: User, at: dt.datetime, old: str
) -> RecordChange:
    """The history row of a leader's override of the risk screen: old reason, new reason."""
    reason = ["" if old is None else old, opportunity.risk_override_reason]
    return entry(
        opportunity,
        actor=actor,
        at=at,
        action=Did.OVERRIDDEN,
        changes={"risk_override_reason": reason},
    )


def apply_stage(opportunity: Opportunity, *, stage: Stage, probability: int | None) -> None:
    """Puts the opportunity in `stage`, with the stage's outcome and probability."""
    opportunity.stage = stage
    opportunity.outcome = stage.outcome
    # Won is 100% and lost 0% by definition; a given probability counts only while open.
    keep_given = probability is not None and stage.outcome == OPEN
    opportunity.probability = probability if keep_given else stage.probability


def require(
    actor: User, action: Action, opportunity: Opportunity, message: str | None = None
) -> None:
    """Refuses an actor the object rules do not let act on this opportunity."""
    if not allowed(actor, action, "opportunity", opportunity):
        raise PermissionDenied(message or _("You may not change this opportunity."))


def check_version(opportunity: Opportunity, expected_version: int) -> None:
    """Refuses early when the copy read is not at the version the client sent."""
    if opportunity.version != expected_version:
        raise StaleVersion(
            opportunity_id=opportunity.pk,
            expected=expected_version,
            current=opportunity.version,
        )


def stale(opportunity: Opportunity, expected_version: int) -> StaleVersion:
    """The refusal once a versioned write matched no row: names the version now stored."""
    current = (
        Opportunity.objects.filter(pk=opportunity.pk).values_list("version", flat=True).first()
    )
    return StaleVersion(opportunity_id=opportunity.pk, expected=expected_version, current=current)


def shown(opportunity: Opportunity, field: str) -> str:
    """The value as the history shows it; related objects by name and id."""
    value = getattr(opportunity, field)
    if value is None:
        return ""
    if Opportunity._meta.get_field(field).is_relation:
        return f"{value} (#{value.pk})"[:500]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:500]
