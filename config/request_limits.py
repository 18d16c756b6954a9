"""Refuses an oversized request body (413) before anything reads it, and a query
string no page can use (400).

Django's CSRF check reads a form post's body, uploads included, before any
view runs, and DRF's parsers read the raw stream past Django's own limit; so
the size is judged here, on the Content-Length header, while the body is
still unread. Uploads (multipart) may reach IMPORT_MAX_UPLOAD_MB, every other
body DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
MB = 1024 * 1024
# Form fields and multipart boundaries travel beside the file.
MULTIPART_OVERHEAD = 64 * 1024


def body_limit(request: HttpRequest) -> int:
    if request.content_type == "multipart/form-data":
        return settings.IMPORT_MAX_UPLOAD_MB * MB + MULTIPART_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _length(request: HttpRequest) -> int:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isdecimal() else 0


def refusal_message(request: HttpRequest) -> str:
    if request.content_type == "multipart/form-data":
        return _(
            "The file is larger than %(limit)d MB; export fewer columns or split it into "
            "several files."
        ) % {"limit": settings.IMPORT_MAX_UPLOAD_MB}
    return _("The request is larger than %(limit)d MB.") % {
        "limit": max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // MB)
    }


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _length(request) > body_limit(request):
            return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        message = refusal_message(request)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=413)
        context = {"message": message, "back": request.path}
        return render(request, "413.html", context, status=413)


class QueryTextMiddleware:
    """Refuses a page's query string holding a NUL character.

    Searches and filters pass query values to the database, and PostgreSQL
    refuses a NUL in any text; no real link or form sends one. The API refuses
    them itself, field by field, in the shape its schema documents.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        message = _("The address holds a NUL character, which no search or filter can use.")
        context = {"message": message, "back": request.path}
        return render(request, "400.html", context, status=400)
