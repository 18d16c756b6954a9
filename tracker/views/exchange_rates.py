"""Exchange rates: sales ops enters or imports each currency's monthly rate to the
reporting currency; everyone sees them and what still waits for one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import ExchangeRate, Merger
from accounts.selectors.exchange_rates import awaiting_rates, exchange_rates_list
from core.access import Action, allowed
from core.web import check_access, form_saved, program_view
from tracker.services.exchange_rates import (
    exchange_rate_set,
    exchange_rates_import_csv,
)
from tracker.setup_csv import FileImportResult
from tracker.views.exchange_rate_forms import ExchangeRateForm, ExchangeRateImportForm
from tracker.views.file_imports import file_import_answer

SECTION = "quotas"


@require_http_methods(["GET", "POST"])
@program_view("exchange_rate", section=SECTION)
def exchange_rates_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    form, upload, result = ExchangeRateForm(), ExchangeRateImportForm(), None
    if request.method == "POST" and "file" in request.FILES:
        check_access(request, "exchange_rate", Action.CREATE)
        upload = ExchangeRateImportForm(request.POST, request.FILES)
        result, answer = file_import_answer(
            request,
            merger,
            upload,
            exchange_rates_import_csv,
            report_name="exchange-rate-import-report.csv",
            imported=_imported,
            done="tracker:exchange_rates",
        )
        if answer is not None:
            return answer
    elif request.method == "POST":
        check_access(request, "exchange_rate", Action.CREATE)
        form = ExchangeRateForm(request.POST)
        save = lambda data: exchange_rate_set(actor=request.user, merger=merger, **data)  # noqa: E731
        if form_saved(request, form, save, done=_saved):
            return redirect("tracker:exchange_rates")
    failed = bool(form.errors or upload.errors or (result and not result.ok))
    return render(
        request,
        "tracker/exchange_rates.html",
        {
            "merger": merger,
            "rates": exchange_rates_list(merger=merger),
            "waiting": awaiting_rates(merger=merger),
            "form": form,
            "upload": upload,
            "result": result,
            "can_change": allowed(request.user, Action.CREATE, "exchange_rate"),
        },
        status=400 if failed else 200,
    )


def _saved(rate: ExchangeRate) -> str:
    return _("Rate of %(currency)s for %(month)s saved; amounts that depend on it follow.") % {
        "currency": rate.currency,
        "month": f"{rate.month:%Y-%m}",
    }


def _imported(result: FileImportResult) -> str:
    return _(
        "Exchange rates imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
