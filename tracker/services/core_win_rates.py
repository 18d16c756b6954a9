"""Writes of the companies' core win rates: one record at a time, or sales ops' CSV import.

A record is one legacy company's core (non-program) deals won and lost in a
month or a quarter, with its source and who entered it. Setting the same
company and period again replaces the counts; periods of one company never
overlap, so that no deal is counted twice.
"""

from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LegacyCompany, Merger
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from core.signals import program_data_announce
from tracker.core_win_rate_csv import CoreWinRateLine, read_core_win_rate_file
from tracker.models import CoreWinRate
from tracker.quota_math import Period
from tracker.setup_csv import FileImportResult, RowError

RESOURCE = "core_win_rate"


def _check(actor: User, merger: Merger, action: Action, resource: str = RESOURCE) -> None:
    if merger.pk not in merger_ids_for(actor) or not allowed(actor, action, resource):
        raise PermissionDenied(_("Only sales ops enters core win rates."))


def _overlapping(company: LegacyCompany, period: Period, *, keep_start=None) -> CoreWinRate | None:
    """Another record of the company sharing a month with the period, if any."""
    for record in CoreWinRate.objects.filter(company=company).exclude(period_start=keep_start):
        if record.period.overlaps(period):
            return record
    return None


def _overlap_message(period: Period, record: CoreWinRate) -> str:
    return _("%(period)s overlaps the record of %(other)s for this company.") % {
        "period": period.code,
        "other": record.period.code,
    }


def _validate(company: LegacyCompany, merger: Merger, won: int, lost: int, source: str) -> None:
    errors: dict[str, str] = {}
    if company.merger_id != merger.pk:
        errors["company"] = _("The company is not part of this program.")
    if won < 0 or lost < 0:
        errors["won_count"] = _("Counts are zero or more.")
    elif won + lost == 0:
        errors["won_count"] = _("No deal was won or lost: there is no win rate to record.")
    if not source.strip():
        errors["source"] = _("Say where the counts come from (the CRM report or export).")
    if errors:
        raise ValidationError(errors)


def core_win_rate_set(
    *,
    actor: User,
    merger: Merger,
    company: LegacyCompany,
    period: Period,
    won: int,
    lost: int,
    source: str,
    notes: str = "",
) -> CoreWinRate:
    """Records (or replaces) the company's core deals won and lost in the period."""
    existing = CoreWinRate.objects.filter(company=company, period_start=period.start).first()
    _check(actor, merger, Action.CHANGE if existing else Action.CREATE)
    _validate(company, merger, won, lost, source)
    clash = _overlapping(company, period, keep_start=period.start)
    if clash is not None:
        raise ValidationError({"period": _overlap_message(period, clash)})
    with transaction.atomic():
        record, _created = CoreWinRate.objects.update_or_create(
            company=company,
            period_start=period.start,
            defaults={
                "merger": merger,
                "period_kind": period.kind,
                "won_count": won,
                "lost_count": lost,
                "source": source.strip(),
                "notes": notes.strip(),
                "entered_by": actor if getattr(actor, "pk", None) else None,
                "updated_at": timezone.now(),
            },
        )
        program_data_announce(CoreWinRate, merger.pk)
    return record


def core_win_rate_delete(*, actor: User, record: CoreWinRate) -> None:
    _check(actor, record.merger, Action.DELETE)
    with transaction.atomic():
        record.delete()
        program_data_announce(CoreWinRate, record.merger_id)


def company_keys(*, merger: Merger) -> dict[str, int]:
    """A company by its name, short name or role, lower-cased, as a file may name it."""
    keys: dict[str, int] = {}
    for company_id, name, short, role in LegacyCompany.objects.filter(merger=merger).values_list(
        "id", "name", "short_name", "role"
    ):
        for key in (name, short, role):
            if key:
                keys.setdefault(key.strip().lower(), company_id)
    return keys


def core_win_rates_import_csv(
    *, actor: User, merger: Merger, file: BinaryIO, dry_run: bool = False
) -> FileImportResult:
    """Sets core win rates from a file: every row, or none. A dry run only checks."""
    _check(actor, merger, Action.CREATE, "import")
    name = getattr(file, "name", "") or "core-win-rates.csv"
    parsed = read_core_win_rate_file(data=file, name=name, companies=company_keys(merger=merger))
    result = FileImportResult(file=name, errors=parsed.errors, file_errors=parsed.file_errors)
    if not parsed.ok:
        return result
    with transaction.atomic():
        existing = {
            (record.company_id, record.period_start): record
            for record in CoreWinRate.objects.select_for_update().filter(merger=merger)
        }
        result.errors = _overlap_errors(name, parsed.lines, existing)
        if result.errors:
            return result
        new, changed = _plan(merger, actor, parsed.lines, existing, result)
        if not dry_run:
            CoreWinRate.objects.bulk_create(new)
            CoreWinRate.objects.bulk_update(
                changed,
                [
                    "period_kind",
                    "won_count",
                    "lost_count",
                    "source",
                    "notes",
                    "entered_by",
                    "updated_at",
                ],
            )
            if new or changed:
                program_data_announce(CoreWinRate, merger.pk)
    return result


def _overlap_errors(name: str, lines: list[CoreWinRateLine], existing: dict) -> list[RowError]:
    """A row whose period shares a month with a record of another start for the company."""
    return [
        RowError(name, line.row, "period", _overlap_message(line.period, record))
        for line in lines
        for (company_id, start), record in existing.items()
        if company_id == line.company_id
        and start != line.period.start
        and record.period.overlaps(line.period)
    ]


def _plan(merger, actor, lines, existing, result) -> tuple[list, list]:
    now = timezone.now()
    entered_by = actor if getattr(actor, "pk", None) else None
    new, changed = [], []
    for line in lines:
        values = {
            "period_kind": line.period.kind,
            "won_count": line.won,
            "lost_count": line.lost,
            "source": line.source,
            "notes": line.notes,
        }
        record = existing.get((line.company_id, line.period.start))
        if record is None:
            new.append(
                CoreWinRate(
                    merger=merger,
                    company_id=line.company_id,
                    period_start=line.period.start,
                    entered_by=entered_by,
                    updated_at=now,
                    **values,
                )
            )
            result.created += 1
        elif any(getattr(record, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(record, key, value)
            record.entered_by, record.updated_at = entered_by, now
            changed.append(record)
            result.updated += 1
        else:
            result.unchanged += 1
    return new, changed
