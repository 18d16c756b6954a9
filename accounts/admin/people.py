"""Logins, roles and memberships in the admin: changed only as the People page changes them.

Django's own user admin would add logins with a password someone chose, give
roles without the People page's checks (a role for everyone, nobody switching
off their own login) and rename the groups that carry the roles, which takes
the role from everyone who has it. Here a login's names, e-mail, roles and
whether it works change through `person_update`; logins are added, invited
and taken off programs under People; the role groups are only shown.
"""

from importlib import import_module
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts import models
from accounts.selectors.people import roles_held
from accounts.services.people import person_update
from core.access import Role, User
from core.admin_mixins import ServiceAdmin, ViewOnlyAdmin
from core.web import ROLE_LABELS

PERSON_FIELDS = ("email", "first_name", "last_name", "is_active")

# Django registers its own user and group admins when it discovers its admin modules;
# importing that module first makes sure they are there to be replaced.
import_module("django.contrib.auth.admin")
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


class PersonForm(forms.ModelForm):
    roles = forms.TypedMultipleChoiceField(
        label=_("Roles"),
        choices=[(role.value, ROLE_LABELS[role]) for role in Role],
        coerce=Role,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = get_user_model()
        fields = PERSON_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = [role.value for role in roles_held(self.instance)]


@admin.register(get_user_model())
class PersonAdmin(ServiceAdmin):
    form = PersonForm
    fields = ("username", *PERSON_FIELDS, "roles", "is_superuser", "last_login", "date_joined")
    service_fields = (*PERSON_FIELDS, "roles")
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_superuser")
    list_filter = ("is_active", "is_superuser", "groups")
    search_fields = ("username", "email", "first_name", "last_name")
    ordering = ("username",)

    def service_update(self, actor: User, record: Any, values: dict[str, Any]) -> None:
        current = {name: getattr(record, name) for name in PERSON_FIELDS}
        roles = values.pop("roles") if "roles" in values else roles_held(record)
        person_update(actor=actor, person=record, roles=roles, **{**current, **values})


@admin.register(Group)
class RoleGroupAdmin(ViewOnlyAdmin):
    """The groups carry the roles (core.access): a renamed group would take its role away."""

    list_display = ("name",)
    search_fields = ("name",)


@admin.register(models.ProgramMembership)
class ProgramMembershipAdmin(ViewOnlyAdmin):
    """Members join and leave on the people page, which keeps who added them."""

    list_display = ("user", "merger", "joined_at")
    list_filter = ("merger",)
    list_select_related = ("user", "merger")
    search_fields = ("user__username", "user__email", "user__last_name", "merger__name")
    autocomplete_fields = ("user", "merger")


@admin.register(models.UserPreference)
class UserPreferenceAdmin(ViewOnlyAdmin):
    """Each person picks their language in the app's language menu."""

    list_display = ("user", "language", "updated_at")
    list_filter = ("language",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    autocomplete_fields = ("user",)
