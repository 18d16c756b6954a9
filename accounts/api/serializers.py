"""Serializers of program reference data; writes are checked to stay inside one program."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ProgramUserField
from accounts.models import (
    ZERO,
    LegacyCompany,
    MatchDecision,
    Merger,
    Product,
    ProductFamily,
    Segment,
    SourceAccount,
    UnifiedAccount,
)
from accounts.selectors.reference import account_match_decisions
from accounts.services.mergers import company_create, company_update, merger_create, merger_update
from accounts.services.products import PRODUCT_FIELDS, product_create, product_update
from accounts.services.segments import segment_save
from accounts.services.unified_accounts import unified_account_create, unified_account_update
from core.api.fields import ProgramRelatedField, request_user

NON_NEGATIVE = {"min_value": ZERO}


# An object of one program, named by `merger`: an update may send it again, never change
# it. A comment, not a docstring: the schema would describe every subclass with it.
class ProgramObjectSerializer(serializers.ModelSerializer):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    moved_message = _("An object cannot move to another program.")

    def validate_merger(self, merger: Merger) -> Merger:
        if self.instance is not None and self.instance.merger_id != merger.pk:
            raise serializers.ValidationError(self.moved_message)
        return merger


# A program's row about one account and one product, shown with both names. A comment, not
# a docstring: the schema would describe every subclass with it.
class AccountProductSerializer(serializers.ModelSerializer):
    FIELDS = ["id", "merger", "account", "account_name", "product", "product_name", "segment"]

    account_name = serializers.CharField(source="account.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)


class MergerSerializer(serializers.ModelSerializer):
    # Only people who share a program with the requester, as on the program pages;
    # the service makes the leader a member of the program.
    accountable_leader = ProgramUserField(allow_null=True, required=False)

    class Meta:
        model = Merger
        fields = [
            "id",
            "name",
            "day_one",
            "reporting_currency",
            "horizon_months",
            "segment_conflict_rule",
            "reps_see_team_attainment",
            "accountable_leader",
            "created_at",
        ]

    def validate_reporting_currency(self, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise serializers.ValidationError(_("Use a three-letter ISO 4217 code, e.g. USD."))
        return value

    def create(self, validated_data: dict) -> Merger:
        return merger_create(actor=request_user(self), **validated_data)

    def update(self, instance: Merger, validated_data: dict) -> Merger:
        return merger_update(merger=instance, actor=request_user(self), **validated_data)


class CompanySerializer(ProgramObjectSerializer):
    class Meta:
        model = LegacyCompany
        fields = ["id", "merger", "name", "short_name", "role", "crm"]

    def create(self, validated_data: dict) -> LegacyCompany:
        return company_create(actor=request_user(self), **validated_data)

    def update(self, instance: LegacyCompany, validated_data: dict) -> LegacyCompany:
        validated_data.pop("merger", None)
        return company_update(actor=request_user(self), company=instance, **validated_data)


class SegmentSerializer(ProgramObjectSerializer):
    class Meta:
        model = Segment
        fields = ["id", "merger", "name", "industry", "size_band", "region", "description"]

    def create(self, validated_data: dict) -> Segment:
        return segment_save(actor=request_user(self), **validated_data)

    def update(self, instance: Segment, validated_data: dict) -> Segment:
        merger = validated_data.pop("merger", instance.merger)
        return segment_save(
            actor=request_user(self), merger=merger, segment=instance, **validated_data
        )


class SourceRecordSerializer(serializers.ModelSerializer):
    """One legacy CRM's record of a unified account."""

    company_name = serializers.CharField(source="company.name", read_only=True)
    company_role = serializers.CharField(source="company.role", read_only=True)

    class Meta:
        model = SourceAccount
        fields = [
            "id",
            "company",
            "company_name",
            "company_role",
            "crm_id",
            "name",
            "domain",
            "country",
            "city",
            "is_customer",
        ]
        read_only_fields = fields


class MatchDecisionSerializer(serializers.ModelSerializer):
    source_crm_id = serializers.CharField(source="source.crm_id", read_only=True, allow_null=True)
    source_company = serializers.IntegerField(
        source="source.company_id", read_only=True, allow_null=True
    )

    class Meta:
        model = MatchDecision
        fields = [
            "id",
            "action",
            "method",
            "score",
            "source",
            "source_crm_id",
            "source_company",
            "from_unified",
            "to_unified",
            "note",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class UnifiedAccountSerializer(ProgramObjectSerializer):
    segment = ProgramRelatedField(queryset=Segment.objects.all(), allow_null=True, required=False)
    sources = SourceRecordSerializer(many=True, read_only=True)
    # Stored as its parts; written in the reader's language.
    recommendation_reason = serializers.CharField(
        source="recommendation_reason_text", read_only=True
    )

    class Meta:
        model = UnifiedAccount
        fields = [
            "id",
            "merger",
            "name",
            "segment",
            "segment_source",
            "domain",
            "country",
            "city",
            "status",
            "recommendation",
            "recommendation_reason",
            "connection_strength",
            "connection_note",
            "sources",
            "created_at",
            "updated_at",
        ]
        # Computed from the install base, the connection signals and the risk screen; a
        # segment sent here is one assigned by hand.
        read_only_fields = [
            "segment_source",
            "status",
            "recommendation",
            "recommendation_reason",
            "connection_strength",
        ]

    def validate(self, attrs: dict) -> dict:
        merger = attrs.get("merger") or self.instance.merger
        segment = attrs.get("segment", self.instance.segment if self.instance else None)
        if segment is not None and segment.merger_id != merger.pk:
            raise serializers.ValidationError(
                {"segment": _("The segment belongs to another program.")}
            )
        return attrs

    def create(self, validated_data: dict) -> UnifiedAccount:
        return unified_account_create(actor=request_user(self), **validated_data)

    def update(self, instance: UnifiedAccount, validated_data: dict) -> UnifiedAccount:
        validated_data.pop("merger", None)
        return unified_account_update(actor=request_user(self), account=instance, **validated_data)


class UnifiedAccountDetailSerializer(UnifiedAccountSerializer):
    match_decisions = serializers.SerializerMethodField()

    class Meta(UnifiedAccountSerializer.Meta):
        fields = [*UnifiedAccountSerializer.Meta.fields, "match_decisions"]

    @extend_schema_field(MatchDecisionSerializer(many=True))
    def get_match_decisions(self, account: UnifiedAccount) -> list[dict]:
        decisions = account_match_decisions(account=account)
        return MatchDecisionSerializer(decisions, many=True, context=self.context).data


class ProductSerializer(serializers.ModelSerializer):
    merger = serializers.IntegerField(source="company.merger_id", read_only=True)
    company = ProgramRelatedField(queryset=LegacyCompany.objects.all())
    family = ProgramRelatedField(
        queryset=ProductFamily.objects.all(),
        merger_lookup="company__merger",
        allow_null=True,
        required=False,
    )

    class Meta:
        model = Product
        fields = ["id", "merger", *PRODUCT_FIELDS]
        extra_kwargs = {"list_price": NON_NEGATIVE, "typical_deal_size": NON_NEGATIVE}

    def validate_company(self, company: LegacyCompany) -> LegacyCompany:
        if self.instance is not None and company.merger_id != self.instance.company.merger_id:
            raise serializers.ValidationError(_("A product cannot move to another program."))
        return company

    def validate(self, attrs: dict) -> dict:
        company = attrs.get("company") or self.instance.company
        family = attrs.get("family", self.instance.family if self.instance else None)
        if family is not None and family.company_id != company.pk:
            raise serializers.ValidationError(
                {"family": _("The family belongs to another company.")}
            )
        return attrs

    def create(self, validated_data: dict) -> Product:
        return product_create(actor=request_user(self), **validated_data)

    def update(self, instance: Product, validated_data: dict) -> Product:
        return product_update(actor=request_user(self), product=instance, **validated_data)
