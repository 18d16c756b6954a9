"""The Django admin is for superusers only: the app covers everything a role administers.

Sales ops sets up programs, companies, people, teams, reps, stages, targets and
the rest in the app itself; the admin stays a tool for the few administrators
who run the installation. A signed-in user of any role who opens it is sent to
the app instead of an admin with nothing in it.
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SuperuserAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Cross-sell tracker administration")
    site_title = gettext_lazy("Cross-sell tracker administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_superuser

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.user.is_authenticated and not self.has_permission(request):
            messages.info(
                request,
                _(
                    "The admin is for administrators of the installation; everything your "
                    "role manages is here in the app."
                ),
            )
            return redirect("accounts:home")
        return super().login(request, extra_context)
