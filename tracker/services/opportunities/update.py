"""Changes to an opportunity that exists: an edit (a stage move or a close is one) and a
reopen. Both name the version they read and go through one compare-and-set.
"""

import copy
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Kind, RecordChange
from accounts.services.history import Action as Did
from accounts.services.history import history_entries_write
from core.access import Action, User
from tracker.figures import PROGRESS_FIELDS
from tracker.models import Opportunity, Stage
from tracker.services.opportunities.amounts import convert_amount
from tracker.services.opportunities.rules import duplicate_guard, validate
from tracker.services.opportunities.screens import (
    derive_direction,
    require_no_warnings,
    risk_override,
)
from tracker.services.opportunities.shared import (
    CURRENCY_FIELD,
    EDITABLE_FIELDS,
    OPEN,
    TRACKED_FIELDS,
    WARNED_FIELDS,
    WON,
    WRITTEN_FIELDS,
    announce,
    apply_stage,
    check_version,
    entry,
    override_row,
    require,
    shown,
    stale,
)
from tracker.services.won_sales import deals_changed


def opportunity_update(
    *,
    actor: User,
    opportunity: Opportunity,
    expected_version: int,
    changes: dict[str, Any],
    risk_override_reason: str = "",
    warnings_confirmed: bool = True,
) -> Opportunity:
    """Applies `changes` if the opportunity is still at `expected_version`.

    A new stage brings its outcome and its default probability, unless it is
    open and `probability` is among the changes. A closed opportunity is not
    reopened by a stage change: that is `opportunity_reopen`. Moving it onto a
    "don't sell" account, or making it a cross-sell on an "upsell only" one,
    needs a leader's `risk_override_reason`.
    """
    unknown = sorted(set(changes) - {*EDITABLE_FIELDS, CURRENCY_FIELD})
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    require(actor, Action.CHANGE, opportunity)
    check_version(opportunity, expected_version)
    updated = copy.copy(opportunity)
    for field, value in changes.items():
        if field not in ("stage", "probability"):
            setattr(updated, field, value)
    if "stage" in changes:
        if not opportunity.is_open and changes["stage"].outcome == OPEN:
            raise ValidationError(
                {"stage": _("A closed opportunity is reopened with the reopen action.")}
            )
        apply_stage(updated, stage=changes["stage"], probability=changes.get("probability"))
    elif "probability" in changes:
        updated.probability = changes["probability"]
    if "account" in changes:
        updated.segment_id = updated.account.segment_id
    if CURRENCY_FIELD in changes:
        updated.currency = str(changes[CURRENCY_FIELD]).strip().upper()
    entered = "amount" in changes or CURRENCY_FIELD in changes
    if entered or "closed_on" in changes or "stage" in changes:
        # Only what changes the amount or its month converts again; an open deal
        # follows the current month's rate when sales ops saves it.
        convert_amount(updated, entered=entered)
    if "owner" in changes:
        require(
            actor,
            Action.CHANGE,
            updated,
            message=_("You cannot hand this opportunity to a rep you do not cover."),
        )
    override, risk = "", {}
    became_cross_sell = updated.kind == Kind.CROSS_SELL and opportunity.kind != Kind.CROSS_SELL
    if updated.account_id != opportunity.account_id or became_cross_sell:
        override, risk = risk_override(
            actor=actor, account=updated.account, kind=updated.kind, reason=risk_override_reason
        )
    moved = updated.account_id != opportunity.account_id
    if moved or updated.product_id != opportunity.product_id or "direction" in changes:
        risk = risk | derive_direction(updated, asked=changes.get("direction"))
    validate(updated, new_product=updated.product_id != opportunity.product_id, extra=risk)
    if not warnings_confirmed and any(
        _raw(updated, field) != _raw(opportunity, field) for field in WARNED_FIELDS
    ):
        require_no_warnings(updated)
    return _write(
        actor=actor,
        before=opportunity,
        after=updated,
        expected_version=expected_version,
        override=override,
    )


def opportunity_reopen(
    *,
    actor: User,
    opportunity: Opportunity,
    expected_version: int,
    stage: Stage | None = None,
    expected_close: dt.date | None = None,
) -> Opportunity:
    """Puts a closed opportunity back into an open stage (the program's first by default)."""
    require(actor, Action.CHANGE, opportunity)
    if opportunity.is_open:
        raise ValidationError(_("The opportunity is already open."))
    check_version(opportunity, expected_version)
    if stage is None:
        stage = (
            Stage.objects.filter(merger_id=opportunity.merger_id, outcome=OPEN)
            .order_by("order")
            .first()
        )
        if stage is None:
            raise ValidationError({"stage": _("The program has no open stage.")})
    if stage.outcome != OPEN:
        raise ValidationError({"stage": _("Reopen into an open stage.")})
    reopened = copy.copy(opportunity)
    apply_stage(reopened, stage=stage, probability=None)
    reopened.closed_on = None
    reopened.lost_reason = ""
    if expected_close is not None:
        reopened.expected_close = expected_close
    validate(reopened, new_product=False)
    return _write(
        actor=actor,
        before=opportunity,
        after=reopened,
        expected_version=expected_version,
        reopening=True,
    )


def _write(
    *,
    actor: User,
    before: Opportunity,
    after: Opportunity,
    expected_version: int,
    reopening: bool = False,
    override: str = "",
) -> Opportunity:
    changed = [field for field in TRACKED_FIELDS if _raw(before, field) != _raw(after, field)]
    if not changed and not reopening:
        return before
    now = timezone.now()
    values = {_attname(field): _raw(after, field) for field in WRITTEN_FIELDS}
    if override:
        after.risk_override_reason, after.risk_override_by = override, actor
        values.update(risk_override_reason=override, risk_override_by=actor)
    after.version = expected_version + 1
    after.updated_at = now
    moved = reopening or any(field in PROGRESS_FIELDS for field in changed)
    progress = {"progressed_at": now} if moved else {}
    if moved:
        after.progressed_at = now
    if reopening:
        after.reopen_count = before.reopen_count + 1
    if after.outcome != WON:
        # Only a won deal holds a sale (a database constraint); the sync below removes it.
        after.holding_id = None
        values["holding"] = None
    with duplicate_guard(after), transaction.atomic():
        # Compare-and-set: a concurrent writer raised the version and this matches no row.
        written = Opportunity.objects.filter(pk=before.pk, version=expected_version).update(
            **values,
            version=after.version,
            updated_at=now,
            reopen_count=after.reopen_count,
            **progress,
        )
        if not written:
            raise stale(before, expected_version)
        rows = _change_rows(
            actor=actor, before=before, after=after, fields=changed, at=now, reopening=reopening
        )
        if override:
            rows.append(
                override_row(
                    opportunity=after, actor=actor, at=now, old=before.risk_override_reason
                )
            )
        history_entries_write(rows)
        if _changes_install_base_or_pipeline(before, after, changed):
            links = deals_changed(
                merger_id=after.merger_id,
                pairs={
                    (before.account_id, before.product_id),
                    (after.account_id, after.product_id),
                },
            )
            after.holding_id = links.get(after.pk, after.holding_id)
        announce(after.merger_id)
    return after


def _changes_install_base_or_pipeline(
    before: Opportunity, after: Opportunity, changed: list[str]
) -> bool:
    """A won sale is held by account, product, amount and close date; an open deal keeps its
    pair out of the whitespace. Other fields (owner, next step, ...) change neither."""
    return before.outcome != after.outcome or bool(
        {"account", "product", "amount", "closed_on"} & set(changed)
    )


def _change_rows(
    *,
    actor: User,
    before: Opportunity,
    after: Opportunity,
    fields: list[str],
    at: dt.datetime,
    reopening: bool,
) -> list[RecordChange]:
    if not fields:
        return []
    changes = {field: [shown(before, field), shown(after, field)] for field in fields}
    action = Did.REOPENED if reopening else Did.CHANGED
    return [entry(after, actor=actor, at=at, action=action, changes=changes)]


def _attname(field: str) -> str:
    return Opportunity._meta.get_field(field).attname


def _raw(opportunity: Opportunity, field: str) -> Any:
    return getattr(opportunity, _attname(field))
