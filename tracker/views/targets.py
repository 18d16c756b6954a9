"""The synergy targets: a year's grid of months by program and segment, the history, an import.

The grid edits one figure at a time (cross-sell or revenue synergy), so that a
program with many segments still fits; only the cells someone changed are
saved, together, through the same service as the import and the API.
"""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from accounts.models import Merger
from core.access import Action, allowed
from core.web import check_access, csv_attachment, program_view
from tracker.selectors.targets import TargetGrid, target_grid, target_history, target_totals
from tracker.services.targets import (
    PROGRAM_LABEL,
    Source,
    TargetCell,
    TargetImportResult,
    targets_import_csv,
    targets_set,
)
from tracker.target_csv import template_csv
from tracker.views.setup_forms import TargetGridForm, UploadForm

SECTION = "setup"
MEASURE_LABELS = {
    "cross_sell": gettext_lazy("Cross-sell revenue"),
    "revenue_synergy": gettext_lazy("Revenue synergy"),
}


def _cell_name(month: date, segment_id: int | None) -> str:
    return f"m{month:%Y%m}_{segment_id or 'program'}"


def _shown(value: Decimal | None) -> Decimal | None:
    """Whole amounts without their cents, so that seven-figure targets fit their cell."""
    if value is not None and value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def _grid_cells(grid: TargetGrid, measure: str) -> list[tuple[str, Decimal | None, bool]]:
    return [
        (
            _cell_name(month, scope.segment_id),
            _shown(grid.value(month, scope.segment_id, measure)),
            month in grid.closed,
        )
        for month in grid.months
        for scope in grid.scopes
    ]


def _rows(grid: TargetGrid, form: TargetGridForm) -> list[tuple[date, bool, list]]:
    return [
        (
            month,
            month in grid.closed,
            [(scope, form[_cell_name(month, scope.segment_id)]) for scope in grid.scopes],
        )
        for month in grid.months
    ]


def _changed_cells(
    grid: TargetGrid, form: TargetGridForm, measure: str, currency: str
) -> list[TargetCell]:
    cells = []
    for month in grid.months:
        for scope in grid.scopes:
            name = _cell_name(month, scope.segment_id)
            if name not in form.changed_data:
                continue
            value = form.cleaned_data.get(name) or Decimal("0")
            # The grid shows and takes the reporting-currency figures.
            cells.append(
                TargetCell(month, scope.segment_id, **{measure: value}, currency=currency)
            )
    return cells


@require_http_methods(["GET", "POST"])
@program_view("target", section=SECTION)
def targets_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    measure = source.get("measure") if source.get("measure") in MEASURE_LABELS else "cross_sell"
    year = source.get("year", "")
    grid = target_grid(
        merger=merger,
        year=int(year) if year.isdecimal() else None,
        program_label=str(PROGRAM_LABEL),
    )
    can_change = allowed(request.user, Action.CHANGE, "target")
    form = TargetGridForm(cells=_grid_cells(grid, measure))
    if request.method == "POST":
        check_access(request, "target", Action.CHANGE)
        form = TargetGridForm(request.POST, cells=_grid_cells(grid, measure))
        if form.is_valid() and _save(request, merger, grid, form, measure):
            query = urlencode({"year": grid.year, "measure": measure})
            return redirect(f"{reverse('tracker:targets')}?{query}")
    return render(
        request,
        "tracker/targets.html",
        {
            "merger": merger,
            "grid": grid,
            "form": form,
            "rows": _rows(grid, form),
            "measure": measure,
            "measure_label": MEASURE_LABELS[measure],
            "measures": MEASURE_LABELS.items(),
            "totals": target_totals(merger=merger),
            "history": target_history(merger_ids=[merger.pk]),
            "can_change": can_change,
        },
        status=400 if form.errors else 200,
    )


def _save(
    request: HttpRequest, merger: Merger, grid: TargetGrid, form: TargetGridForm, measure: str
) -> bool:
    cells = _changed_cells(grid, form, measure, merger.reporting_currency)
    if not cells:
        messages.info(request, _("Nothing changed."))
        return True
    try:
        result = targets_set(actor=request.user, merger=merger, cells=cells, source=Source.GRID)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request,
        ngettext("%(count)d target saved.", "%(count)d targets saved.", result.changed)
        % {"count": result.changed},
    )
    return True


@require_http_methods(["GET", "POST"])
@program_view("target", Action.CHANGE, section=SECTION)
def target_import_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    result: TargetImportResult | None = None
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        checking = request.POST.get("action") == "check"
        if form.is_valid():
            result = targets_import_csv(
                actor=request.user, merger=merger, file=form.cleaned_data["file"], dry_run=checking
            )
            if result.ok and not checking:
                messages.success(request, _imported(result))
                return redirect("tracker:targets")
    return render(
        request,
        "tracker/target_import.html",
        {
            "merger": merger,
            "form": form,
            "result": result,
            "checked": request.POST.get("action") == "check",
        },
        status=400 if result and not result.ok else 200,
    )


def _imported(result: TargetImportResult) -> str:
    counts = result.counts
    return _(
        "Targets imported: %(created)d new, %(updated)d changed, %(removed)d set to zero, "
        "%(unchanged)d unchanged."
    ) % {
        "created": counts.created,
        "updated": counts.updated,
        "removed": counts.removed,
        "unchanged": counts.unchanged,
    }


@program_view("target", Action.CHANGE, section=SECTION)
def target_template_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Every month of the program's first year, program-wide, with the targets set so far."""
    grid = target_grid(merger=merger, year=None, program_label=str(PROGRAM_LABEL))
    rows = [
        (
            f"{month:%Y-%m}",
            "",
            grid.value(month, None, "revenue_synergy") or Decimal("0"),
            grid.value(month, None, "cross_sell") or Decimal("0"),
        )
        for month in grid.months
    ]
    return csv_attachment(template_csv(rows), "targets-template.csv")
