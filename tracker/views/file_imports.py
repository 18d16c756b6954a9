"""The "Check" and "Import" buttons of the pages that import one file of setup data."""

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.web import csv_attachment


class Imported(Protocol):
    @property
    def ok(self) -> bool: ...


def file_import_answer[R: Imported](
    request: HttpRequest,
    form: Form,
    run: Callable[[Any, bool], R],
    *,
    report: Callable[[R], str],
    report_name: str,
    imported: Callable[[R], str],
    done: str,
) -> tuple[R | None, HttpResponse | None]:
    """Runs `run(file, dry_run)` on a bound upload form's file. "Check" writes nothing and
    answers with the problem report to download; "Import" says what it did and goes back to
    `done` once every row was right. Otherwise the page is shown again, with the result when
    there is one (no response here)."""
    if not form.is_valid():
        return None, None
    checking = request.POST.get("action") == "check"
    result = run(form.cleaned_data["file"], checking)
    if checking:
        return result, csv_attachment(report(result), report_name)
    if result.ok:
        messages.success(request, imported(result))
        return result, redirect(done)
    return result, None
