"""Import pages for sales ops: upload, preview and mapping, run, progress, error report."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.imports import columns as cols
from accounts.imports.reading import ImportFileError
from accounts.models import ColumnMapping, ImportJob, LegacyCompany, Merger
from accounts.money import is_currency_code
from accounts.selectors.history import import_job_changes
from accounts.selectors.imports import column_mappings_for, import_progress, imports_recent
from accounts.services.imports import (
    ImportAlreadyStarted,
    column_mapping_save,
    import_can_start,
    import_enqueue,
    import_error_report_csv,
    import_header,
    import_job_create,
    import_preview,
)
from core.access import Action
from core.web import csv_attachment, get_program_object_or_404, program_view

RESOURCE = "import"
SECTION = "imports"
SHOWN_PROBLEMS = 200
SHOWN_CHANGES = 100
TEMPLATES = {
    cols.ACCOUNTS: "accounts.csv",
    cols.PRODUCTS: "products.csv",
    cols.INSTALL_BASE: "install_base.csv",
}
EDITABLE = (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED)


class UploadForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Legacy company"), queryset=LegacyCompany.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of data"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV or Excel (.xlsx). Salesforce and HubSpot exports import as they are."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    mapping = forms.ModelChoiceField(
        label=gettext_lazy("Saved column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        help_text=gettext_lazy("Only for files whose columns are not recognised."),
    )
    default_currency = forms.CharField(
        label=gettext_lazy("Currency of amounts without one"),
        max_length=3,
        required=False,
        help_text=gettext_lazy(
            "ISO code such as EUR; also settles ambiguous symbols such as $ or ¥. "
            "Blank: the program's reporting currency."
        ),
    )
    missing_rate = forms.ChoiceField(
        label=gettext_lazy("An amount with no exchange rate for its month"),
        choices=ImportJob.MissingRate.choices,
        initial=ImportJob.MissingRate.WAIT,
        required=False,
    )

    def clean_missing_rate(self) -> str:
        return self.cleaned_data.get("missing_rate") or ImportJob.MissingRate.WAIT

    def clean_default_currency(self) -> str:
        code = (self.cleaned_data.get("default_currency") or "").strip().upper()
        if code and not is_currency_code(code):
            raise forms.ValidationError(
                _("'%(value)s' is not an ISO 4217 currency code.") % {"value": code}
            )
        return code

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = merger.companies.order_by("role", "name")
        self.fields["mapping"].queryset = column_mappings_for(merger=merger)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mapping = data.get("mapping")
        if mapping is not None and mapping.kind != data.get("kind"):
            self.add_error("mapping", _("This mapping is for another kind of data."))
        return data


class MappingForm(forms.Form):
    """One choice of file column per field, and an optional name to save the mapping under."""

    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("A name, to reuse the mapping for the next file like this one."),
    )

    def __init__(self, *args: Any, kind: str, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not imported)")), *((column, column) for column in header)]
        self.targets = cols.fields_of(kind)
        for f in self.targets:
            label = f"{f.label} *" if f.required else str(f.label)
            self.fields[f"field_{f.key}"] = forms.ChoiceField(
                label=label, choices=choices, required=False, help_text=f.help
            )
        self.order_fields([*(f"field_{f.key}" for f in self.targets), "save_as"])

    def columns(self) -> dict[str, str]:
        return {
            f.key: self.cleaned_data[f"field_{f.key}"]
            for f in self.targets
            if self.cleaned_data.get(f"field_{f.key}")
        }


def _jobs(request: HttpRequest):
    return ImportJob.objects.select_related("company", "merger", "created_by")


def _job(request: HttpRequest, pk: int, *, light: bool = False) -> ImportJob:
    jobs = _jobs(request).defer("errors") if light else _jobs(request)
    return get_program_object_or_404(request, jobs, pk=pk)


def _too_large(request: HttpRequest) -> bool:
    """Refused before Django reads the body into a temporary file."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    return length.isdecimal() and int(length) > limit + 64 * 1024


@require_http_methods(["GET", "POST"])
@program_view(RESOURCE, Action.CREATE, section=SECTION)
def import_list(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    form = UploadForm(merger=merger)
    refused = ""
    if request.method == "POST":
        if _too_large(request):
            refused = _(
                "The file is larger than %(limit)d MB; export fewer columns or split it into "
                "several files."
            ) % {"limit": settings.IMPORT_MAX_UPLOAD_MB}
        else:
            form = UploadForm(request.POST, request.FILES, merger=merger)
            job = _upload(request, form, merger) if form.is_valid() else None
            if job is not None:
                return redirect("accounts:import_detail", pk=job.pk)
    context = {
        "merger": merger,
        "form": form,
        "refused": refused,
        "jobs": imports_recent(merger=merger),
        "templates": TEMPLATES,
        "max_mb": settings.IMPORT_MAX_UPLOAD_MB,
    }
    status = 400 if form.errors or refused else 200
    return render(request, "accounts/import_list.html", context, status=status)


def _shown(values: dict[str, Any], field: cols.Field, job: ImportJob) -> Any:
    """A sample cell; an amount in another currency also as entered, or as waiting."""
    value = values.get(field.key, "")
    original = values.get(f"{field.key}_original")
    currency = values.get("currency", "")
    if field.type != "amount" or original is None or currency == job.merger.reporting_currency:
        return value
    if values.get("awaiting_rate") and original:
        return _("waits for a rate (%(amount)s %(currency)s)") % {
            "amount": original,
            "currency": currency,
        }
    return f"{value} ({original} {currency})"


def _upload(request: HttpRequest, form: UploadForm, merger: Merger) -> ImportJob | None:
    mapping = form.cleaned_data["mapping"]
    try:
        job = import_job_create(
            merger=merger,
            company=form.cleaned_data["company"],
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            actor=request.user,
            columns=dict(mapping.columns) if mapping else None,
            default_currency=form.cleaned_data["default_currency"],
            missing_rate=form.cleaned_data["missing_rate"],
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return None
    import_preview(job=job)
    return job


@require_GET
@program_view(RESOURCE, section=SECTION)
def import_detail(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    job = _job(request, pk)
    context: dict[str, Any] = {"merger": merger, "job": job}
    if job.status in EDITABLE:
        preview = import_preview(job=job, save=False)
        sample_fields = [f for f in preview.fields if f.key in preview.columns]
        context |= {
            "preview": preview,
            "mapping_form": _mapping_form(job, preview.header) if preview.header else None,
            "mapped": [(f, preview.columns[f.key]) for f in sample_fields],
            "sample_fields": sample_fields,
            "sample_rows": [
                (row["row"], [_shown(row["values"], f, job) for f in sample_fields], row["errors"])
                for row in preview.sample
            ],
            "problems": preview.problems[:SHOWN_PROBLEMS],
        }
        return render(request, "accounts/import_preview.html", context)
    context |= {
        "status": import_progress(job=job),
        "can_start_again": import_can_start(job=job),
        "problems": job.errors[:SHOWN_PROBLEMS],
        "problem_count": max(job.error_count, len(job.errors)),
    }
    context["changes"], context["change_count"] = import_job_changes(job=job, limit=SHOWN_CHANGES)
    return render(request, "accounts/import_job.html", context)


def _mapping_form(job: ImportJob, header: list[str], data: Any = None) -> MappingForm:
    initial = {f"field_{key}": column for key, column in job.columns.items()}
    return MappingForm(data, kind=job.kind, header=header, initial=initial)


@require_POST
@program_view(RESOURCE, Action.CREATE, section=SECTION)
def import_mapping(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    job = _job(request, pk)
    if job.status not in EDITABLE:
        messages.error(request, _("This import has started; its mapping can no longer change."))
        return redirect("accounts:import_detail", pk=job.pk)
    try:
        header = import_header(job=job)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("accounts:import_detail", pk=job.pk)
    form = _mapping_form(job, header, request.POST)
    if not form.is_valid():
        messages.error(request, _("The mapping could not be read; choose the columns again."))
        return redirect("accounts:import_detail", pk=job.pk)
    preview = import_preview(job=job, columns=form.columns())
    name = form.cleaned_data["save_as"].strip()
    if name and not preview.mapping_problems:
        column_mapping_save(
            merger=job.merger, kind=job.kind, name=name, columns=job.columns, actor=request.user
        )
        messages.success(request, _("Mapping saved as '%(name)s'.") % {"name": name})
    return redirect("accounts:import_detail", pk=job.pk)


@require_POST
@program_view(RESOURCE, Action.CREATE, section=SECTION)
def import_start(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    job = _job(request, pk)
    if not import_can_start(job=job):
        messages.error(request, _("Only a previewed file without problems can be imported."))
        return redirect("accounts:import_detail", pk=job.pk)
    try:
        import_enqueue(job=job)
    except ImportAlreadyStarted:
        messages.error(request, _("This import was started meanwhile; its progress is below."))
    return redirect("accounts:import_detail", pk=job.pk)


@require_GET
@program_view(RESOURCE, section=SECTION)
def import_status(request: HttpRequest, pk: int, *, merger: Merger) -> JsonResponse:
    response = JsonResponse(import_progress(job=_job(request, pk, light=True)))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@program_view(RESOURCE, section=SECTION)
def import_error_report(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    job = _job(request, pk)
    if not job.errors:
        raise Http404
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return csv_attachment(import_error_report_csv(job=job), f"{_safe(stem)}-problems.csv")


@require_GET
@program_view(RESOURCE, section=SECTION)
def import_template(request: HttpRequest, kind: str, *, merger: Merger) -> FileResponse:
    if kind not in TEMPLATES:
        raise Http404
    path = settings.BASE_DIR / "docs" / "import-templates" / TEMPLATES[kind]
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=TEMPLATES[kind],
        content_type="text/csv; charset=utf-8",
    )


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:80]
