from django.contrib import admin

from accounts import models
from accounts.admin import people  # noqa: F401  (logins, role groups, memberships)
from accounts.services.mergers import merger_update
from accounts.services.product_map import (
    EDITABLE_FIELDS,
    product_mapping_delete,
    product_mapping_update,
)
from accounts.services.risk_policy import POLICY_FIELDS, risk_policy_update
from accounts.services.segments import region_delete, region_save, size_band_delete, size_band_save
from core.admin_mixins import HistoryAdmin, ServiceAdmin, ViewOnlyAdmin


class LegacyCompanyInline(admin.TabularInline):
    """Shown, not edited: the program pages and the API change companies through their service."""

    model = models.LegacyCompany
    extra = 0
    fields = ("name", "short_name", "role", "crm")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Merger)
class MergerAdmin(ServiceAdmin):
    """Programs are created on the new-program page, with their companies and first
    members, and never deleted here: their history would go with them."""

    list_display = (
        "name",
        "day_one",
        "horizon_months",
        "reporting_currency",
        "accountable_leader",
    )
    list_select_related = ("accountable_leader",)
    search_fields = ("name",)
    autocomplete_fields = ("accountable_leader",)
    inlines = (LegacyCompanyInline,)
    service_fields = (
        "name",
        "day_one",
        "reporting_currency",
        "horizon_months",
        "stale_after_days",
        "reps_see_team_attainment",
        "segment_conflict_rule",
        "accountable_leader",
    )

    def service_update(self, actor, record, values) -> None:
        merger_update(merger=record, actor=actor, **values)


@admin.register(models.LegacyCompany)
class LegacyCompanyAdmin(ViewOnlyAdmin):
    list_display = ("name", "short_name", "role", "crm", "merger")
    list_filter = ("role", "crm", "merger")
    list_select_related = ("merger",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("merger",)


@admin.register(models.Segment)
class SegmentAdmin(ViewOnlyAdmin):
    list_display = ("name", "industry", "size_band", "region", "merger")
    list_filter = ("merger",)
    list_select_related = ("merger",)
    search_fields = ("name", "industry", "region")
    autocomplete_fields = ("merger",)


@admin.register(models.SizeBand)
class SizeBandAdmin(ServiceAdmin):
    list_display = ("name", "min_employees", "max_employees", "merger")
    list_filter = ("merger",)
    list_select_related = ("merger",)
    service_fields = ("name", "min_employees", "max_employees")

    def service_update(self, actor, record, values) -> None:
        size_band_save(actor=actor, merger=record.merger, size_band=record, **values)

    def service_delete(self, actor, record) -> None:
        size_band_delete(actor=actor, size_band=record)


@admin.register(models.Region)
class RegionAdmin(ServiceAdmin):
    list_display = ("name", "countries", "merger")
    list_filter = ("merger",)
    list_select_related = ("merger",)
    service_fields = ("name", "countries")

    def service_update(self, actor, record, values) -> None:
        region_save(actor=actor, merger=record.merger, region=record, **values)

    def service_delete(self, actor, record) -> None:
        region_delete(actor=actor, region=record)


@admin.register(models.UnifiedAccount)
class UnifiedAccountAdmin(ViewOnlyAdmin):
    list_display = (
        "name",
        "domain",
        "segment",
        "segment_source",
        "status",
        "recommendation",
        "connection_strength",
        "merger",
    )
    list_filter = ("status", "recommendation", "merger")
    list_select_related = ("segment", "merger")
    search_fields = ("name", "=domain")
    autocomplete_fields = ("merger", "segment")
    readonly_fields = ("created_at", "updated_at")


@admin.register(models.SourceAccount)
class SourceAccountAdmin(ViewOnlyAdmin):
    """Written by the CRM imports, which keep each row's history; matching links them."""

    list_display = (
        "name",
        "crm_id",
        "company",
        "unified",
        "is_customer",
        "revenue_current",
        "decision_maker_known",
        "origin",
    )
    list_filter = ("is_customer", "decision_maker_known", "origin", "company")
    list_select_related = ("company", "unified")
    search_fields = ("=crm_id", "name", "=domain")
    raw_id_fields = ("unified",)
    autocomplete_fields = ("company", "segment")
    readonly_fields = ("normalized_name", "created_at", "updated_at")


@admin.register(models.ProductFamily)
class ProductFamilyAdmin(ViewOnlyAdmin):
    """Created by the product imports from the families the CRM names."""

    list_display = ("name", "company")
    list_filter = ("company",)
    list_select_related = ("company",)
    search_fields = ("name",)
    autocomplete_fields = ("company",)


@admin.register(models.Product)
class ProductAdmin(ViewOnlyAdmin):
    list_display = (
        "name",
        "code",
        "company",
        "family",
        "list_price",
        "typical_deal_size",
        "sales_cycle",
        "is_active",
    )
    list_filter = ("is_active", "sales_cycle", "company")
    list_select_related = ("company", "family")
    search_fields = ("name", "=code")
    autocomplete_fields = ("company", "family")


@admin.register(models.Holding)
class HoldingAdmin(ViewOnlyAdmin):
    """The install base: written by the imports and by won deals."""

    list_display = ("account", "product", "annual_revenue", "since", "origin")
    list_filter = ("origin",)
    list_select_related = ("account__company", "product")
    # Exact matches only: a substring search over a million rows would scan them all.
    search_fields = ("=account__crm_id", "=product__code", "=crm_id")
    raw_id_fields = ("account",)
    autocomplete_fields = ("product",)


@admin.register(models.ProductMapping)
class ProductMappingAdmin(ServiceAdmin):
    list_display = ("source", "target", "relation", "validated_with_customers", "merger")
    list_filter = ("relation", "validated_with_customers", "merger")
    list_select_related = ("source", "target", "merger")
    search_fields = ("source__name", "target__name", "reason")
    autocomplete_fields = ("source", "target")
    readonly_fields = ("created_at", "updated_at")
    service_fields = EDITABLE_FIELDS

    def service_update(self, actor, record, values) -> None:
        product_mapping_update(actor=actor, mapping=record, **values)

    def service_delete(self, actor, record) -> None:
        product_mapping_delete(actor=actor, mapping=record)


@admin.register(models.WhitespaceCell)
class WhitespaceCellAdmin(ViewOnlyAdmin):
    """Recomputed from the install base and the product map by every whitespace refresh."""

    list_display = (
        "account",
        "product",
        "direction",
        "kind",
        "potential_value",
        "value_basis",
        "segment",
    )
    list_filter = ("direction", "kind", "value_basis", "merger")
    list_select_related = ("account", "product", "segment")
    search_fields = ("=account__id", "account__name")
    raw_id_fields = ("account", "via")
    autocomplete_fields = ("merger", "product", "segment")


@admin.register(models.ProductOwnership)
class ProductOwnershipAdmin(ViewOnlyAdmin):
    """Counted from the install base by every analysis refresh."""

    list_display = ("merger", "product", "other", "accounts")
    list_filter = ("merger",)
    list_select_related = ("merger", "product", "other")


@admin.register(models.ProductSpend)
class ProductSpendAdmin(ViewOnlyAdmin):
    """Counted from the CRM install base by every whitespace refresh."""

    list_display = ("merger", "segment", "product", "owners", "paying", "median_revenue")
    list_filter = ("merger",)
    list_select_related = ("merger", "segment", "product")


# What every whitespace count holds (accounts.models.whitespace.CandidateCount).
COUNTS = ("cells", "value")


class CandidateCountAdmin(ViewOnlyAdmin):
    """Counted from the whitespace cells by every whitespace refresh."""

    def get_fields(self, request, obj=None) -> list[str]:
        # The counts after what they count, although the shared model declares them first.
        fields = [name for name in super().get_fields(request, obj) if name not in COUNTS]
        return [*fields, *COUNTS]


@admin.register(models.WhitespaceRollup)
class WhitespaceRollupAdmin(CandidateCountAdmin):
    list_display = ("merger", "segment", "product", "direction", *COUNTS)
    list_filter = ("merger", "direction")
    list_select_related = ("merger", "segment", "product")


@admin.register(models.WhitespaceAccountTotal)
class WhitespaceAccountTotalAdmin(CandidateCountAdmin):
    list_display = ("merger", "account", "direction", *COUNTS)
    list_filter = ("merger", "direction")
    list_select_related = ("merger", "account")
    raw_id_fields = ("account",)


@admin.register(models.WhitespaceFamilyTotal)
class WhitespaceFamilyTotalAdmin(CandidateCountAdmin):
    list_display = ("merger", "account", "family", *COUNTS)
    list_filter = ("merger",)
    list_select_related = ("merger", "account", "family")
    raw_id_fields = ("account",)


@admin.register(models.RiskPolicy)
class RiskPolicyAdmin(ServiceAdmin):
    list_display = (
        "merger",
        "service_demand_growth_pct",
        "revenue_reversal_pct",
        "promotion_discount_pct",
        "spending_limit_growth_pct",
        "spending_limit_min_products",
        "strong_connection_min",
        "updated_by",
        "updated_at",
    )
    list_select_related = ("merger",)
    service_fields = POLICY_FIELDS

    def service_update(self, actor, record, values) -> None:
        risk_policy_update(actor=actor, merger=record.merger, **values)


@admin.register(models.MatchCandidate)
class MatchCandidateAdmin(ViewOnlyAdmin):
    """Proposed by the matching run; decided on the match review page, which keeps the decision."""

    list_display = ("left", "right", "score", "status", "merger", "updated_at")
    list_filter = ("status", "merger")
    list_select_related = ("left__company", "right__company", "merger")
    search_fields = ("=left__crm_id", "=right__crm_id")
    raw_id_fields = ("left", "right")
    autocomplete_fields = ("merger",)


@admin.register(models.MatchDecision)
class MatchDecisionAdmin(HistoryAdmin):
    list_display = ("decided_at", "action", "method", "score", "source", "decided_by", "merger")
    list_filter = ("action", "merger")
    list_select_related = ("source__company", "decided_by", "merger")
    search_fields = ("=source__crm_id",)


@admin.register(models.ColumnMapping)
class ColumnMappingAdmin(ViewOnlyAdmin):
    """Saved from the import page's column choices, which the next imports reuse."""

    list_display = ("name", "kind", "merger", "created_by")
    list_filter = ("kind", "merger")
    list_select_related = ("merger", "created_by")
    search_fields = ("name",)
    autocomplete_fields = ("merger", "created_by")


@admin.register(models.ImportJob)
class ImportJobAdmin(ViewOnlyAdmin):
    """What an import did: its rows' history points at it, so it is never edited."""

    list_display = (
        "original_name",
        "kind",
        "company",
        "status",
        "processed_rows",
        "total_rows",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "kind", "merger")
    list_select_related = ("company", "created_by")
    search_fields = ("original_name",)
    autocomplete_fields = ("merger", "company", "created_by")
    readonly_fields = ("created_at", "finished_at")


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ViewOnlyAdmin):
    """Saving a rate converts what depends on it and keeps its history: the
    exchange-rate page and API do that, the admin only reads."""

    list_display = ("merger", "month", "currency", "rate", "updated_by", "updated_at")
    list_filter = ("merger", "currency")
    list_select_related = ("merger", "updated_by")


@admin.register(models.RecordChange)
class RecordChangeAdmin(HistoryAdmin):
    list_display = ("at", "content_type", "object_repr", "action", "actor_name", "via", "merger")
    list_filter = ("action", "via", "content_type", "merger")
    list_select_related = ("content_type", "merger")
    search_fields = ("=object_id", "object_repr", "=import_job__id")
