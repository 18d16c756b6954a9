"""The one-time link with which a new person chooses their password.

Django's password-reset token does the work: the link names the user and a
token that hashes their current password, so it stops working once used and
after PASSWORD_RESET_TIMEOUT. The page reads and checks the token on GET and
writes only on the POST that sets the password; nothing is kept in the session.
"""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.selectors.people import user_of_link


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def set_password_page(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    person = user_of_link(uidb64=uidb64, token=token)
    if person is None:
        return render(request, "accounts/set_password_invalid.html", status=404)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Your password is set. Sign in as %(username)s.")
            % {"username": person.get_username()},
        )
        return redirect("login")
    return render(
        request,
        "accounts/set_password.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )
