"""Writes of the synergy targets: the deal model's promise by month, program-wide or per segment.

Every write goes through `targets_set`, from the grid, a file or the API, and
keeps its changed figures in the target's history: who, when, from what, to
what, and through what. A target set back to zero on both figures is removed (it would
add nothing to "target to date"), and its history stays.

A target's figures are entered in one currency and count in the reporting
currency at the rate of the target's month; without that rate nothing is set.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.history.via import IMPORT, history_via
from accounts.models import ZERO, Merger, RecordChange, Segment
from accounts.money import MissingRate, Rates, amounts_to_reporting
from accounts.services.history import history_entries_write, history_entry
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from core.signals import program_data_announce
from tracker.models import SynergyTarget
from tracker.selectors.targets import target_label, target_months
from tracker.services.entered_money import entered_currency, missing_rate_message, rates_for
from tracker.setup_csv import FileProblems, RowError
from tracker.target_csv import MEASURES, TargetLine, outside_program, read_target_file

PROGRAM_LABEL = gettext_lazy("Program")
ORIGINALS = {m: f"{m}_original" for m in MEASURES}


class Source:
    GRID = "grid"
    IMPORT = "import"
    API = "api"


@dataclass(frozen=True)
class TargetCell:
    """The figures to set for a month and scope; None leaves that figure as it is."""

    month: date
    segment_id: int | None
    revenue_synergy: Decimal | None = None
    cross_sell: Decimal | None = None
    # The figures' currency; blank: the target's currency (the reporting one for a new target).
    currency: str = ""


@dataclass
class TargetsResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


def _check(actor: User, merger: Merger) -> None:
    if merger.pk not in merger_ids_for(actor) or not allowed(actor, Action.CHANGE, "target"):
        raise PermissionDenied(_("Only sales ops and executives set the synergy targets."))


def _validate(merger: Merger, cells: list[TargetCell]) -> dict[int, str]:
    """Checks every cell; the program's segment names by id."""
    first, last = target_months(merger=merger)
    names = dict(Segment.objects.filter(merger=merger).values_list("id", "name"))
    for cell in cells:
        if cell.month.day != 1 or not first <= cell.month <= last:
            raise ValidationError({"month": outside_program(cell.month, first, last)})
        if cell.segment_id is not None and cell.segment_id not in names:
            raise ValidationError({"segment": _("The segment belongs to another program.")})
        for measure in MEASURES:
            value = getattr(cell, measure)
            if value is not None and value < 0:
                raise ValidationError({measure: _("A target is zero or more.")})
    return names


def targets_set(
    *,
    actor: User,
    merger: Merger,
    cells: Iterable[TargetCell],
    source: str,
    dry_run: bool = False,
) -> TargetsResult:
    """Sets the targets of the cells together, or none of them; a dry run only counts."""
    cells = list(cells)
    _check(actor, merger)
    names = _validate(merger, cells)
    reporting = merger.reporting_currency
    for cell in cells:
        if cell.currency:
            entered_currency(merger=merger, currency=cell.currency)
    result = TargetsResult()
    with transaction.atomic():
        months = {cell.month for cell in cells}
        existing = {
            (target.month, target.segment_id): target
            # In order of id, as rate corrections lock them.
            for target in SynergyTarget.objects.select_for_update()
            .filter(merger=merger, month__in=months)
            .order_by("pk")
        }
        # A cell without a currency keeps its target's.
        pairs = [
            (
                c.currency.upper()
                or _values(existing.get((c.month, c.segment_id)), reporting)["currency"],
                c.month,
            )
            for c in cells
        ]
        rates = rates_for(merger=merger, pairs=pairs)
        now = timezone.now()
        new, changed, removed, history = [], [], [], []
        for cell in cells:
            target = existing.get((cell.month, cell.segment_id))
            before = _values(target, reporting)
            after = _after(cell, before, reporting=reporting, rates=rates)
            if after == before:
                result.unchanged += 1
                continue
            label = names.get(cell.segment_id, "") if cell.segment_id else str(PROGRAM_LABEL)
            changes = {
                m: [str(before[m]) if target else "", str(after[m])]
                for m in _tracked(before, after, reporting)
                if after[m] != before[m]
            }
            action = RecordChange.Action.CHANGED
            if target is None:
                action = RecordChange.Action.CREATED
                target = SynergyTarget(
                    merger=merger, month=cell.month, segment_id=cell.segment_id, **after
                )
                existing[(cell.month, cell.segment_id)] = target
                new.append(target)
                result.created += 1
            elif not any(after[m] for m in MEASURES):
                action = RecordChange.Action.DELETED
                removed.append(target.pk)
                result.removed += 1
            else:
                for name, value in after.items():
                    setattr(target, name, value)
                changed.append(target)
                result.updated += 1
            history.append((target, label, action, changes))
        if dry_run or not result.changed:
            return result
        SynergyTarget.objects.bulk_create(new)
        SynergyTarget.objects.bulk_update(changed, [*MEASURES, *ORIGINALS.values(), "currency"])
        SynergyTarget.objects.filter(pk__in=removed).delete()
        by = actor if getattr(actor, "pk", None) else None
        with history_via(IMPORT) if source == Source.IMPORT else nullcontext():
            history_entries_write(
                _entry(target, label, action=action, changes=changes, actor=by, at=now)
                for target, label, action, changes in history
            )
        program_data_announce(SynergyTarget, merger.pk)
    return result


def _entry(
    target: SynergyTarget, label: str, *, action: str, changes: dict, actor: User | None, at
) -> RecordChange:
    """A target's change, named by its month and scope, which never change."""
    if action == RecordChange.Action.CREATED:
        segment = [None, f"{label} (#{target.segment_id})"] if target.segment_id else None
        changes = {"month": [None, target.month.isoformat()], **changes}
        changes |= {"segment": segment} if segment else {}
    return history_entry(
        model=SynergyTarget,
        object_id=target.pk,
        object_repr=target_label(target.month, label),
        merger_id=target.merger_id,
        action=action,
        changes=changes,
        actor=actor,
        at=at,
    )


def _values(target: SynergyTarget | None, reporting: str) -> dict:
    """A target's figures in the reporting currency, as entered, and their currency."""
    if target is None:
        return {**dict.fromkeys(MEASURES, ZERO), **dict.fromkeys(ORIGINALS.values(), ZERO)} | {
            "currency": reporting
        }
    values = {m: getattr(target, m) for m in MEASURES}
    for m, original in ORIGINALS.items():
        entered = getattr(target, original)
        values[original] = values[m] if entered is None else entered
    return values | {"currency": target.currency or reporting}


def _after(cell: TargetCell, before: dict, *, reporting: str, rates: Rates) -> dict:
    currency = cell.currency.upper() or before["currency"]
    kept = [m for m in MEASURES if getattr(cell, m) is None and before[ORIGINALS[m]]]
    if currency != before["currency"] and kept:
        # The figure left as it is was entered in the other currency.
        raise ValidationError(
            {
                "currency": _(
                    "%(month)s: give both targets when changing their currency to %(currency)s."
                )
                % {"month": f"{cell.month:%Y-%m}", "currency": currency}
            }
        )
    entered = {
        m: before[ORIGINALS[m]] if getattr(cell, m) is None else getattr(cell, m) for m in MEASURES
    }
    converted = amounts_to_reporting(
        amounts=entered,
        currency=currency,
        month=cell.month,
        reporting_currency=reporting,
        rates=rates,
    )
    if isinstance(converted, MissingRate):
        raise ValidationError({"currency": missing_rate_message(converted)})
    return {
        **converted,
        **{ORIGINALS[m]: entered[m] for m in MEASURES},
        "currency": currency,
    }


def _tracked(before: dict, after: dict, reporting: str) -> list[str]:
    """The figures kept in history: the entered ones too when a currency other than the
    reporting one is involved, as they would otherwise repeat the reporting figures."""
    if {before["currency"], after["currency"]} == {reporting}:
        return list(MEASURES)
    return ["currency", *ORIGINALS.values(), *MEASURES]


@dataclass
class TargetImportResult(FileProblems[RowError]):
    file: str
    counts: TargetsResult = field(default_factory=TargetsResult)


def segment_keys(*, merger: Merger) -> dict[str, int]:
    return {
        name.strip().lower(): pk
        for pk, name in Segment.objects.filter(merger=merger).values_list("id", "name")
    }


def targets_import_csv(
    *, actor: User, merger: Merger, file: BinaryIO, dry_run: bool = False
) -> TargetImportResult:
    """Sets targets from a file: every row, or none if one is wrong. A dry run only checks."""
    _check(actor, merger)
    name = getattr(file, "name", "") or "targets.csv"
    first, last = target_months(merger=merger)
    parsed = read_target_file(
        data=file,
        name=name,
        segments=segment_keys(merger=merger),
        first_month=first,
        last_month=last,
        currency=merger.reporting_currency,
    )
    result = TargetImportResult(file=name, errors=parsed.errors, file_errors=parsed.file_errors)
    if not parsed.ok:
        return result
    result.errors = _missing_rates(merger, name, parsed.lines)
    if result.errors:
        return result
    cells = [
        TargetCell(
            line.month, line.segment_id, line.revenue_synergy, line.cross_sell, line.currency
        )
        for line in parsed.lines
    ]
    result.counts = targets_set(
        actor=actor, merger=merger, cells=cells, source=Source.IMPORT, dry_run=dry_run
    )
    return result


def _missing_rates(merger: Merger, name: str, lines: list[TargetLine]) -> list[RowError]:
    """A row error, by file, row and column, for each line whose month has no rate."""
    rates = rates_for(merger=merger, pairs=[(line.currency, line.month) for line in lines])
    errors = []
    for line in lines:
        if line.currency in ("", merger.reporting_currency):
            continue
        if (line.currency, line.month) not in rates:
            missing = missing_rate_message(MissingRate(line.currency, line.month))
            errors.append(RowError(name, line.row, line.currency_column, missing))
    return errors
