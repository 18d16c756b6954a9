"""Serializers of the overlap, product map, whitespace and risk endpoints."""

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import AccountProductSerializer, ProgramObjectSerializer
from accounts.models import (
    Direction,
    Kind,
    Product,
    ProductMapping,
    ProductOwnership,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.pipeline import deals_loggable_by
from accounts.product_affinity import MIN_OWNERS, Verdict
from accounts.selectors.whitespace import cell_opportunity_url
from accounts.services.product_map import product_mapping_create, product_mapping_update
from core.api.fields import ProgramRelatedField, request_user


def _share(help_text: str) -> serializers.DecimalField:
    """A share of accounts, 0 to 1."""
    return serializers.DecimalField(max_digits=6, decimal_places=4, help_text=help_text)


def _lift(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=4, **kwargs)


class StatusCountsSerializer(serializers.Serializer):
    acquirer_only = serializers.IntegerField()
    acquired_only = serializers.IntegerField()
    both = serializers.IntegerField()
    prospect = serializers.IntegerField()
    neither = serializers.IntegerField()


class SegmentOverlapSerializer(serializers.Serializer):
    segment_id = serializers.IntegerField(allow_null=True)
    segment_name = serializers.CharField()
    counts = StatusCountsSerializer()
    total = serializers.IntegerField()


class OverlapSerializer(serializers.Serializer):
    merger = serializers.IntegerField()
    counts = StatusCountsSerializer()
    total = serializers.IntegerField()
    by_segment = SegmentOverlapSerializer(many=True)


class OverlapAccountSerializer(serializers.ModelSerializer):
    segment_name = serializers.CharField(
        source="segment.name", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = UnifiedAccount
        fields = ["id", "name", "segment", "segment_name", "status", "recommendation"]


class AffinitySerializer(serializers.Serializer):
    population = serializers.ChoiceField(
        choices=ProductOwnership.Population.choices,
        help_text=_(
            "Whose install base the pair is measured in: the customers of both companies for "
            "a pair across them, that company's customers for a pair within one."
        ),
    )
    population_size = serializers.IntegerField(
        help_text=_("Accounts of that population with an install base.")
    )
    support = serializers.IntegerField(help_text=_("Accounts there that own both products."))
    source_owners = serializers.IntegerField(
        help_text=_("Owners of the source product there: the sample size n.")
    )
    target_owners = serializers.IntegerField()
    confidence = _share(_("Share of the source product's owners who also own the target."))
    confidence_low = _share(_("Lower end of the 95% Wilson score interval of the confidence."))
    confidence_high = _share(_("Upper end of the 95% Wilson score interval of the confidence."))
    base_rate = _share(_("Share of the population that owns the target."))
    lift = _lift()
    lift_low = _lift(help_text=_("The confidence interval's lower end divided by the base rate."))
    lift_high = _lift()
    verdict = serializers.ChoiceField(
        choices=[v.value for v in Verdict],
        help_text=format_lazy(
            _(
                "supports / contradicts: the interval lies above / below the base rate; "
                "inconclusive: it spans it; no_evidence: fewer than {n} owners of the source."
            ),
            n=MIN_OWNERS,
        ),
    )
    has_evidence = serializers.BooleanField(
        help_text=_("Supported, with a lift high enough to suggest the pair.")
    )


class ProductMappingSerializer(ProgramObjectSerializer):
    moved_message = _("A pair cannot move to another program.")
    source = ProgramRelatedField(queryset=Product.objects.all(), merger_lookup="company__merger")
    target = ProgramRelatedField(queryset=Product.objects.all(), merger_lookup="company__merger")

    class Meta:
        model = ProductMapping
        fields = [
            "id",
            "merger",
            "source",
            "target",
            "relation",
            "reason",
            "validated_with_customers",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]
        # The service reports a duplicate pair by field, like any other rule.
        validators: list = []

    def create(self, validated_data: dict[str, Any]) -> ProductMapping:
        return product_mapping_create(actor=request_user(self), **validated_data)

    def update(self, instance: ProductMapping, validated_data: dict[str, Any]) -> ProductMapping:
        validated_data.pop("merger", None)
        return product_mapping_update(actor=request_user(self), mapping=instance, **validated_data)


class MappedPairEvidenceSerializer(serializers.Serializer):
    mapping = ProductMappingSerializer(read_only=True)
    affinity = AffinitySerializer()
    verdict = serializers.ChoiceField(
        choices=[v.value for v in Verdict],
        help_text=_(
            "The affinity's verdict, or not_measured for an upgrade or alternative, which "
            "replaces the source product."
        ),
    )
    no_evidence = serializers.BooleanField(
        help_text=_("Too few owners of the source product to judge the pair by.")
    )
    validated_with_customers = serializers.BooleanField()


class SuggestionSerializer(serializers.Serializer):
    source = serializers.IntegerField(source="source.pk")
    source_name = serializers.CharField(source="source.name")
    target = serializers.IntegerField(source="target.pk")
    target_name = serializers.CharField(source="target.name")
    affinity = AffinitySerializer()


class WhitespaceCellSerializer(AccountProductSerializer):
    reason = serializers.CharField(source="via.reason", default="", read_only=True)
    recommendation = serializers.CharField(source="account.recommendation", read_only=True)
    opportunity_url = serializers.SerializerMethodField(
        help_text=_(
            "Opens a new opportunity prefilled from this candidate; empty for those who may "
            "not log one."
        )
    )
    value_basis_label = serializers.CharField(
        source="get_value_basis_display",
        read_only=True,
        help_text=_("What the potential value is estimated from."),
    )

    class Meta:
        model = WhitespaceCell
        fields = [
            *AccountProductSerializer.FIELDS,
            "direction",
            "kind",
            "potential_value",
            "value_basis",
            "value_basis_label",
            "via",
            "reason",
            "recommendation",
            "opportunity_url",
        ]
        read_only_fields = fields

    def get_opportunity_url(self, cell: WhitespaceCell) -> str:
        # Only for those who may log a deal: the form answers "Not allowed" to the rest.
        return cell_opportunity_url(cell) if self._may_log_deals() else ""

    def _may_log_deals(self) -> bool:
        # Asked once per response: the context is the list's, shared by every cell.
        if "may_log_deals" not in self.context:
            request = self.context.get("request")
            self.context["may_log_deals"] = request is not None and deals_loggable_by(
                user=request.user
            )
        return self.context["may_log_deals"]


class WhitespaceTotalSerializer(serializers.Serializer):
    segment_id = serializers.IntegerField(allow_null=True)
    segment_name = serializers.CharField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    direction_label = serializers.CharField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2)


class PrefillSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    product = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    reason = serializers.CharField()
    recommendation = serializers.ChoiceField(choices=UnifiedAccount.Recommendation.choices)
    recommendation_reason = serializers.CharField()


class RiskFlagSerializer(serializers.Serializer):
    profile = serializers.CharField()
    label = serializers.CharField()
    detail = serializers.CharField()


class AccountScreenSerializer(serializers.Serializer):
    account = serializers.SerializerMethodField()
    connection_strength = serializers.IntegerField(source="strength", allow_null=True)
    strong_connection = serializers.BooleanField(source="strong")
    connection_reasons = serializers.ListField(child=serializers.CharField(), source="reasons")
    connection_note = serializers.CharField(source="note")
    recommendation = serializers.ChoiceField(choices=UnifiedAccount.Recommendation.choices)
    recommendation_reason = serializers.CharField(source="risk.reason")
    flags = RiskFlagSerializer(many=True, source="risk.flags")

    def get_account(self, screen: Any) -> int:
        return self.context["account_id"]
