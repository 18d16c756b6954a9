from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.views.decorators.http import require_POST

from accounts.services.preferences import (
    LANGUAGE_SESSION_KEY,
    language_supported,
    user_language_set,
)
from core.web import back_to_next


@require_POST
def language_switch(request: HttpRequest) -> HttpResponseRedirect | HttpResponseBadRequest:
    """Speaks the chosen language from now on; remembered for a signed-in person."""
    language = request.POST.get("language", "")
    if not language_supported(language):
        return HttpResponseBadRequest()
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
        request.session[LANGUAGE_SESSION_KEY] = language
    response = back_to_next(request, request.POST.get("next", ""), default="accounts:home")
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
