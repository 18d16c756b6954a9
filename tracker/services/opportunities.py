"""Writes of cross-sell opportunities; every write leaves history rows behind.

The guardrails come from the domain: a stated customer need, one open
opportunity per account and product, closed won with an amount and a date,
closed lost with a reason, no selling to an account the risk screen marks
"don't sell" (and no cross-sell where it says "upsell only") without a leader's
stated override, and a record of who changed
what, when, from what to what. Concurrent edits are refused rather than
merged: an update names the version it read and is written only if the row
still has that version. Rules of thumb (upsell size, tiny cross-sell deals)
only warn: a caller that wants the seller to confirm passes
`warnings_confirmed=False` and gets `WarningsNotConfirmed` back instead of a
write.
"""

import copy
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ZERO, Direction, Kind, Merger, Product, RecordChange, UnifiedAccount
from accounts.money import MissingRate, conversion_month, is_currency_code, to_reporting
from accounts.selectors.exchange_rates import rates_of
from accounts.services.history import Action as Did
from accounts.services.history import (
    history_entries_write,
    history_entry,
    history_record,
    history_snapshot,
)
from core.access import Action, Role, User, allowed, has_role
from core.signals import program_data_changed
from tracker.figures import PROGRESS_FIELDS
from tracker.models import MAX_CUSTOMER_NEED, Opportunity, Rep, Stage
from tracker.opportunity_rules import RuleWarning
from tracker.selectors.directions import direction_for
from tracker.selectors.opportunities import opportunity_warnings_for
from tracker.services.credits import credit_summary
from tracker.services.won_sales import deals_changed

OPEN, WON, LOST = Stage.Outcome.OPEN, Stage.Outcome.WON, Stage.Outcome.LOST

EDITABLE_FIELDS = (
    "account",
    "product",
    "owner",
    "stage",
    "kind",
    "direction",
    "probability",
    "amount",
    "expected_close",
    "closed_on",
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
DONT_SELL = UnifiedAccount.Recommendation.DONT_SELL
UPSELL_ONLY = UnifiedAccount.Recommendation.UPSELL_ONLY

type Problems = dict[str, list[str]]


class StaleVersion(Exception):
    """The opportunity changed since the client read it; nothing was written."""

    def __init__(self, *, opportunity_id: int, expected: int, current: int | None) -> None:
        self.opportunity_id = opportunity_id
        self.expected = expected
        self.current = current
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.current is None:
            return _("Opportunity %(id)s was deleted after you read it.") % {
                "id": self.opportunity_id
            }
        return _(
            "Opportunity %(id)s was changed by someone else after you read it (you sent "
            "version %(expected)s, it is now at version %(current)s). Reload it and apply "
            "your change again."
        ) % {"id": self.opportunity_id, "expected": self.expected, "current": self.current}


class DuplicateOpen(ValidationError):
    """The account already has an open opportunity for the product; names the first one."""

    def __init__(self, problems: Problems, *, existing_id: int | None) -> None:
        super().__init__(problems)
        self.existing_id = existing_id


class WarningsNotConfirmed(Exception):
    """Rules of thumb warn and the caller asked to confirm first; nothing was written."""

    def __init__(self, warnings: list[RuleWarning]) -> None:
        self.warnings = warnings
        super().__init__("; ".join(warning.message for warning in warnings))


def opportunity_problems(
    *,
    outcome: str,
    amount: Decimal,
    probability: int,
    closed_on: dt.date | None,
    lost_reason: str,
    customer_need: str,
    kind: str,
    direction: str,
    today: dt.date,
) -> Problems:
    """The rules an opportunity's own values must satisfy, by field; empty if none broken."""
    problems: Problems = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not customer_need.strip():
        add("customer_need", _("Say why the customer needs it."))
    elif len(customer_need) > MAX_CUSTOMER_NEED:
        add(
            "customer_need",
            _("Say it in at most %(max)d characters.") % {"max": MAX_CUSTOMER_NEED},
        )
    if kind not in Kind.values:
        add("kind", _("Unknown kind."))
    if direction not in Direction.values:
        add("direction", _("Unknown direction."))
    if amount < ZERO:
        add("amount", _("The amount cannot be negative."))
    if not 0 <= probability <= 100:
        add("probability", _("The probability is a percentage from 0 to 100."))
    if outcome == WON:
        if amount <= ZERO:
            add("amount", _("A won opportunity needs an amount above zero."))
        if closed_on is None:
            add("closed_on", _("A won opportunity needs a close date."))
        if probability != 100:
            add("probability", _("A won opportunity has a probability of 100%."))
    elif outcome == LOST:
        if not lost_reason.strip():
            add("lost_reason", _("A lost opportunity needs a reason."))
        if probability != 0:
            add("probability", _("A lost opportunity has a probability of 0%."))
    elif closed_on is not None:
        add("closed_on", _("An open opportunity has no close date."))
    if closed_on is not None and closed_on > today:
        add("closed_on", _("The close date cannot be in the future."))
    return problems


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
    _apply_stage(opportunity, stage=stage, probability=probability)
    opportunity.currency = currency.strip().upper()
    _to_reporting(opportunity, entered=True)
    if not allowed(actor, Action.CREATE, "opportunity", opportunity):
        raise PermissionDenied(_("You can log opportunities only for reps you cover."))
    override, risk = _risk_override(
        actor=actor, account=account, kind=kind, reason=risk_override_reason
    )
    risk |= _derive_direction(opportunity, asked=direction)
    _validate(opportunity, new_product=True, extra=risk)
    if not warnings_confirmed:
        _require_no_warnings(opportunity)
    if override:
        opportunity.risk_override_reason = override
        opportunity.risk_override_by = actor
    with _duplicate_guard(opportunity), transaction.atomic():
        opportunity.save(force_insert=True)
        first = {field: ["", _shown(opportunity, field)] for field in TRACKED_FIELDS}
        rows = [
            _entry(
                opportunity,
                actor=actor,
                at=now,
                action=Did.CREATED,
                changes={field: values for field, values in first.items() if values[1]},
            )
        ]
        if override:
            rows.append(_override_row(opportunity=opportunity, actor=actor, at=now, old=""))
        history_entries_write(rows)
        links = deals_changed(
            merger_id=opportunity.merger_id,
            pairs={(opportunity.account_id, opportunity.product_id)},
        )
        opportunity.holding_id = links.get(opportunity.pk)
        _announce(opportunity.merger_id)
    return opportunity


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
    _require(actor, Action.CHANGE, opportunity)
    _check_version(opportunity, expected_version)
    updated = copy.copy(opportunity)
    for field, value in changes.items():
        if field not in ("stage", "probability"):
            setattr(updated, field, value)
    if "stage" in changes:
        if not opportunity.is_open and changes["stage"].outcome == OPEN:
            raise ValidationError(
                {"stage": _("A closed opportunity is reopened with the reopen action.")}
            )
        _apply_stage(updated, stage=changes["stage"], probability=changes.get("probability"))
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
        _to_reporting(updated, entered=entered)
    if "owner" in changes:
        _require(
            actor,
            Action.CHANGE,
            updated,
            message=_("You cannot hand this opportunity to a rep you do not cover."),
        )
    override, risk = "", {}
    became_cross_sell = updated.kind == Kind.CROSS_SELL and opportunity.kind != Kind.CROSS_SELL
    if updated.account_id != opportunity.account_id or became_cross_sell:
        override, risk = _risk_override(
            actor=actor, account=updated.account, kind=updated.kind, reason=risk_override_reason
        )
    moved = updated.account_id != opportunity.account_id
    if moved or updated.product_id != opportunity.product_id or "direction" in changes:
        risk = risk | _derive_direction(updated, asked=changes.get("direction"))
    _validate(updated, new_product=updated.product_id != opportunity.product_id, extra=risk)
    if not warnings_confirmed and any(
        _raw(updated, field) != _raw(opportunity, field) for field in WARNED_FIELDS
    ):
        _require_no_warnings(updated)
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
    _require(actor, Action.CHANGE, opportunity)
    if opportunity.is_open:
        raise ValidationError(_("The opportunity is already open."))
    _check_version(opportunity, expected_version)
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
    _apply_stage(reopened, stage=stage, probability=None)
    reopened.closed_on = None
    reopened.lost_reason = ""
    if expected_close is not None:
        reopened.expected_close = expected_close
    _validate(reopened, new_product=False)
    return _write(
        actor=actor,
        before=opportunity,
        after=reopened,
        expected_version=expected_version,
        reopening=True,
    )


def opportunity_delete(
    *, actor: User, opportunity: Opportunity, expected_version: int | None = None
) -> None:
    """Deletes an opportunity; with a version, only if still at it.

    Its history stays (the change log keeps its id) and gains a last row: who
    deleted it, with its last values and credit.
    """
    _require(actor, Action.DELETE, opportunity)
    rows = Opportunity.objects.filter(pk=opportunity.pk)
    if expected_version is not None:
        _check_version(opportunity, expected_version)
        rows = rows.filter(version=expected_version)
    with transaction.atomic():
        pairs = set(rows.values_list("account_id", "product_id"))
        last = history_snapshot(opportunity)
        last["credit"] = credit_summary(list(opportunity.credits.select_related("rep__user")))
        history_record(actor=actor, instance=opportunity, action=Did.DELETED, before=last)
        deleted, _counts = rows.delete()
        if not deleted:
            raise _stale(opportunity, expected_version or opportunity.version)
        # A won deal's sale leaves the install base with it.
        deals_changed(merger_id=opportunity.merger_id, pairs=pairs)
        _announce(opportunity.merger_id)


def _announce(merger_id: int) -> None:
    """Scores and dashboards read opportunities: tell them once the write commits."""
    transaction.on_commit(
        partial(program_data_changed.send, sender=Opportunity, merger_id=merger_id)
    )


def _risk_override(
    *, actor: User, account: UnifiedAccount, kind: str, reason: str
) -> tuple[str, Problems]:
    """(the override reason to record, problems) for selling `kind` to this account.

    Both are empty unless the risk screen says "don't sell", or "upsell only"
    and this is a cross-sell: then a rep is refused and told whom to ask, and a
    leader must say why they override.
    """
    restricted = account.recommendation == DONT_SELL or (
        account.recommendation == UPSELL_ONLY and kind == Kind.CROSS_SELL
    )
    if not restricted:
        return "", {}
    dont_sell = account.recommendation == DONT_SELL
    if not has_role(actor, Role.LEADER, Role.OPS):
        return "", _refusal(account, dont_sell=dont_sell)
    reason = reason.strip()
    if not reason:
        if dont_sell:
            message = _(
                "The risk screen says not to sell to this account. Give the reason for "
                "overriding it; it is recorded with your name."
            )
        else:
            message = _(
                "The risk screen says upsell only for this account. Give the reason for "
                "logging a cross-sell anyway; it is recorded with your name."
            )
        return "", {"risk_override_reason": [message]}
    return reason[:500], {}


def _refusal(account: UnifiedAccount, *, dont_sell: bool) -> Problems:
    if dont_sell:
        message = _(
            "The risk screen says not to sell to %(account)s. Ask your sales leader: only "
            "a leader can log an opportunity here, with a reason for overriding the screen."
        ) % {"account": account.name}
        return {"account": [message]}
    message = _(
        "The risk screen says upsell only for %(account)s: cross-buying would only move its "
        "money around. Log an upsell, or ask your sales leader: only a leader can log a "
        "cross-sell here, with a reason for overriding the screen."
    ) % {"account": account.name}
    return {"kind": [message]}


def _derive_direction(opportunity: Opportunity, *, asked: str | None) -> Problems:
    """Sets the direction the Day-1 install base gives; a different one asked for is a
    problem, never a choice: it decides whether the deal counts as synergy."""
    if opportunity.account.merger_id != opportunity.product.company.merger_id:
        return {}  # _program_problems names the field from another program
    opportunity.direction = direction_for(account=opportunity.account, product=opportunity.product)
    if not asked or asked == opportunity.direction:
        return {}
    message = _(
        "The direction of this sale is “%(direction)s”: it follows from whether "
        "%(company)s had %(account)s as a customer on Day 1, as the install base says."
    ) % {
        "direction": Direction(opportunity.direction).label,
        "company": opportunity.product.company.name,
        "account": opportunity.account.name,
    }
    return {"direction": [message]}


def _require_no_warnings(opportunity: Opportunity) -> None:
    warnings = opportunity_warnings_for(
        account_id=opportunity.account_id,
        product=opportunity.product,
        kind=opportunity.kind,
        amount=opportunity.amount,
        owner=opportunity.owner,
    )
    if warnings:
        raise WarningsNotConfirmed(warnings)


def _entry(
    opportunity: Opportunity, *, actor: User | None, at: dt.datetime, action: str, changes: dict
) -> RecordChange:
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


def _override_row(
    *, opportunity: Opportunity, actor: User, at: dt.datetime, old: str
) -> RecordChange:
    reason = ["" if old is None else old, opportunity.risk_override_reason]
    return _entry(
        opportunity,
        actor=actor,
        at=at,
        action=Did.OVERRIDDEN,
        changes={"risk_override_reason": reason},
    )


def _apply_stage(opportunity: Opportunity, *, stage: Stage, probability: int | None) -> None:
    opportunity.stage = stage
    opportunity.outcome = stage.outcome
    # Won is 100% and lost 0% by definition; a given probability counts only while open.
    keep_given = probability is not None and stage.outcome == OPEN
    opportunity.probability = probability if keep_given else stage.probability


def _require(
    actor: User, action: Action, opportunity: Opportunity, message: str | None = None
) -> None:
    if not allowed(actor, action, "opportunity", opportunity):
        raise PermissionDenied(message or _("You may not change this opportunity."))


def _check_version(opportunity: Opportunity, expected_version: int) -> None:
    if opportunity.version != expected_version:
        raise StaleVersion(
            opportunity_id=opportunity.pk,
            expected=expected_version,
            current=opportunity.version,
        )


def _stale(opportunity: Opportunity, expected_version: int) -> StaleVersion:
    current = (
        Opportunity.objects.filter(pk=opportunity.pk).values_list("version", flat=True).first()
    )
    return StaleVersion(opportunity_id=opportunity.pk, expected=expected_version, current=current)


def _to_reporting(opportunity: Opportunity, *, entered: bool) -> None:
    """The reporting amount from the amount as entered, at the rate of the deal's month
    (its close month once closed, else this month); refused when that rate is missing.

    `entered`: `amount` holds what the user typed, in the deal's currency.
    """
    reporting = opportunity.merger.reporting_currency
    opportunity.currency = opportunity.currency or reporting
    if entered or opportunity.amount_original is None:
        opportunity.amount_original = opportunity.amount
    if not is_currency_code(opportunity.currency):
        raise ValidationError(
            {
                "currency": _("'%(value)s' is not an ISO 4217 currency code.")
                % {"value": opportunity.currency}
            }
        )
    today = timezone.localdate()
    month = conversion_month(closed_on=opportunity.closed_on, today=today)
    converted = to_reporting(
        amount=opportunity.amount_original,
        currency=opportunity.currency,
        month=month,
        reporting_currency=reporting,
        rates=rates_of(merger_id=opportunity.merger_id, pairs=[(opportunity.currency, month)]),
    )
    if isinstance(converted, MissingRate):
        raise ValidationError(
            {
                "amount": _("%(missing)s Sales ops enters it under Exchange rates.")
                % {"missing": converted}
            }
        )
    opportunity.amount = converted


def _validate(
    opportunity: Opportunity, *, new_product: bool, extra: Problems | None = None
) -> None:
    problems = _program_problems(opportunity, new_product=new_product)
    for field, messages in _date_problems(opportunity, today=timezone.localdate()).items():
        problems.setdefault(field, []).extend(messages)
    for field, messages in (extra or {}).items():
        problems.setdefault(field, []).extend(messages)
    for field, messages in opportunity_problems(
        outcome=opportunity.outcome,
        amount=opportunity.amount,
        probability=opportunity.probability,
        closed_on=opportunity.closed_on,
        lost_reason=opportunity.lost_reason,
        customer_need=opportunity.customer_need,
        kind=opportunity.kind,
        direction=opportunity.direction,
        today=timezone.localdate(),
    ).items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    _raise_if_duplicate(opportunity)


# How far from the program's Day 1 and from today a deal's dates may lie.
DATE_SLACK_YEARS = 10


def opportunity_date_range(*, day_one: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates an opportunity may name: Day 1 - 10 years to today + 10 years."""
    return _years_from(day_one, -DATE_SLACK_YEARS), _years_from(today, DATE_SLACK_YEARS)


def _years_from(day: dt.date, years: int) -> dt.date:
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def _date_problems(opportunity: Opportunity, *, today: dt.date) -> Problems:
    first, last = opportunity_date_range(day_one=opportunity.merger.day_one, today=today)
    message = _("Give a date from %(first)s to %(last)s.") % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    return {
        field: [message]
        for field in ("expected_close", "closed_on")
        if (value := getattr(opportunity, field)) is not None and not first <= value <= last
    }


def _program_problems(opportunity: Opportunity, *, new_product: bool) -> Problems:
    problems: Problems = {}
    elsewhere = _("It belongs to another program.")
    merger_ids = {
        "account": opportunity.account.merger_id,
        "product": opportunity.product.company.merger_id,
        "owner": opportunity.owner.merger_id,
        "stage": opportunity.stage.merger_id,
    }
    for field, merger_id in merger_ids.items():
        if merger_id != opportunity.merger_id:
            problems[field] = [elsewhere]
    if not opportunity.owner.is_active and "owner" not in problems:
        problems["owner"] = [_("The owner is no longer an active rep.")]
    if new_product and not opportunity.product.is_active and "product" not in problems:
        problems["product"] = [_("The product is no longer offered.")]
    return problems


def _first_open_id(opportunity: Opportunity) -> int | None:
    if opportunity.outcome != OPEN:
        return None
    return (
        Opportunity.objects.filter(
            account_id=opportunity.account_id, product_id=opportunity.product_id, outcome=OPEN
        )
        .exclude(pk=opportunity.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _raise_if_duplicate(opportunity: Opportunity) -> None:
    problems = _duplicate_problems(opportunity)
    if problems:
        raise DuplicateOpen(problems, existing_id=_first_open_id(opportunity))


def _duplicate_problems(opportunity: Opportunity) -> Problems:
    first = _first_open_id(opportunity)
    if first is None:
        return {}
    message = _(
        "This account already has an open opportunity for this product: #%(id)s. "
        "Work on that one instead."
    ) % {"id": first}
    return {"product": [message]}


@contextmanager
def _duplicate_guard(opportunity: Opportunity) -> Iterator[None]:
    """A concurrent duplicate passes the check and meets the DB constraint instead."""
    try:
        yield
    except IntegrityError:
        problems = _duplicate_problems(opportunity)
        if problems:
            raise DuplicateOpen(problems, existing_id=_first_open_id(opportunity)) from None
        raise


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
    with _duplicate_guard(after), transaction.atomic():
        # Compare-and-set: a concurrent writer raised the version and this matches no row.
        written = Opportunity.objects.filter(pk=before.pk, version=expected_version).update(
            **values,
            version=after.version,
            updated_at=now,
            reopen_count=after.reopen_count,
            **progress,
        )
        if not written:
            raise _stale(before, expected_version)
        rows = _change_rows(
            actor=actor, before=before, after=after, fields=changed, at=now, reopening=reopening
        )
        if override:
            rows.append(
                _override_row(
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
        _announce(after.merger_id)
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
    changes = {field: [_shown(before, field), _shown(after, field)] for field in fields}
    action = Did.REOPENED if reopening else Did.CHANGED
    return [_entry(after, actor=actor, at=at, action=action, changes=changes)]


def _attname(field: str) -> str:
    return Opportunity._meta.get_field(field).attname


def _raw(opportunity: Opportunity, field: str) -> Any:
    return getattr(opportunity, _attname(field))


def _shown(opportunity: Opportunity, field: str) -> str:
    """The value as the history shows it; related objects by name and id."""
    value = getattr(opportunity, field)
    if value is None:
        return ""
    if Opportunity._meta.get_field(field).is_relation:
        return f"{value} (#{value.pk})"[:500]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:500]
