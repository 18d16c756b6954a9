"""Admin building blocks shared by the three apps."""

from django.contrib import admin
from django.http import HttpRequest


class LargeTableAdmin(admin.ModelAdmin):
    """For tables of 100k rows and more: no second COUNT(*) of the whole table."""

    show_full_result_count = False
    list_per_page = 50


class ViewOnlyAdmin(LargeTableAdmin):
    """Records written by services that also keep their history: the admin only reads.

    Editing them here would bypass the history, versioning and recomputation
    that the services do; pages and the API change them instead.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class HistoryAdmin(ViewOnlyAdmin):
    """Who changed what and when: never edited, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
