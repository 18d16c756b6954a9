"""Through what a change arrives: a page, the API, an import or a background task.

A context variable, so that services record it without every caller passing it:
the middleware sets page or API per request, imports set their own, and
anything outside a request (Celery tasks, management commands) is a task.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

PAGE, API, IMPORT, TASK = "page", "api", "import", "task"

_via: ContextVar[str] = ContextVar("history_via", default=TASK)


def current_via() -> str:
    return _via.get()


@contextmanager
def history_via(via: str) -> Iterator[None]:
    token = _via.set(via)
    try:
        yield
    finally:
        _via.reset(token)


class HistoryViaMiddleware:
    """Marks the changes a request makes as made through the API or a page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with history_via(API if request.path.startswith("/api/") else PAGE):
            return self.get_response(request)
