"""Creating a program and changing its settings and legacy companies in the app.

Sales ops (or an administrator) creates the program with its acquirer and
acquired companies and becomes its first member; the program's home then
guides them through the rest of the setup.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import LegacyCompany, Merger
from accounts.selectors.people import people_visible_to
from accounts.services.mergers import (
    CompanySpec,
    company_create,
    company_delete,
    company_has_data,
    company_update,
    merger_update,
    program_create,
)
from accounts.views.program_forms import (
    CompanyEditForm,
    CompanyForm,
    OptionalCompanyForm,
    ProgramForm,
    ProgramSettingsForm,
)
from core.access import Action, allowed
from core.programs import current_merger_set
from core.web import (
    acted_then_back,
    check_access,
    form_saved,
    get_program_object_or_404,
    program_view,
    service_errors_on,
)

SECTION = "setup"
Role = LegacyCompany.Role


@require_http_methods(["GET", "POST"])
@program_view("merger", Action.CREATE, needs_program=False, section=SECTION)
def program_create_page(request: HttpRequest, *, merger: Merger | None) -> HttpResponse:
    data = request.POST or None
    form = ProgramForm(data, leaders=people_visible_to(actor=request.user), prefix="program")
    acquirer = CompanyForm(data, prefix="acquirer")
    acquired = CompanyForm(data, prefix="acquired")
    another = OptionalCompanyForm(data, prefix="another")
    forms = (form, acquirer, acquired, another)
    if request.method == "POST" and all(f.is_valid() for f in forms):
        companies = [_spec(acquirer, Role.ACQUIRER), _spec(acquired, Role.ACQUIRED)]
        if not another.is_empty:
            companies.append(_spec(another, Role.ACQUIRED))
        try:
            created = program_create(actor=request.user, companies=companies, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on(form, error)
        else:
            current_merger_set(request=request, merger_id=created.pk)
            messages.success(
                request,
                _("%(name)s is set up. Follow the checklist to bring its data in.")
                % {"name": created.name},
            )
            return redirect("accounts:home")
    return render(
        request,
        "accounts/program_create.html",
        {
            "merger": merger,
            "form": form,
            "acquirer": acquirer,
            "acquired": acquired,
            "another": another,
        },
        status=400 if request.method == "POST" else 200,
    )


def _spec(form: CompanyForm, role: str) -> CompanySpec:
    data = form.cleaned_data
    return CompanySpec(
        name=data["name"], short_name=data["short_name"], role=role, crm=data["crm"]
    )


@require_http_methods(["GET", "POST"])
@program_view("merger", Action.CHANGE, section=SECTION)
def program_settings_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """The program's settings and its legacy companies."""
    form = ProgramSettingsForm(
        request.POST or None, instance=merger, leaders=people_visible_to(actor=request.user)
    )

    def save(data: dict[str, Any]) -> Merger:
        # The form edits `merger` itself: the service compares against the stored program.
        original = Merger.objects.get(pk=merger.pk)
        changed = {name: data[name] for name in form.changed_data}
        return merger_update(merger=original, actor=request.user, **changed)

    if request.method == "POST" and form_saved(
        request, form, save, done=_("Program settings saved.")
    ):
        return redirect("accounts:program_settings")
    companies = list(LegacyCompany.objects.filter(merger=merger).order_by("-role", "name"))
    return render(
        request,
        "accounts/program_settings.html",
        {
            "merger": merger,
            "form": form,
            "companies": companies,
            "can_change_companies": allowed(request.user, Action.CHANGE, "company"),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@program_view("company", Action.CREATE, section=SECTION)
def company_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    form = CompanyEditForm(request.POST or None, initial={"role": Role.ACQUIRED})
    save = lambda data: company_create(actor=request.user, merger=merger, **data)  # noqa: E731
    return _company_page(request, merger, form, save, None)


@require_http_methods(["GET", "POST"])
@program_view("company", Action.CHANGE, section=SECTION)
def company_update_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    company = get_program_object_or_404(
        request, LegacyCompany.objects.filter(merger=merger).select_related("merger"), pk=pk
    )
    form = CompanyEditForm(request.POST or None, instance=LegacyCompany.objects.get(pk=pk))
    save = lambda data: company_update(actor=request.user, company=company, **data)  # noqa: E731
    return _company_page(request, merger, form, save, company)


def _company_page(
    request: HttpRequest,
    merger: Merger,
    form: CompanyEditForm,
    save: Callable[[dict[str, Any]], LegacyCompany],
    company: LegacyCompany | None,
) -> HttpResponse:
    """Saves the posted company through `save` and goes back to the settings, or shows the form."""
    done = _("%(name)s added.") if company is None else _("%(name)s saved.")
    if request.method == "POST" and form_saved(
        request, form, save, done=lambda saved: done % {"name": saved.name}
    ):
        return redirect("accounts:program_settings")
    return render(
        request,
        "accounts/company_form.html",
        {
            "merger": merger,
            "form": form,
            "company": company,
            "has_data": company is not None and company_has_data(company=company),
            "can_delete": company is not None and allowed(request.user, Action.DELETE, "company"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@program_view("company", Action.DELETE, section=SECTION)
def company_delete_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    company = get_program_object_or_404(
        request, LegacyCompany.objects.filter(merger=merger), pk=pk
    )
    check_access(request, "company", Action.DELETE)
    return acted_then_back(
        request,
        lambda: company_delete(actor=request.user, company=company),
        back="accounts:program_settings",
        done=_("%(name)s removed.") % {"name": company.name},
    )
