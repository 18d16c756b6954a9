"""The core win-rate endpoint: every role reads, sales ops writes, through the services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.filters import IdFilter, ProgramFilter
from accounts.api.viewsets import ProgramModelViewSet
from accounts.models import LegacyCompany, Merger
from core.access import Action, allowed
from core.api.fields import ProgramRelatedField
from core.people import person_name
from tracker.api.file_imports import (
    FileImportSerializer,
    file_import_action,
    import_answer,
    import_result_serializer,
)
from tracker.models import CoreWinRate
from tracker.quota_math import PeriodError, parse_period
from tracker.services.core_win_rates import (
    core_win_rate_delete,
    core_win_rate_set,
    core_win_rates_import_csv,
)


class PeriodField(serializers.CharField):
    """A month as 2026-03 or a quarter as 2026-Q1."""

    def to_internal_value(self, data):
        try:
            return parse_period(super().to_internal_value(data))
        except PeriodError as error:
            raise serializers.ValidationError(error.message) from None

    def to_representation(self, value) -> str:
        return value.code


class CoreWinRateSerializer(serializers.ModelSerializer):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    company = ProgramRelatedField(queryset=LegacyCompany.objects.all())
    period = PeriodField(help_text=gettext_lazy("A month as 2026-03 or a quarter as 2026-Q1."))
    won_count = serializers.IntegerField(min_value=0)
    lost_count = serializers.IntegerField(min_value=0)
    entered_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CoreWinRate
        fields = [
            "id",
            "merger",
            "company",
            "period",
            "won_count",
            "lost_count",
            "source",
            "notes",
            "entered_by",
            "entered_by_name",
            "updated_at",
        ]
        read_only_fields = ["id", "entered_by", "entered_by_name", "updated_at"]
        # The service checks the period against the company's other records.
        validators: list = []

    def get_entered_by_name(self, record: CoreWinRate) -> str:
        user = record.entered_by
        return person_name(user) if user else ""


class CoreWinRateImportSerializer(FileImportSerializer):
    file = serializers.FileField(
        help_text=gettext_lazy("CSV or XLSX: company, period, won, lost, source, notes.")
    )


CoreWinRateImportResultSerializer = import_result_serializer(
    "CoreWinRateImportResultSerializer", "created", "updated", "unchanged"
)


class CoreWinRateFilter(ProgramFilter):
    company = IdFilter(field_name="company", label=gettext_lazy("legacy company id"))

    class Meta:
        model = CoreWinRate
        fields = ["merger", "company", "period_kind"]


@extend_schema(tags=["quotas"])
class CoreWinRateViewSet(ProgramModelViewSet):
    """Each legacy company's core (non-program) deals won and lost per month or quarter,
    with their source: what the cross-sell win rate is compared with on the scorecard."""

    access_resource = "core_win_rate"
    access_actions = {"import_file": Action.CREATE}
    queryset = CoreWinRate.objects.select_related("entered_by")
    serializer_class = CoreWinRateSerializer
    filterset_class = CoreWinRateFilter
    search_fields = ["source", "notes"]
    ordering_fields = ["period_start", "updated_at"]
    ordering = ["-period_start", "company_id", "id"]

    def perform_create(self, serializer: CoreWinRateSerializer) -> None:
        serializer.instance = self._set(dict(serializer.validated_data))

    def perform_update(self, serializer: CoreWinRateSerializer) -> None:
        record = serializer.instance
        data = {
            "merger": record.merger,
            "company": record.company,
            "period": record.period,
            "won_count": record.won_count,
            "lost_count": record.lost_count,
            "source": record.source,
            "notes": record.notes,
            **serializer.validated_data,
        }
        if (data["company"], data["period"].start) != (record.company, record.period_start):
            raise serializers.ValidationError(
                {"period": [_("Company and period name the record; create another instead.")]}
            )
        serializer.instance = self._set(data)

    def _set(self, data: dict) -> CoreWinRate:
        return core_win_rate_set(
            actor=self.request.user,
            merger=data["merger"],
            company=data["company"],
            period=data["period"],
            won=data["won_count"],
            lost=data["lost_count"],
            source=data.get("source", ""),
            notes=data.get("notes", ""),
        )

    def perform_destroy(self, instance: CoreWinRate) -> None:
        core_win_rate_delete(actor=self.request.user, record=instance)

    @file_import_action(
        upload=CoreWinRateImportSerializer, result=CoreWinRateImportResultSerializer
    )
    def import_file(self, request: Request) -> Response:
        """Sales ops set core win rates from a file: every row checked, then all or none."""
        if not allowed(request.user, Action.CREATE, "import"):
            raise PermissionDenied(_("Only sales ops import core win rates."))
        result = core_win_rates_import_csv(
            actor=request.user, **self.valid_input(CoreWinRateImportSerializer)
        )
        return import_answer(CoreWinRateImportResultSerializer, result)
