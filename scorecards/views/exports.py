"""Export pages: request a scorecard file, watch it being built, download it."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Merger
from core.access import Action
from core.web import get_program_object_or_404, program_view, service_errors_on
from scorecards.models import ExportJob
from scorecards.services.exports import (
    SCORECARD,
    export_content_type,
    export_download_name,
    export_request,
)
from tracker.pipeline_math import add_months

RECENT_JOBS = 10


class ExportForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Year and month, e.g. 2026-10."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (ExportJob.Format.PDF, _("PDF board pack")),
            (ExportJob.Format.XLSX, _("XLSX workbook")),
            (ExportJob.Format.CSV, _("CSV table for BI tools")),
        ],
        initial=ExportJob.Format.PDF,
    )


def export_form_initial() -> dict[str, Any]:
    """Last month by default: the month the board reviews."""
    return {"month": add_months(timezone.localdate().replace(day=1), -1)}


def _jobs(merger: Merger):
    return ExportJob.objects.filter(merger=merger, report=SCORECARD).select_related("merger")


@require_http_methods(["GET", "POST"])
@program_view("scorecard", Action.EXPORT, section="scorecards")
def export_list(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    form = ExportForm(request.POST or None, initial=export_form_initial())
    if request.method == "POST" and form.is_valid():
        try:
            job = export_request(
                actor=request.user,
                merger=merger,
                month=form.cleaned_data["month"],
                fmt=form.cleaned_data["format"],
            )
        except ValidationError as error:
            service_errors_on(form, error)
        else:
            return redirect("scorecards:export_detail", pk=job.pk)
    context = {
        "form": form,
        "jobs": _jobs(merger)[:RECENT_JOBS],
        "merger": merger,
    }
    return render(request, "scorecards/exports.html", context, status=400 if form.errors else 200)


@require_GET
@program_view("scorecard", Action.EXPORT, section="scorecards")
def export_detail(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    job = get_program_object_or_404(request, ExportJob.objects.select_related("merger"), pk=pk)
    context = {
        "job": job,
        "status": export_status_data(job),
        "merger": merger,
    }
    return render(request, "scorecards/export_detail.html", context)


@require_GET
@program_view("scorecard", Action.EXPORT, section="scorecards")
def export_status(request: HttpRequest, pk: int, *, merger: Merger) -> JsonResponse:
    job = get_program_object_or_404(request, ExportJob.objects.select_related("merger"), pk=pk)
    response = JsonResponse(export_status_data(job))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@program_view("scorecard", Action.EXPORT, section="scorecards")
def export_download(request: HttpRequest, pk: int, *, merger: Merger) -> FileResponse:
    job = get_program_object_or_404(request, ExportJob.objects.select_related("merger"), pk=pk)
    if job.status != ExportJob.Status.SUCCEEDED or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=export_download_name(job=job),
        content_type=export_content_type(job=job),
    )


def export_status_data(job: ExportJob) -> dict[str, Any]:
    ready = job.status == ExportJob.Status.SUCCEEDED
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "message": job.message,
        "finished": job.status in {ExportJob.Status.SUCCEEDED, ExportJob.Status.FAILED},
        "filename": export_download_name(job=job),
        "download_url": reverse("scorecards:export_download", args=[job.pk]) if ready else None,
    }
