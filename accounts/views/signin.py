"""The login page: Django's, with a clear refusal (429) while the sign-in is locked out."""

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from accounts.login_throttle import client_address, lockout_message, login_lockout_seconds

LOCKED = "locked"


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        # Asked before the password check, so the user reads why rather than "wrong password".
        seconds = login_lockout_seconds(
            username=self.cleaned_data.get("username") or "",
            address=client_address(self.request),
        )
        if seconds:
            raise ValidationError(lockout_message(seconds), code=LOCKED)
        return super().clean()


class SignInView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True
    next_page = "accounts:home"

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", code=LOCKED):
            response.status_code = 429
        return response
