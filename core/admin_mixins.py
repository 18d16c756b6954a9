"""Admin building blocks shared by the three apps."""

from collections.abc import Callable, Collection
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.access import User


class LargeTableAdmin(admin.ModelAdmin):
    """For tables of 100k rows and more: no second COUNT(*) of the whole table."""

    show_full_result_count = False
    list_per_page = 50


class ViewOnlyAdmin(LargeTableAdmin):
    """Records written by services that also keep their history: the admin only reads.

    Editing or deleting them here would bypass the history, versioning and
    recomputation that the services do; pages and the API change them instead.
    Derived rows (imported, recomputed) are never changed by hand at all.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class HistoryAdmin(ViewOnlyAdmin):
    """Who changed what and when: never edited, never deleted."""


class ServiceAdmin(admin.ModelAdmin):
    """Changes and deletions go through the record's service, as on the product's pages.

    The service checks the values, keeps the history (who, when, from, to) and
    announces the change so that what depends on the record is recomputed.
    Records are added on the pages, which know the program they belong to.
    """

    # The fields the service changes; the form shows the others read-only.
    service_fields: Collection[str] = ()
    # None: the record is not deleted here (no service deletes it).
    service_delete: Callable[[User, Any], None] | None = None

    def service_update(self, actor: User, record: Any, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.service_delete is not None and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        fixed = [
            field.name
            for field in self.model._meta.get_fields()
            if getattr(field, "editable", False)
            and field.concrete
            and not field.auto_created
            and field.name not in self.service_fields
        ]
        return (*super().get_readonly_fields(request, obj), *fixed)

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        # `obj` already holds the form's values: the service compares with the stored record.
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        self.service_update(request.user, type(obj)._default_manager.get(pk=obj.pk), values)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.service_delete(request.user, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One service call per record, so that each deletion is checked and kept;
        # one refusal keeps them all.
        for obj in queryset:
            self.delete_model(request, obj)

    def _refusal_shown(self, view: Callable[..., HttpResponse], request, *args, **kwargs):
        try:
            # One transaction for the whole view: Django logs a bulk deletion before it
            # deletes, so a refusal must take that log entry back with the rest.
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except ValidationError as refusal:
            # The service refused the change: its transaction rolled back, nothing was written.
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs) -> HttpResponse:
        return self._refusal_shown(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs) -> HttpResponse:
        return self._refusal_shown(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs) -> HttpResponse:
        return self._refusal_shown(super().changelist_view, request, *args, **kwargs)
