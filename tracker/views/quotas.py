"""Quota pages: the board of a period with a leader's grid, history, and the CSV import."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Merger
from core.access import Action, allowed
from core.web import (
    check_access,
    check_object_access,
    csv_attachment,
    get_program_object_or_404,
    program_view,
)
from tracker.frozen_notes import closed_months_note, closed_period_notes, frozen_notes
from tracker.models import Quota, Rep
from tracker.quota_csv import RowError, errors_csv, template_csv
from tracker.quota_math import Period, period_of
from tracker.selectors.quotas import QuotaBoard, quota_board, quota_board_teams, quota_history
from tracker.selectors.reach import attainment_reach
from tracker.services.quotas import (
    QuotaImportResult,
    QuotaRow,
    QuotaRowErrors,
    quota_import_csv,
    quotas_bulk_set,
)
from tracker.views.file_imports import file_import_page
from tracker.views.quota_forms import (
    QuotaGridFormSet,
    QuotaImportForm,
    chosen_period,
    period_label,
    period_picker,
)

GRID_PREFIX = "quota"
WHOLE_PROGRAM = "all"


@program_view("quota", section="quotas")
def quotas_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """The quota board of a month or quarter; leaders and ops edit their reps' quotas on it."""
    today = timezone.localdate()
    period = chosen_period(request.GET.get("period") or request.POST.get("period"), today=today)
    # Whose figures follow the team hierarchy; those who see every team (executives,
    # ops) and also lead some may narrow the board to their own part.
    reach = attainment_reach(user=request.user, merger=merger)
    own_teams = quota_board_teams(user=request.user, merger=merger) if reach.everything else ()
    whole_program = reach.everything and (
        not own_teams or request.GET.get("teams") == WHOLE_PROGRAM
    )
    board = quota_board(
        merger=merger,
        period=period,
        editor=request.user,
        team_ids=None if whole_program else (own_teams or reach.team_ids),
        rep_ids=None if whole_program or own_teams else reach.rep_ids,
    )
    scope_query = {"teams": WHOLE_PROGRAM} if own_teams and whole_program else {}
    closed_note = closed_months_note(period, board.frozen.months)
    if request.method == "POST":
        check_access(request, "quota", Action.CHANGE)
        formset = QuotaGridFormSet(request.POST, prefix=GRID_PREFIX)
        if _save_grid(request, formset, board, closed_note=closed_note):
            query = urlencode({"period": period.code, **scope_query})
            return redirect(f"{reverse('tracker:quotas')}?{query}")
        formset = getattr(request, "_regrid", formset)
    else:
        formset = QuotaGridFormSet(initial=_grid_initial(board), prefix=GRID_PREFIX)
    return render(
        request,
        "tracker/quotas.html",
        {
            "merger": merger,
            "board": board,
            **period_picker(period, today=today),
            "frozen_notes": frozen_notes(
                frozen_months=board.frozen.months,
                live_months=board.live_months,
                frozen_at=board.frozen.frozen_at,
            ),
            "grid": _grid_rows(board, formset),
            "closed_note": closed_note,
            "formset": formset,
            "can_import": allowed(request.user, Action.CREATE, "import"),
            "has_own_teams": bool(own_teams),
            "whole_program": whole_program,
            "own_only": not whole_program and not own_teams and not reach.team_ids,
            "scope_query": scope_query,
        },
    )


def _grid_initial(board: QuotaBoard) -> list[dict[str, Any]]:
    return [
        {
            "rep": line.rep.pk,
            "version": line.quota.version if line.quota else 0,
            # As entered, in the quota's currency.
            "core_amount": line.quota.entered("core_amount") if line.quota else None,
            "cross_sell_amount": line.quota.entered("cross_sell_amount") if line.quota else None,
            "currency": line.quota.currency if line.quota else "",
        }
        for line in board.editable_lines
    ]


def _grid_rows(board: QuotaBoard, formset) -> list[tuple[Any, Any]]:
    """Each grid form with the board line of its rep, in the order the board lists reps."""
    lines = {line.rep.pk: line for line in board.editable_lines}
    rows = []
    for form in formset.forms:
        raw = form["rep"].value()
        line = lines.get(int(raw)) if str(raw or "").isdecimal() else None
        if line is not None:
            rows.append((line, form))
    return rows


def _save_grid(request: HttpRequest, formset, board: QuotaBoard, *, closed_note: str) -> bool:
    if not formset.is_valid():
        return False
    lines = {line.rep.pk: line for line in board.editable_lines}
    rows: list[QuotaRow] = []
    indexes: list[int] = []
    for index, form in enumerate(formset.forms):
        line = lines.get(form.cleaned_data.get("rep"))
        if line is None:
            continue  # a rep the user may not edit (any more) is not on their grid
        if not form.to_save:
            continue
        data = form.cleaned_data
        rows.append(
            QuotaRow(
                rep=line.rep,
                period_start=board.period.start,
                period_kind=board.period.kind,
                core_amount=data.get("core_amount") or 0,
                cross_sell_amount=data.get("cross_sell_amount") or 0,
                expected_version=data["version"],
                currency=data.get("currency") or "",
            )
        )
        indexes.append(index)
    if not rows:
        messages.info(request, _("Nothing changed."))
        return True
    try:
        quotas_bulk_set(actor=request.user, rows=rows)
    except QuotaRowErrors as refused:
        request._regrid = _grid_with_errors(request, refused, indexes)
        messages.error(request, _("Nothing was saved: fix the rows marked below."))
        return False
    messages.success(
        request,
        ngettext("%(count)d quota saved.", "%(count)d quotas saved.", len(rows))
        % {"count": len(rows)},
    )
    if closed_note:
        messages.warning(request, closed_note)
    return True


def _grid_with_errors(request: HttpRequest, refused: QuotaRowErrors, indexes: list[int]):
    """The grid again, with errors on their rows; a conflicting row now holds the current
    version and values as its starting point, so saving again replaces them knowingly."""
    data = request.POST.copy()
    for row_index, conflict in refused.conflicts.items():
        prefix = f"{GRID_PREFIX}-{indexes[row_index]}"
        data[f"{prefix}-version"] = str(conflict.current_version)
        current = conflict.current
        for field in ("core_amount", "cross_sell_amount"):
            data[f"initial-{prefix}-{field}"] = (
                "" if current is None else str(current.entered(field))
            )
        data[f"initial-{prefix}-currency"] = "" if current is None else current.currency
    formset = QuotaGridFormSet(data, prefix=GRID_PREFIX)
    formset.is_valid()
    for row_index, problems in refused.errors.items():
        for problem in problems:
            formset.forms[indexes[row_index]].add_error(None, problem)
    return formset


@program_view("quota", section="quotas")
def quota_history_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    quota = get_program_object_or_404(
        request,
        Quota.objects.select_related("rep__user", "rep__team", "rep__merger"),
        merger_field="rep__merger_id",
        pk=pk,
    )
    check_object_access(request, "quota", quota)
    period = Period(quota.period_start, quota.period_kind)
    return render(
        request,
        "tracker/quota_history.html",
        {
            "merger": merger,
            "quota": quota,
            "period": period,
            "period_label": period_label(period),
            "changes": quota_history(quota=quota),
        },
    )


@program_view("import", Action.CREATE, section="quotas")
def quota_import_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Sales ops set many quotas at once from a file; nothing is written if a row is wrong.

    "Check" runs every check without writing and answers with the error report.
    """
    return file_import_page(
        request,
        merger,
        QuotaImportForm,
        quota_import_csv,
        template="tracker/quota_import.html",
        report=_report,
        report_name="quota-import-report.csv",
        imported=_imported,
        done="tracker:quotas",
        refused_status=200,
    )


def _imported(result: QuotaImportResult) -> str:
    done = _("Quotas imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    return " ".join([done, *closed_period_notes(result.closed)])


def _report(result: QuotaImportResult) -> str:
    """Problems by row and column; file-level problems on row 0."""
    file_rows = [RowError(0, "", message) for message in result.file_errors]
    return errors_csv(file_rows + result.errors)


@program_view("import", Action.CREATE, section="quotas")
def quota_template_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """A file to fill in: every active rep with next month's quota as it stands."""
    period = period_of(timezone.localdate(), "month").shifted(1)
    board = quota_board(merger=merger, period=period)
    reps = [line for team in board.teams for line in team.reps] + board.unassigned
    rows = [
        (
            _rep_key(line.rep),
            period.code,
            line.quota.core_amount if line.quota else 0,
            line.quota.cross_sell_amount if line.quota else 0,
        )
        for line in reps
        if line.rep.is_active and line.covered_by is None
    ]
    return csv_attachment(template_csv(rows), "quota-template.csv")


def _rep_key(rep: Rep) -> str:
    return rep.user.get_username()
