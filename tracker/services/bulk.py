"""A leader's bulk change of stage or owner: each opportunity goes through the same service.

Every item keeps its own optimistic lock and history, and an item that a rule
refuses (a stale version, a won deal without a close date, a rep the leader
does not cover) is reported back with the reason instead of failing the rest.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Merger
from core.access import User
from tracker.models import Opportunity, Rep, Stage
from tracker.services.opportunities import StaleVersion, opportunity_update

BULK_MAX_ITEMS = 200


class BulkStatus(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class BulkItemResult:
    opportunity_id: int
    status: BulkStatus
    version: int | None = None
    message: str = ""

    @property
    def changed(self) -> bool:
        return self.status is BulkStatus.CHANGED


@dataclass(frozen=True)
class BulkOutcome:
    results: list[BulkItemResult]

    def count(self, status: BulkStatus) -> int:
        return sum(1 for result in self.results if result.status is status)

    @property
    def refused(self) -> list[BulkItemResult]:
        return [result for result in self.results if result.status is BulkStatus.REFUSED]


def opportunities_bulk_change(
    *,
    actor: User,
    merger: Merger,
    items: Sequence[tuple[int, int]],
    stage: Stage | None = None,
    owner: Rep | None = None,
    closed_on: dt.date | None = None,
    lost_reason: str = "",
) -> BulkOutcome:
    """Moves the (id, version) items to `stage` and/or hands them to `owner`.

    `closed_on` and `lost_reason` complete a move to a won or lost stage for
    the items that lack them; they are not written otherwise.
    """
    if stage is None and owner is None:
        raise ValidationError(_("Choose a stage or an owner to change."))
    if len(items) > BULK_MAX_ITEMS:
        raise ValidationError(
            _("Change at most %(max)d opportunities at once.") % {"max": BULK_MAX_ITEMS}
        )
    found = {
        opportunity.pk: opportunity
        for opportunity in Opportunity.objects.filter(
            merger=merger, pk__in=[pk for pk, _version in items]
        )
        .select_related("account", "product__company", "stage", "owner__user")
        .order_by()
    }
    results = []
    for pk, version in items:
        opportunity = found.get(pk)
        if opportunity is None:
            results.append(
                BulkItemResult(
                    pk,
                    BulkStatus.REFUSED,
                    message=_("No such opportunity in this program."),
                )
            )
            continue
        changes = _changes_for(
            opportunity, stage=stage, owner=owner, closed_on=closed_on, lost_reason=lost_reason
        )
        results.append(
            _apply(actor=actor, opportunity=opportunity, version=version, changes=changes)
        )
    return BulkOutcome(results)


def _changes_for(
    opportunity: Opportunity,
    *,
    stage: Stage | None,
    owner: Rep | None,
    closed_on: dt.date | None,
    lost_reason: str,
) -> dict:
    changes: dict = {}
    if stage is not None and stage.pk != opportunity.stage_id:
        changes["stage"] = stage
        if stage.outcome == Stage.Outcome.WON and closed_on and opportunity.closed_on is None:
            changes["closed_on"] = closed_on
        if stage.outcome == Stage.Outcome.LOST:
            if closed_on and opportunity.closed_on is None:
                changes["closed_on"] = closed_on
            if lost_reason.strip() and not opportunity.lost_reason:
                changes["lost_reason"] = lost_reason.strip()
    if owner is not None and owner.pk != opportunity.owner_id:
        changes["owner"] = owner
    return changes


def _apply(
    *, actor: User, opportunity: Opportunity, version: int, changes: dict
) -> BulkItemResult:
    pk = opportunity.pk
    if not changes:
        return BulkItemResult(pk, BulkStatus.UNCHANGED, version=opportunity.version)
    try:
        updated = opportunity_update(
            actor=actor, opportunity=opportunity, expected_version=version, changes=changes
        )
    except StaleVersion as exc:
        return _refused(pk, exc.message)
    except PermissionDenied as exc:
        return _refused(pk, str(exc) or _("You may not change this opportunity."))
    except ValidationError as exc:
        return _refused(pk, " ".join(exc.messages))
    return BulkItemResult(pk, BulkStatus.CHANGED, version=updated.version)


def _refused(pk: int, message: str) -> BulkItemResult:
    return BulkItemResult(pk, BulkStatus.REFUSED, message=message)
