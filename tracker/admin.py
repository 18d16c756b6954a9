from django.contrib import admin
from django.db import transaction

from core.admin_mixins import HistoryAdmin, ServiceAdmin, ViewOnlyAdmin
from tracker import models
from tracker.services.org import (
    REP_FIELDS,
    TEAM_FIELDS,
    certification_delete,
    certification_update,
    rep_update,
    team_delete,
    team_update,
)
from tracker.services.stages import STAGE_FIELDS, stage_delete, stage_update


@admin.register(models.Team)
class TeamAdmin(ServiceAdmin):
    list_display = ("name", "leader", "parent", "region", "merger")
    list_filter = ("merger",)
    list_select_related = ("leader", "parent", "merger")
    search_fields = ("name", "region")
    autocomplete_fields = ("leader", "parent")
    service_fields = TEAM_FIELDS

    def service_update(self, actor, record, values) -> None:
        team_update(actor=actor, team=record, **values)

    def service_delete(self, actor, record) -> None:
        team_delete(actor=actor, team=record)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        # Teams below first: a team goes only once nothing reports to it, so a branch
        # selected whole is removed whole, whatever order the list has.
        teams = list(queryset)
        while teams:
            parents = {team.parent_id for team in teams}
            leaves = [team for team in teams if team.pk not in parents] or teams
            teams = [team for team in teams if team not in leaves]
            for team in leaves:
                self.delete_model(request, team)


@admin.register(models.Rep)
class RepAdmin(ServiceAdmin):
    """A rep's deals, quotas and credit are theirs: the person stays, and a rep who
    leaves is marked inactive rather than deleted (no service deletes reps)."""

    list_display = ("__str__", "team", "company", "motion", "start_date", "is_active", "merger")
    list_filter = ("is_active", "motion", "merger")
    list_select_related = ("user", "team", "company", "merger")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("team", "company")
    service_fields = tuple(name for name in REP_FIELDS if name != "user")

    def service_update(self, actor, record, values) -> None:
        rep_update(actor=actor, rep=record, **values)


@admin.register(models.Certification)
class CertificationAdmin(ServiceAdmin):
    list_display = ("rep", "product", "certified_on")
    list_select_related = ("rep__user", "product")
    search_fields = ("rep__user__username", "rep__user__last_name", "product__name")
    autocomplete_fields = ("rep", "product")
    service_fields = ("rep", "product", "certified_on")

    def service_update(self, actor, record, values) -> None:
        certification_update(actor=actor, certification=record, **values)

    def service_delete(self, actor, record) -> None:
        certification_delete(actor=actor, certification=record)


@admin.register(models.Stage)
class StageAdmin(ServiceAdmin):
    list_display = ("name", "order", "probability", "forecast_category", "outcome", "merger")
    list_filter = ("outcome", "forecast_category", "merger")
    list_select_related = ("merger",)
    search_fields = ("name",)
    ordering = ("merger", "order")
    service_fields = STAGE_FIELDS

    def get_readonly_fields(self, request, obj=None) -> tuple[str, ...]:
        # Opportunities keep their stage's outcome (pipeline figures filter on it);
        # moving a stage in use between open, won and lost would leave them behind.
        fixed = super().get_readonly_fields(request, obj)
        if obj is not None and obj.opportunities.exists():
            return ("outcome", *fixed)
        return fixed

    def service_update(self, actor, record, values) -> None:
        stage_update(actor=actor, stage=record, **values)

    def service_delete(self, actor, record) -> None:
        stage_delete(actor=actor, stage=record)


@admin.register(models.Opportunity)
class OpportunityAdmin(ViewOnlyAdmin):
    list_display = (
        "__str__",
        "owner",
        "stage",
        "outcome",
        "amount",
        "expected_close",
        "updated_at",
        "merger",
    )
    list_filter = ("outcome", "kind", "direction", "source", "merger")
    list_select_related = ("account", "product", "owner__user", "stage", "merger")
    search_fields = ("=id", "account__name", "=product__code")


@admin.register(models.Quota)
class QuotaAdmin(ViewOnlyAdmin):
    list_display = ("rep", "period_kind", "period_start", "core_amount", "cross_sell_amount")
    list_filter = ("period_kind", "rep__merger")
    list_select_related = ("rep__user",)
    search_fields = ("rep__user__username", "rep__user__last_name")


@admin.register(models.CreditSplit)
class CreditSplitAdmin(ViewOnlyAdmin):
    """An opportunity's credit is set as a whole on its credit page, which checks the shares."""

    list_display = ("opportunity", "rep", "kind", "percent", "role_note")
    list_filter = ("kind",)
    list_select_related = ("opportunity__account", "opportunity__product", "rep__user")
    search_fields = ("=opportunity__id", "rep__user__username")
    raw_id_fields = ("opportunity",)
    autocomplete_fields = ("rep",)


@admin.register(models.CompPlan)
class CompPlanAdmin(ViewOnlyAdmin):
    """Set on the compensation page, which converts the amounts and checks the reps."""

    list_display = (
        "name",
        "period_start",
        "period_end",
        "for_leaders",
        "cross_sell_share_pct",
        "spif_kind",
        "merger",
    )
    list_filter = ("for_leaders", "spif_kind", "merger")
    list_select_related = ("merger",)
    search_fields = ("name",)
    autocomplete_fields = ("merger", "reps")


@admin.register(models.CoreWinRate)
class CoreWinRateAdmin(ViewOnlyAdmin):
    """Entered on the core win-rate page, which checks periods and tells the scorecard."""

    list_display = ("period_start", "period_kind", "company", "won_count", "lost_count", "source")
    list_filter = ("period_kind", "merger")
    list_select_related = ("company",)
    search_fields = ("source", "notes", "company__name")


@admin.register(models.SynergyTarget)
class SynergyTargetAdmin(ViewOnlyAdmin):
    """Set on the targets page or by its import, which keep who changed what."""

    list_display = ("month", "segment", "revenue_synergy", "cross_sell", "merger")
    list_filter = ("merger",)
    list_select_related = ("segment", "merger")
    ordering = ("merger", "month")


class SnapshotLineInline(admin.TabularInline):
    model = models.SnapshotLine
    extra = 0
    can_delete = False
    fields = ("scope", "label", "open_pipeline", "weighted_pipeline", "won_amount", "target")
    readonly_fields = fields


@admin.register(models.MonthlySnapshot)
class MonthlySnapshotAdmin(HistoryAdmin):
    """Frozen months: figures reported to leadership never change afterwards."""

    list_display = ("month", "merger", "frozen_at")
    list_filter = ("merger",)
    list_select_related = ("merger",)
    inlines = (SnapshotLineInline,)


@admin.register(models.SnapshotLine)
class SnapshotLineAdmin(HistoryAdmin):
    list_display = ("snapshot", "scope", "label", "open_pipeline", "won_amount", "target")
    list_filter = ("scope",)
    list_select_related = ("snapshot__merger",)
    search_fields = ("label", "=key")


@admin.register(models.SnapshotDeal)
class SnapshotDealAdmin(HistoryAdmin):
    """The deals a frozen month kept behind its open pipeline and its wins."""

    list_display = ("snapshot", "kept", "opportunity_id", "stage_order", "amount", "closed_on")
    list_filter = ("kept",)
    list_select_related = ("snapshot__merger",)
    search_fields = ("=opportunity_id",)


@admin.register(models.SnapshotCredit)
class SnapshotCreditAdmin(HistoryAdmin):
    """The credit lines a frozen month kept: who each of its wins credited, and by what."""

    list_display = ("snapshot", "opportunity_id", "rep_id", "team_id", "kind", "percent")
    list_filter = ("kind",)
    list_select_related = ("snapshot__merger",)
    search_fields = ("=opportunity_id", "=rep_id")


@admin.register(models.SnapshotTeam)
class SnapshotTeamAdmin(HistoryAdmin):
    """The team tree a frozen month kept: whom each team reported to when its lines were
    rolled up."""

    list_display = ("snapshot", "team_id", "parent_id")
    list_select_related = ("snapshot__merger",)
    search_fields = ("=team_id", "=parent_id")


@admin.register(models.SnapshotRestatement)
class SnapshotRestatementAdmin(HistoryAdmin):
    """The restatements a frozen month kept: deals of earlier months whose count changed."""

    list_display = ("snapshot", "opportunity_id", "month_before", "before", "after")
    list_select_related = ("snapshot__merger",)
    search_fields = ("=opportunity_id",)


@admin.register(models.DigestDelivery)
class DigestDeliveryAdmin(HistoryAdmin):
    list_display = ("sent_on", "rep", "opportunity_count")
    list_select_related = ("rep__user",)
    search_fields = ("rep__user__username",)


@admin.register(models.HomeVisit)
class HomeVisitAdmin(HistoryAdmin):
    list_display = ("seen_at", "user", "merger")
    list_select_related = ("user", "merger")
    search_fields = ("user__username",)
