"""The "Check" and "Import" buttons of the pages that import one file of setup data."""

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Merger
from core.web import csv_attachment


class Imported(Protocol):
    @property
    def ok(self) -> bool: ...


def _problems_csv(result: Any) -> str:
    """The report of a setup file's import (FileImportResult): problems by row and column."""
    return result.problems_csv()


def file_import_answer[R: Imported](
    request: HttpRequest,
    merger: Merger,
    form: Form,
    service: Callable[..., R],
    *,
    report_name: str,
    imported: Callable[[R], str],
    done: str,
    report: Callable[[R], str] = _problems_csv,
) -> tuple[R | None, HttpResponse | None]:
    """Runs the import `service` on a bound upload form's file. "Check" writes nothing and
    answers with the problem report to download; "Import" says what it did and goes back to
    `done` once every row was right. Otherwise the page is shown again, with the result when
    there is one (no response here)."""
    if not form.is_valid():
        return None, None
    checking = request.POST.get("action") == "check"
    result = service(
        actor=request.user, merger=merger, file=form.cleaned_data["file"], dry_run=checking
    )
    if checking:
        return result, csv_attachment(report(result), report_name)
    if result.ok:
        messages.success(request, imported(result))
        return result, redirect(done)
    return result, None


def file_import_page(
    request: HttpRequest,
    merger: Merger,
    form_class: type[Form],
    service: Callable[..., Imported],
    *,
    template: str,
    refused_status: int = 400,
    **answer_options: Any,
) -> HttpResponse:
    """The page of one file's import: the upload form, then the answer of file_import_answer
    (given `answer_options`), or the page again with the result, `refused_status` if refused."""
    result: Imported | None = None
    form = form_class()
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        result, answer = file_import_answer(request, merger, form, service, **answer_options)
        if answer is not None:
            return answer
    return render(
        request,
        template,
        {"merger": merger, "form": form, "result": result},
        status=refused_status if result and not result.ok else 200,
    )
