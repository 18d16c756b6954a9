from django.contrib import admin

from core.admin_mixins import HistoryAdmin, ViewOnlyAdmin
from scorecards import models


@admin.register(models.ScoringPolicy)
class ScoringPolicyAdmin(ViewOnlyAdmin):
    """Set through the API, whose service checks the weights and thresholds."""

    list_display = ("merger", "strong_from")
    list_select_related = ("merger",)
    autocomplete_fields = ("merger",)


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(ViewOnlyAdmin):
    list_display = ("month", "segment", "c", "label", "value", "unit", "score", "frozen")
    list_filter = ("c", "frozen", "merger")
    list_select_related = ("segment",)
    search_fields = ("code", "label", "segment__name")


@admin.register(models.CScore)
class CScoreAdmin(ViewOnlyAdmin):
    list_display = (
        "month",
        "segment",
        "c",
        "computed",
        "score",
        "weakest_code",
        "weakest_score",
        "frozen",
        "computed_at",
    )
    list_filter = ("c", "frozen", "merger")
    list_select_related = ("segment",)
    search_fields = ("segment__name",)


@admin.register(models.SegmentScore)
class SegmentScoreAdmin(ViewOnlyAdmin):
    list_display = (
        "month",
        "segment",
        "composite",
        "scored_count",
        "strong_count",
        "frozen",
        "computed_at",
    )
    list_filter = ("frozen", "merger")
    list_select_related = ("segment",)
    search_fields = ("segment__name",)


@admin.register(models.ScoreChange)
class ScoreChangeAdmin(HistoryAdmin):
    list_display = ("changed_at", "c_score", "old_score", "new_score", "reason", "changed_by")
    list_select_related = ("c_score", "changed_by")
    search_fields = ("reason",)


@admin.register(models.Assessment)
class AssessmentAdmin(HistoryAdmin):
    """Every assessment is kept and the latest applies; they are added on the scorecard."""

    list_display = ("created_at", "segment", "month", "c", "mode", "score", "author")
    list_filter = ("c", "mode", "merger")
    list_select_related = ("segment", "author")
    search_fields = ("segment__name", "evidence")


@admin.register(models.ProgramReview)
class ProgramReviewAdmin(ViewOnlyAdmin):
    """Kept through the API, whose service checks who chairs the review."""

    list_display = ("held_on", "merger", "chaired_by")
    list_filter = ("merger",)
    list_select_related = ("merger", "chaired_by")
    search_fields = ("notes",)
    autocomplete_fields = ("merger", "chaired_by")


@admin.register(models.ProgramDataChange)
class ProgramDataChangeAdmin(ViewOnlyAdmin):
    """Noted by the services' data-change signal; open months score live until recomputed."""

    list_display = ("merger", "changed_at")
    list_select_related = ("merger",)


@admin.register(models.ExportJob)
class ExportJobAdmin(ViewOnlyAdmin):
    """Requested on the reports page and written by the export worker."""

    list_display = ("created_at", "report", "month", "format", "status", "progress", "merger")
    list_filter = ("status", "format", "merger")
    list_select_related = ("merger", "requested_by")
    readonly_fields = ("status", "progress", "file", "message", "created_at", "finished_at")
