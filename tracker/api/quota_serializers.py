"""Serializers of quotas, their history and the quota import."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import CurrencyCodeField
from core.api.fields import ProgramRelatedField
from tracker.api.file_imports import FileImportSerializer
from tracker.frozen_notes import closed_months_note
from tracker.models import Quota, Rep
from tracker.quota_math import Period


def _amount(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal("0"), **kwargs
    )


class QuotaSerializer(serializers.ModelSerializer):
    rep_name = serializers.CharField(source="rep", read_only=True)
    team = serializers.IntegerField(source="rep.team_id", read_only=True, allow_null=True)
    period = serializers.SerializerMethodField(help_text=_("2026-03 or 2026-Q1"))

    class Meta:
        model = Quota
        fields = [
            "id",
            "rep",
            "rep_name",
            "team",
            "period",
            "period_kind",
            "period_start",
            "core_amount",
            "cross_sell_amount",
            "currency",
            "core_amount_original",
            "cross_sell_amount_original",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_period(self, quota: Quota) -> str:
        return Period(quota.period_start, quota.period_kind).code


class QuotaSavedSerializer(QuotaSerializer):
    """A quota as a write left it, with what the write does to the period's closed months."""

    closed_months = serializers.SerializerMethodField(
        help_text=_(
            "The closed months of the quota's period (2026-03): their frozen quota and "
            "attainment do not change; the quota counts only in the open months."
        )
    )
    closed_note = serializers.SerializerMethodField(
        help_text=_("What the write does to the closed months, in a sentence; empty if none.")
    )

    class Meta(QuotaSerializer.Meta):
        fields = [*QuotaSerializer.Meta.fields, "closed_months", "closed_note"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_closed_months(self, quota: Quota) -> list[str]:
        return [f"{month:%Y-%m}" for month in self._closed(quota)]

    @extend_schema_field(OpenApiTypes.STR)
    def get_closed_note(self, quota: Quota) -> str:
        return closed_months_note(
            Period(quota.period_start, quota.period_kind), self._closed(quota)
        )

    def _closed(self, quota: Quota) -> tuple[date, ...]:
        return self.context.get("closed_months", ())


class QuotaCreateSerializer(serializers.Serializer):
    rep = ProgramRelatedField(queryset=Rep.objects.select_related("user"))
    period_kind = serializers.ChoiceField(choices=Quota.Period.choices)
    period_start = serializers.DateField(
        help_text=_("Any day of the month or quarter; stored as its first day.")
    )
    core_amount = _amount()
    cross_sell_amount = _amount()
    currency = CurrencyCodeField()


class QuotaUpdateSerializer(serializers.Serializer):
    core_amount = _amount(required=False)
    cross_sell_amount = _amount(required=False)
    currency = CurrencyCodeField()
    version = serializers.IntegerField(
        min_value=1,
        help_text=_("The version you read; if it changed since, nothing is written (409)."),
    )


class QuotaConflictSerializer(serializers.Serializer):
    """The body of a 409: someone else set or changed the quota first."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text=_("0 if the quota no longer exists."))


class QuotaImportSerializer(FileImportSerializer):
    file = serializers.FileField(
        help_text=_(
            "CSV or XLSX: rep, period, core, cross_sell and optionally currency (or a code or "
            "symbol in the amount cells)."
        )
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class QuotaImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    file_errors = serializers.ListField(child=serializers.CharField())
    closed_notes = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text=_(
            "For each period the file sets that has closed months: those months' frozen "
            "quota and attainment do not change; the quota counts only in the open months."
        ),
    )
