"""The language of each request: the person's choice, else the browser's.

Django's LocaleMiddleware reads the language cookie and the browser's
Accept-Language; a signed-in person's saved choice wins over both, so that it
follows them to another browser. The choice is copied into the session at
sign-in, so reading it costs no query per request.
"""

from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.selectors.preferences import user_language_get
from accounts.services.preferences import LANGUAGE_SESSION_KEY, language_supported


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = (
            request.session.get(LANGUAGE_SESSION_KEY, "") if hasattr(request, "session") else ""
        )
        if chosen and language_supported(chosen) and request.user.is_authenticated:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="accounts.language.remember_on_sign_in")
def remember_on_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    chosen = user_language_get(user=user)
    if chosen:
        request.session[LANGUAGE_SESSION_KEY] = chosen
