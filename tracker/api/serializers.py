"""Serializers of opportunities: one to show them, one per kind of write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import AccountProductSerializer
from accounts.models import Merger, Product, UnifiedAccount
from core.api.fields import ProgramRelatedField
from tracker.models import Opportunity, Rep, Stage
from tracker.opportunity_rules import SMALL_CROSS_SELL, UPSELL_RAISE
from tracker.services.bulk import BULK_MAX_ITEMS, BulkStatus

# The fields a client sets; the service derives the rest (outcome, segment, direction, history).
WRITABLE_FIELDS = [
    "account",
    "product",
    "owner",
    "stage",
    "kind",
    "probability",
    "amount",
    "currency",
    "expected_close",
    "closed_on",
    "customer_need",
    "next_step",
    "lost_reason",
]


class OpportunitySerializer(AccountProductSerializer):
    owner_name = serializers.CharField(source="owner", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            *AccountProductSerializer.FIELDS,
            "kind",
            "direction",
            "owner",
            "owner_name",
            "stage",
            "stage_name",
            "outcome",
            "probability",
            "amount",
            "currency",
            "amount_original",
            "expected_close",
            "closed_on",
            "customer_need",
            "next_step",
            "lost_reason",
            "source",
            "risk_override_reason",
            "risk_override_by",
            "reopen_count",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RuleWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[UPSELL_RAISE, SMALL_CROSS_SELL])
    field = serializers.CharField()
    message = serializers.CharField()


class OpportunityWrittenSerializer(OpportunitySerializer):
    """An opportunity as a write left it, with the rules of thumb it breaks.

    Warnings never block a write through the API; a client shows them.
    """

    warnings = serializers.SerializerMethodField()

    class Meta(OpportunitySerializer.Meta):
        fields = [*OpportunitySerializer.Meta.fields, "warnings"]
        read_only_fields = fields

    @extend_schema_field(RuleWarningSerializer(many=True))
    def get_warnings(self, opportunity: Opportunity) -> list[dict]:
        return RuleWarningSerializer(self.context.get("warnings", []), many=True).data


RISK_OVERRIDE_HELP = _(
    'Needed on an account the risk screen marks "don\'t sell", and for a cross-sell on one it '
    'marks "upsell only": only a sales leader or sales ops may log such an opportunity (or '
    "move or change one into it), and must say why. Recorded with their name in the history."
)


class _OpportunityInput(serializers.ModelSerializer):
    account = ProgramRelatedField(queryset=UnifiedAccount.objects.all())
    product = ProgramRelatedField(
        queryset=Product.objects.select_related("company"), merger_lookup="company__merger"
    )
    owner = ProgramRelatedField(
        queryset=Rep.objects.select_related("user"),
        required=False,
        help_text=_("The owning rep; defaults to your own rep record in the program."),
    )
    stage = ProgramRelatedField(queryset=Stage.objects.all())
    probability = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Defaults to the stage's probability."),
    )
    amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_(
            "In `currency`; stored as entered and converted to the reporting currency at the "
            "rate of the deal's month (refused when that rate is missing)."
        ),
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        help_text=_("ISO 4217 code of `amount`; blank or absent: the reporting currency."),
    )

    class Meta:
        model = Opportunity
        fields = WRITABLE_FIELDS
        # The service checks the one-open-per-account-and-product rule and names the first.
        validators: list = []


class OpportunityCreateSerializer(_OpportunityInput):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")

    risk_override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text=RISK_OVERRIDE_HELP
    )

    class Meta(_OpportunityInput.Meta):
        fields = ["merger", *WRITABLE_FIELDS, "source", "risk_override_reason"]


class OpportunityUpdateSerializer(_OpportunityInput):
    version = serializers.IntegerField(
        min_value=1,
        help_text=_("The version you read; if it changed since, nothing is written (409)."),
    )
    risk_override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text=RISK_OVERRIDE_HELP
    )

    class Meta(_OpportunityInput.Meta):
        fields = [*WRITABLE_FIELDS, "version", "risk_override_reason"]

    def validate(self, attrs: dict) -> dict:
        # PATCH skips absent fields, but never the version.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": _("Send the version you read.")})
        return attrs


class OpportunityReopenSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version you read."))
    stage = ProgramRelatedField(
        queryset=Stage.objects.all(),
        required=False,
        help_text=_("An open stage; defaults to the program's first."),
    )
    expected_close = serializers.DateField(required=False)


class StaleVersionSerializer(serializers.Serializer):
    """The body of a 409: someone else changed the opportunity first."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(allow_null=True)


class BulkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=1, help_text=_("The version you read."))


class OpportunityBulkSerializer(serializers.Serializer):
    """Stage and/or owner for many opportunities; each is written, or refused, on its own."""

    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    items = BulkItemSerializer(many=True, allow_empty=False, max_length=BULK_MAX_ITEMS)
    stage = ProgramRelatedField(queryset=Stage.objects.all(), required=False, allow_null=True)
    owner = ProgramRelatedField(
        queryset=Rep.objects.select_related("user"), required=False, allow_null=True
    )
    closed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Close date for items moved to a won or lost stage that have none."),
    )
    lost_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text=_("Reason for items moved to a lost stage that have none."),
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("stage") and not attrs.get("owner"):
            raise serializers.ValidationError(_("Send a stage or an owner to change."))
        merger = attrs["merger"]
        for field in ("stage", "owner"):
            if attrs.get(field) and attrs[field].merger_id != merger.pk:
                raise serializers.ValidationError({field: _("It belongs to another program.")})
        return attrs


class BulkItemResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="opportunity_id")
    status = serializers.ChoiceField(choices=[s.value for s in BulkStatus])
    version = serializers.IntegerField(
        allow_null=True, help_text=_("The version after the change; null when refused.")
    )
    detail = serializers.CharField(source="message", help_text=_("Why it was refused."))


class BulkOutcomeSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = BulkItemResultSerializer(many=True)


class WinSerializer(serializers.Serializer):
    opportunity = serializers.IntegerField(source="opportunity_id")
    rep = serializers.CharField()
    team = serializers.CharField()
    account = serializers.CharField()
    product = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    closed_on = serializers.DateField()
    direction = serializers.CharField()
    customer_need = serializers.CharField()
    # Set for a win of a closed month, shown as its month-end snapshot read it.
    frozen_at = serializers.DateTimeField(allow_null=True)


class BurstSerializer(serializers.Serializer):
    day = serializers.DateField()
    opened = serializers.IntegerField()


class RepFlagsSerializer(serializers.Serializer):
    rep = serializers.IntegerField(source="rep_id")
    rep_name = serializers.CharField(source="name")
    team = serializers.IntegerField(source="team_id", allow_null=True)
    team_name = serializers.CharField()
    bursts = serializers.SerializerMethodField(
        help_text=_("Days on which the rep opened many opportunities, none touched since.")
    )
    thin_need_wins = serializers.ListField(
        source="flags.thin_need_wins",
        child=serializers.IntegerField(),
        help_text=_("Won opportunities with hardly any stated customer need."),
    )
    reopened = serializers.ListField(
        source="flags.reopened",
        child=serializers.IntegerField(),
        help_text=_("Opportunities reopened again and again."),
    )
    dont_sell = serializers.ListField(
        source="flags.dont_sell",
        child=serializers.IntegerField(),
        help_text=_("Open or won opportunities on accounts the risk screen says not to sell to."),
    )
    total = serializers.IntegerField(source="flags.total")

    @extend_schema_field(BurstSerializer(many=True))
    def get_bursts(self, row) -> list[dict]:
        return [{"day": day, "opened": opened} for day, opened in row.flags.bursts]
