"""Writes of quotas: one rep at a time, a leader's grid, and sales ops' CSV import.

Every write keeps its changed fields in the quota's history (who, when, from, to).
Concurrent edits are refused rather than merged: a write names the version it
read (0 for "there is no quota yet") and goes through only if the row is still
at that version, by a compare-and-set UPDATE, so of two saves at the same
version exactly one wins and the other gets a QuotaConflict.
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger, RecordChange
from accounts.money import MissingRate, amounts_to_reporting
from accounts.services.history import history_entries_write, history_entry
from core.access import Action, Role, User, allowed, roles_of
from core.dates import FIRST_YEAR, LAST_YEAR, date_plausible
from core.programs import merger_ids_for
from core.signals import program_data_changed
from tracker.models import Quota, Rep
from tracker.quota_csv import QuotaLine, RowError, read_quota_file
from tracker.quota_math import Period, PeriodError, overlapping, period_of
from tracker.services.entered_money import (
    entered_currency,
    entered_to_reporting,
    missing_rate_message,
    rates_for,
)

# The fields a quota write may change, in the order history shows them. The
# amounts are in the reporting currency; the originals as entered, in `currency`.
TRACKED = (
    "period_kind",
    "currency",
    "core_amount_original",
    "cross_sell_amount_original",
    "core_amount",
    "cross_sell_amount",
)
MAX_AMOUNT = Decimal(10) ** 14
CENT = Decimal("0.01")


class QuotaConflict(Exception):
    """The quota changed since it was read; nothing was written."""

    def __init__(self, *, rep: Rep, period: Period, expected: int | None, current: Quota | None):
        self.rep = rep
        self.period = period
        self.expected = expected
        self.current = current
        super().__init__(self.message)

    @property
    def current_version(self) -> int:
        return self.current.version if self.current is not None else 0

    @property
    def message(self) -> str:
        current = self.current
        values = {"rep": str(self.rep), "period": self.period.code}
        if current is None:
            return (
                _("The quota of %(rep)s for %(period)s no longer exists; reload the page.")
                % values
            )
        values |= {
            "core": current.core_amount,
            "cross": current.cross_sell_amount,
            "version": current.version,
        }
        if not self.expected:
            return (
                _(
                    "Someone else set the quota of %(rep)s for %(period)s meanwhile (core "
                    "%(core)s, cross-sell %(cross)s). Check it and save again to replace it."
                )
                % values
            )
        return (
            _(
                "Someone else changed the quota of %(rep)s for %(period)s after you read it "
                "(now core %(core)s, cross-sell %(cross)s, version %(version)s). Check it and "
                "save again to replace it."
            )
            % values
        )


@dataclass(frozen=True)
class QuotaRow:
    """One line of a leader's grid."""

    rep: Rep
    period_start: date
    period_kind: str
    core_amount: Any
    cross_sell_amount: Any
    expected_version: int | None = None
    currency: str = ""


class QuotaRowErrors(Exception):
    """Some rows of a grid were refused; no row was written."""

    def __init__(self, errors: dict[int, list[str]], conflicts: dict[int, QuotaConflict]):
        self.errors = errors
        self.conflicts = conflicts
        super().__init__(_("%(count)d rows could not be saved.") % {"count": len(errors)})


def quota_set(
    *,
    actor: User,
    rep: Rep,
    period_start: date,
    period_kind: str,
    core_amount: Any,
    cross_sell_amount: Any,
    expected_version: int | None = None,
    currency: str = "",
) -> Quota:
    """Creates or updates the rep's quota for the month or quarter holding `period_start`.

    The amounts are in `currency` (blank: the reporting currency) and convert at
    the rate of the period's first month; without that rate the write is refused.
    `expected_version` is the version read (0: no quota existed); None skips the
    check but a concurrent write between read and update is still refused.
    """
    period = quota_period(period_start=period_start, period_kind=period_kind)
    values = quota_values(
        rep=rep,
        period=period,
        currency=currency,
        core_amount=core_amount,
        cross_sell_amount=cross_sell_amount,
    )
    quota_require(actor=actor, rep=rep)
    with transaction.atomic():
        quota = _write(
            actor=actor,
            rep=rep,
            period=period,
            values=values,
            expected_version=expected_version,
        )
    _announce(rep.merger_id)
    return quota


def quotas_bulk_set(*, actor: User, rows: list[QuotaRow]) -> list[Quota]:
    """A leader's grid: every row is written, or none is; errors come back by row index."""
    errors: dict[int, list[str]] = {}
    conflicts: dict[int, QuotaConflict] = {}
    saved: list[Quota] = []
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                with transaction.atomic():
                    saved.append(_bulk_row(actor, row))
            except QuotaConflict as conflict:
                conflicts[index] = conflict
                errors[index] = [conflict.message]
            except PermissionDenied as denied:
                errors[index] = [str(denied) or _("You may not set this rep's quota.")]
            except ValidationError as invalid:
                errors[index] = invalid.messages
        if errors:
            raise QuotaRowErrors(errors, conflicts)
    for merger_id in {row.rep.merger_id for row in rows}:
        _announce(merger_id)
    return saved


def _bulk_row(actor: User, row: QuotaRow) -> Quota:
    period = quota_period(period_start=row.period_start, period_kind=row.period_kind)
    values = quota_values(
        rep=row.rep,
        period=period,
        currency=row.currency,
        core_amount=row.core_amount,
        cross_sell_amount=row.cross_sell_amount,
    )
    quota_require(actor=actor, rep=row.rep)
    return _write(
        actor=actor,
        rep=row.rep,
        period=period,
        values=values,
        expected_version=row.expected_version,
    )


# Rules shared by every write


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


# Writing


def _write(
    *,
    actor: User,
    rep: Rep,
    period: Period,
    values: dict[str, Any],
    expected_version: int | None,
) -> Quota:
    _lock_reps([rep.pk])
    existing = _current(rep, period)
    if existing is None:
        if expected_version:
            raise QuotaConflict(rep=rep, period=period, expected=expected_version, current=None)
        try:
            _check_overlap(rep, period, exclude_id=None)
        except ValidationError:
            # Another writer may have created this very quota since `existing` was read.
            current = _current(rep, period)
            if current is not None:
                raise QuotaConflict(rep=rep, period=period, expected=0, current=current) from None
            raise
        return _create(actor=actor, rep=rep, period=period, values=values)
    if expected_version is not None and existing.version != expected_version:
        raise QuotaConflict(rep=rep, period=period, expected=expected_version, current=existing)
    after = {"period_kind": period.kind, **values}
    changed = [field for field in TRACKED if getattr(existing, field) != after[field]]
    if not changed:
        return existing
    if "period_kind" in changed:
        _check_overlap(rep, period, exclude_id=existing.pk)
    now = timezone.now()
    written = Quota.objects.filter(pk=existing.pk, version=existing.version).update(
        **after, version=existing.version + 1, updated_at=now
    )
    if not written:
        current = Quota.objects.filter(pk=existing.pk).first()
        raise QuotaConflict(rep=rep, period=period, expected=existing.version, current=current)
    history_entries_write(
        _changes(
            quota=existing,
            rep_name=str(rep),
            merger_id=rep.merger_id,
            before=existing,
            after=after,
            actor=actor,
            at=now,
            reporting=rep.merger.reporting_currency,
        )
    )
    for field, value in after.items():
        setattr(existing, field, value)
    existing.version += 1
    existing.updated_at = now
    return existing


def _lock_reps(rep_ids: Iterable[int]) -> None:
    """Writers of one rep's quotas take turns until their transaction ends.

    The overlap rule (a quarter and its months) reads the rep's other quotas
    before writing; two writers reading at once would both pass it. In order
    of id, so that two writers of several reps cannot wait on each other.
    SQLite ignores the lock and writes one transaction at a time anyway.
    """
    list(Rep.objects.select_for_update().filter(pk__in=list(rep_ids)).order_by("pk").values("pk"))


def _current(rep: Rep, period: Period) -> Quota | None:
    return Quota.objects.filter(rep=rep, period_start=period.start).first()


def _create(*, actor: User, rep: Rep, period: Period, values: dict[str, Any]) -> Quota:
    now = timezone.now()
    quota = Quota(rep=rep, period_kind=period.kind, period_start=period.start, version=1, **values)
    try:
        with transaction.atomic():
            quota.save(force_insert=True)
    except IntegrityError:
        # Another writer created the same rep's quota for the period first.
        current = Quota.objects.filter(rep=rep, period_start=period.start).first()
        if current is None:
            # Refused by the periods constraint: an overlapping quota came first.
            _check_overlap(rep, period, exclude_id=None)
        raise QuotaConflict(rep=rep, period=period, expected=0, current=current) from None
    history_entries_write(
        _changes(
            quota=quota,
            rep_name=str(rep),
            merger_id=rep.merger_id,
            before=None,
            after={field: getattr(quota, field) for field in TRACKED},
            actor=actor,
            at=now,
            reporting=rep.merger.reporting_currency,
        )
    )
    return quota


def _check_overlap(rep: Rep, period: Period, *, exclude_id: int | None) -> None:
    others = [
        Period(quota.period_start, quota.period_kind)
        for quota in rep_periods(rep_ids=[rep.pk], first=period.start, last=period.last_month).get(
            rep.pk, []
        )
        if quota.pk != exclude_id
    ]
    clash = overlapping(period, others)
    if clash is not None:
        raise ValidationError({"period_start": overlap_message(period, clash)})


# Kept in history only for a quota in (or from) another currency than the reporting
# one: otherwise they repeat the reporting amounts.
ENTERED = frozenset({"currency", "core_amount_original", "cross_sell_amount_original"})


def _changes(
    *,
    quota: Quota,
    rep_name: str,
    merger_id: int,
    before: Quota | None,
    after: dict[str, Any],
    actor: User,
    at: Any,
    reporting: str,
) -> list[RecordChange]:
    """The quota's change as its history keeps it: none if no kept field moved."""
    changes = {}
    foreign = {after["currency"], getattr(before, "currency", "") or reporting} != {reporting}
    for field in TRACKED:
        if field in ENTERED and not foreign:
            continue
        old = "" if before is None else str(getattr(before, field))
        new = str(after[field])
        if old != new:
            changes[field] = [old, new]
    if not changes:
        return []
    entry = history_entry(
        model=Quota,
        object_id=quota.pk,
        object_repr=f"{rep_name} {quota.period_start:%Y-%m}",
        merger_id=merger_id,
        action=RecordChange.Action.CREATED if before is None else RecordChange.Action.CHANGED,
        changes=changes,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at,
    )
    return [entry]


def _announce(merger_id: int) -> None:
    transaction.on_commit(lambda: program_data_changed.send(sender=Quota, merger_id=merger_id))


# Import by sales ops


@dataclass
class QuotaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    file_errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.file_errors)


def quota_import_csv(
    *, actor: User, merger: Merger, file: BinaryIO, dry_run: bool = False
) -> QuotaImportResult:
    """Sets quotas from a file (rep, period, core, cross_sell): every row, or none.

    Every row is checked first, against the file and the quotas already set;
    a re-import updates the quotas of the same rep and period, with history.
    A dry run checks and counts without writing.
    """
    if merger.pk not in merger_ids_for(actor) or not allowed(actor, Action.CREATE, "import"):
        raise PermissionDenied(_("Only sales ops import quotas."))
    parsed = read_quota_file(
        data=file,
        name=getattr(file, "name", "") or "quotas.csv",
        reps=_rep_keys(merger),
        currency=merger.reporting_currency,
    )
    result = QuotaImportResult(errors=parsed.errors, file_errors=parsed.file_errors)
    if not parsed.ok:
        return result
    converted = _import_convert(merger, parsed.lines, result)
    if not result.ok:
        return result
    with transaction.atomic():
        existing = _existing_for(parsed.lines)
        result.errors = _overlap_errors(parsed.lines, existing)
        if result.errors:
            return result
        new, changed = _import_plan(parsed.lines, converted, existing, result)
        if not dry_run:
            _import_write(
                actor=actor,
                merger=merger,
                new=new,
                changed=changed,
                reporting=merger.reporting_currency,
            )
    if not dry_run and (result.created or result.updated):
        _announce(merger.pk)
    return result


def _import_convert(
    merger: Merger, lines: list[QuotaLine], result: QuotaImportResult
) -> dict[int, dict[str, Any]]:
    """Each line's values (by row), converted at the rate of its period's first month;
    a line whose rate is missing is a row error naming the currency and month."""
    rates = rates_for(merger=merger, pairs=[(line.currency, line.period.start) for line in lines])
    converted: dict[int, dict[str, Any]] = {}
    for line in lines:
        currency = line.currency or merger.reporting_currency
        reporting = amounts_to_reporting(
            amounts={"core_amount": line.core, "cross_sell_amount": line.cross_sell},
            currency=currency,
            month=line.period.start,
            reporting_currency=merger.reporting_currency,
            rates=rates,
        )
        if isinstance(reporting, MissingRate):
            message = missing_rate_message(reporting)
            result.errors.append(RowError(line.row, line.currency_column, message))
            continue
        converted[line.row] = {
            **reporting,
            "currency": currency,
            "core_amount_original": line.core,
            "cross_sell_amount_original": line.cross_sell,
        }
    return converted


def _rep_keys(merger: Merger) -> dict[str, list[int]]:
    keys: dict[str, list[int]] = {}
    reps = Rep.objects.filter(merger=merger).values_list("id", "user__username", "user__email")
    for rep_id, username, email in reps:
        for key in {username.lower(), (email or "").lower()} - {""}:
            keys.setdefault(key, []).append(rep_id)
    return keys


def _existing_for(lines: list[QuotaLine]) -> dict[int, list[Quota]]:
    first = min(line.period.start for line in lines)
    last = max(line.period.last_month for line in lines)
    found: dict[int, list[Quota]] = {}
    _lock_reps({line.rep_id for line in lines})
    # Locked so that a leader's concurrent save waits for the import, then meets a new version.
    quotas = (
        Quota.objects.select_for_update()
        .filter(rep_id__in={line.rep_id for line in lines})
        .sharing_months(first, last)
    )
    for quota in quotas.order_by("period_start"):
        found.setdefault(quota.rep_id, []).append(quota)
    return found


def _overlap_errors(lines: list[QuotaLine], existing: dict[int, list[Quota]]) -> list[RowError]:
    """A row whose period shares a month with a quota set before, other than its own."""
    starts = {(line.rep_id, line.period.start) for line in lines}
    errors = []
    for line in lines:
        kept = [
            Period(quota.period_start, quota.period_kind)
            for quota in existing.get(line.rep_id, [])
            if (line.rep_id, quota.period_start) not in starts
        ]
        clash = overlapping(line.period, kept)
        if clash is not None:
            errors.append(RowError(line.row, "period", overlap_message(line.period, clash)))
    return errors


type Changed = list[tuple[Quota, dict[str, Any]]]


def _import_plan(
    lines: list[QuotaLine],
    converted: dict[int, dict[str, Any]],
    existing: dict[int, list[Quota]],
    result: QuotaImportResult,
) -> tuple[list[Quota], Changed]:
    current = {(q.rep_id, q.period_start): q for quotas in existing.values() for q in quotas}
    new: list[Quota] = []
    changed: Changed = []
    for line in lines:
        after = {"period_kind": line.period.kind, **converted[line.row]}
        quota = current.get((line.rep_id, line.period.start))
        if quota is None:
            new.append(Quota(rep_id=line.rep_id, period_start=line.period.start, **after))
        elif any(getattr(quota, f) != after[f] for f in TRACKED):
            changed.append((quota, after))
        else:
            result.unchanged += 1
    result.created, result.updated = len(new), len(changed)
    return new, changed


def _import_write(
    *, actor: User, merger: Merger, new: list[Quota], changed: Changed, reporting: str
) -> None:
    now = timezone.now()
    rep_ids = {quota.rep_id for quota in new} | {quota.rep_id for quota, _after in changed}
    names = {rep.pk: str(rep) for rep in Rep.objects.filter(pk__in=rep_ids).select_related("user")}
    kept = {
        "merger_id": merger.pk,
        "actor": actor,
        "at": now,
        "reporting": reporting,
    }
    history: list[RecordChange] = []
    for quota in Quota.objects.bulk_create(new, batch_size=1000):
        values = {f: getattr(quota, f) for f in TRACKED}
        name = names.get(quota.rep_id, "")
        history += _changes(quota=quota, rep_name=name, before=None, after=values, **kept)
    for quota, after in changed:
        name = names.get(quota.rep_id, "")
        history += _changes(quota=quota, rep_name=name, before=quota, after=after, **kept)
        for name, value in after.items():
            setattr(quota, name, value)
        quota.version += 1
        quota.updated_at = now
    Quota.objects.bulk_update(
        [quota for quota, _after in changed],
        [*TRACKED, "version", "updated_at"],
        batch_size=1000,
    )
    history_entries_write(history)
