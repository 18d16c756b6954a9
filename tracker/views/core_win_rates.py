"""Core win rates: the companies' non-program deals won and lost, entered by sales ops.

The six-C scorecard compares the cross-sell win rate with these; without them
"cross-sell vs core win rate" is not measured.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import LegacyCompany, Merger
from core.access import Action, allowed
from core.web import (
    check_access,
    csv_attachment,
    form_saved,
    get_program_object_or_404,
    program_view,
)
from tracker.core_win_rate_csv import template_csv
from tracker.models import CoreWinRate
from tracker.pipeline_math import add_months
from tracker.quota_math import period_of
from tracker.selectors.core_win_rates import core_win_rate_summary, core_win_rates_of
from tracker.services.core_win_rates import (
    core_win_rate_delete,
    core_win_rate_set,
    core_win_rates_import_csv,
)
from tracker.setup_csv import FileImportResult
from tracker.views.core_win_rate_forms import CoreWinRateForm, CoreWinRateImportForm
from tracker.views.file_imports import file_import_page

SECTION = "quotas"
WINDOW_MONTHS = 12


@require_http_methods(["GET", "POST"])
@program_view("core_win_rate", section=SECTION)
def core_win_rates_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Every record, each company's core win rate over the last twelve months, and a form."""
    form = CoreWinRateForm(merger=merger)
    if request.method == "POST":
        check_access(request, "core_win_rate", Action.CREATE)
        form = CoreWinRateForm(request.POST, merger=merger)
        save = lambda data: core_win_rate_set(actor=request.user, merger=merger, **data)  # noqa: E731
        if form_saved(request, form, save, done=_saved):
            return redirect("tracker:core_win_rates")
    # The twelve months the scorecard compares this month's cross-sell win rate with.
    this_month = timezone.localdate().replace(day=1)
    window_from = add_months(this_month, -(WINDOW_MONTHS - 1))
    return render(
        request,
        "tracker/core_win_rates.html",
        {
            "merger": merger,
            "records": core_win_rates_of(merger=merger),
            "summary": core_win_rate_summary(
                merger=merger, month_from=window_from, month_to=this_month
            ),
            "window_from": window_from,
            "window_to": this_month,
            "form": form,
            "can_change": allowed(request.user, Action.CREATE, "core_win_rate"),
            "can_import": allowed(request.user, Action.CREATE, "import"),
        },
        status=400 if form.errors else 200,
    )


def _saved(record: CoreWinRate) -> str:
    return _("Core deals of %(company)s for %(period)s saved.") % {
        "company": record.company.name,
        "period": record.period.code,
    }


@require_POST
@program_view("core_win_rate", Action.DELETE, section=SECTION)
def core_win_rate_delete_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    record = get_program_object_or_404(
        request, CoreWinRate.objects.filter(merger=merger).select_related("company"), pk=pk
    )
    core_win_rate_delete(actor=request.user, record=record)
    messages.success(
        request,
        _("Core deals of %(company)s for %(period)s deleted.")
        % {
            "company": record.company.name,
            "period": record.period.code,
        },
    )
    return redirect("tracker:core_win_rates")


@require_http_methods(["GET", "POST"])
@program_view("import", Action.CREATE, section=SECTION)
def core_win_rate_import_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return file_import_page(
        request,
        merger,
        CoreWinRateImportForm,
        core_win_rates_import_csv,
        template="tracker/core_win_rate_import.html",
        report_name="core-win-rate-import-report.csv",
        imported=_imported,
        done="tracker:core_win_rates",
    )


def _imported(result: FileImportResult) -> str:
    return _(
        "Core win rates imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@program_view("import", Action.CREATE, section=SECTION)
def core_win_rate_template_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """A file to fill in: each company and each of the last twelve months."""
    last = period_of(timezone.localdate(), "month").shifted(-1)
    periods = [last.shifted(-step).code for step in range(WINDOW_MONTHS - 1, -1, -1)]
    companies = LegacyCompany.objects.filter(merger=merger).order_by("-role", "name")
    rows = [(company.name, period) for company in companies for period in periods]
    return csv_attachment(template_csv(rows), "core-win-rates-template.csv")
