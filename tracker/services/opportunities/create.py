"""Logging a new opportunity, with its first history row."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ZERO, Kind, Merger, Product, UnifiedAccount
from accounts.services.history import Action as Did
from accounts.services.history import history_entries_write
from core.access import Action, User, allowed
from tracker.models import Opportunity, Rep, Stage
from tracker.services.opportunities.amounts import convert_amount
from tracker.services.opportunities.rules import duplicate_guard, validate
from tracker.services.opportunities.screens import (
    derive_direction,
    require_no_warnings,
    risk_override,
)
from tracker.services.opportunities.shared import (
    TRACKED_FIELDS,
    announce,
    apply_stage,
    entry,
    override_row,
    shown,
)
from tracker.services.won_sales import deals_changed


def opportunity_create(
    *,
    actor: User,
    merger: Merger,
    account: UnifiedAccount,
    product: Product,
    owner: Rep,
    stage: Stage,
    expected_close: dt.date,
    customer_need: str,
    direction: str | None = None,
    kind: str = Kind.CROSS_SELL,
    probability: int | None = None,
    amount: Decimal = ZERO,
    closed_on: dt.date | None = None,
    next_step: str = "",
    lost_reason: str = "",
    source: str = Opportunity.Source.MANUAL,
    risk_override_reason: str = "",
    warnings_confirmed: bool = True,
    currency: str = "",
) -> Opportunity:
    """Logs an opportunity; its probability defaults to the stage's.

    `amount` is in `currency` (blank: the reporting currency) and is converted at
    the rate of the deal's month; without that rate the deal is refused.

    On a "don't sell" account only a sales leader (or sales ops) may log it,
    and only with `risk_override_reason`; the same holds for a cross-sell on an
    "upsell only" account, where anyone may log an upsell.
    """
    now = timezone.now()
    opportunity = Opportunity(
        merger=merger,
        account=account,
        product=product,
        owner=owner,
        segment_id=account.segment_id,
        kind=kind,
        amount=amount,
        expected_close=expected_close,
        closed_on=closed_on,
        customer_need=customer_need,
        next_step=next_step,
        lost_reason=lost_reason,
        source=source,
        created_by=actor,
        created_at=now,
        updated_at=now,
        progressed_at=now,
    )
    apply_stage(opportunity, stage=stage, probability=probability)
    opportunity.currency = currency.strip().upper()
    convert_amount(opportunity, entered=True)
    if not allowed(actor, Action.CREATE, "opportunity", opportunity):
        raise PermissionDenied(_("You can log opportunities only for reps you cover."))
    override, risk = risk_override(
        actor=actor, account=account, kind=kind, reason=risk_override_reason
    )
    risk |= derive_direction(opportunity, asked=direction)
    validate(opportunity, new_product=True, extra=risk)
    if not warnings_confirmed:
        require_no_warnings(opportunity)
    if override:
        opportunity.risk_override_reason = override
        opportunity.risk_override_by = actor
    with duplicate_guard(opportunity), transaction.atomic():
        opportunity.save(force_insert=True)
        first = {field: ["", shown(opportunity, field)] for field in TRACKED_FIELDS}
        rows = [
            entry(
                opportunity,
                actor=actor,
                at=now,
                action=Did.CREATED,
                changes={field: values for field, values in first.items() if values[1]},
            )
        ]
        if override:
            rows.append(override_row(opportunity=opportunity, actor=actor, at=now, old=""))
        history_entries_write(rows)
        links = deals_changed(
            merger_id=opportunity.merger_id,
            pairs={(opportunity.account_id, opportunity.product_id)},
        )
        opportunity.holding_id = links.get(opportunity.pk)
        announce(opportunity.merger_id)
    return opportunity
