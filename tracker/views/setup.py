"""The setup hub: the checklist of the program's setup and every setting in one place."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import Merger
from core.web import program_view
from tracker.selectors.setup import setup_checklist

# (url name, label, what it is for)
SETTINGS = (
    (
        "accounts:program_settings",
        _("Program"),
        _("Name, Day 1, currency, horizon, leader, companies"),
    ),
    ("tracker:people", _("People"), _("Logins, roles and invitations")),
    ("tracker:teams", _("Teams"), _("The sales organisation and who reports to whom")),
    ("tracker:reps", _("Reps"), _("Who sells, for which company, since when")),
    ("tracker:org_import", _("Import teams and reps"), _("From a CSV or Excel file")),
    ("tracker:certifications", _("Certifications"), _("Which rep may sell which product")),
    ("tracker:stages", _("Stages"), _("The pipeline's stages and their probabilities")),
    ("tracker:targets", _("Synergy targets"), _("The deal model's targets by month and segment")),
    ("accounts:segments", _("Segments"), _("Industry x size band x region rules")),
    ("accounts:product_map", _("Product map"), _("Which products lead to which")),
    ("accounts:imports", _("Imports"), _("Accounts, products and install base")),
    ("accounts:match_review", _("Matching"), _("Records that may be one customer")),
    ("tracker:quotas", _("Quotas"), _("Core and cross-sell quotas per rep")),
    ("tracker:core_win_rates", _("Core win rates"), _("The companies' own win rates")),
    ("tracker:compensation", _("Compensation"), _("Comp plans and SPIFs")),
    ("accounts:risk_policy", _("Risk screen"), _("Customers not worth cross-selling")),
)


@require_GET
@program_view("setup", section="setup")
def setup_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return render(
        request,
        "tracker/setup.html",
        {
            "merger": merger,
            "checklist": setup_checklist(merger=merger),
            "settings": SETTINGS,
        },
    )
