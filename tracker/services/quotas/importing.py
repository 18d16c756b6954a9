"""Sales ops' quota import from a file: every row, or none."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger, RecordChange
from accounts.money import MissingRate, amounts_to_reporting
from accounts.services.history import history_entries_write
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from tracker.models import Quota, Rep
from tracker.quota_csv import QuotaLine, RowError, read_quota_file
from tracker.quota_math import Period, overlapping
from tracker.selectors.frozen_quotas import closed_months_of
from tracker.services.entered_money import missing_rate_message, rates_for
from tracker.services.quotas.rules import overlap_message
from tracker.services.quotas.shared import TRACKED, announce, history_changes, lock_reps
from tracker.setup_csv import FileProblems


@dataclass
class QuotaImportResult(FileProblems[RowError]):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # The closed months of each period the file sets or changes (a dry run: would).
    # Their frozen quota and attainment stay; the import counts only in open months.
    closed: dict[Period, tuple[date, ...]] = field(default_factory=dict)


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
        result.closed = closed_months_of(
            merger=merger,
            periods=[Period(quota.period_start, quota.period_kind) for quota in new]
            + [Period(quota.period_start, after["period_kind"]) for quota, after in changed],
        )
        if not dry_run:
            _import_write(
                actor=actor,
                merger=merger,
                new=new,
                changed=changed,
                reporting=merger.reporting_currency,
            )
    if not dry_run and (result.created or result.updated):
        announce(merger.pk)
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
    lock_reps({line.rep_id for line in lines})
    # Locked so that a leader's concurrent save waits for the import, then meets a new version.
    quotas = (
        Quota.objects.select_for_update()
        .filter(rep_id__in={line.rep_id for line in lines})
        .sharing_months(first, last)
    )
    # Locked in order of id, as rate corrections lock them, so that neither waits on the other.
    for quota in sorted(quotas.order_by("pk"), key=lambda quota: quota.period_start):
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
        history += history_changes(quota=quota, rep_name=name, before=None, after=values, **kept)
    for quota, after in changed:
        name = names.get(quota.rep_id, "")
        history += history_changes(quota=quota, rep_name=name, before=quota, after=after, **kept)
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
