"""The exchange-rate endpoint: every role reads, sales ops writes, through the services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.filters import ProgramFilter
from accounts.api.viewsets import ProgramModelViewSet
from accounts.imports.parsing import ParseError
from accounts.models import ExchangeRate, Merger
from accounts.money import parse_currency_code
from core.access import Action
from core.api.fields import ProgramRelatedField
from tracker.api.core_win_rates import CoreWinRateImportResultSerializer
from tracker.api.file_imports import (
    FileImportSerializer,
    file_import_action,
    import_answer,
)
from tracker.services.exchange_rates import exchange_rate_set, exchange_rates_import_csv
from tracker.target_csv import parse_month


class MonthField(serializers.CharField):
    """A month as 2026-03."""

    def to_internal_value(self, data):
        try:
            return parse_month(super().to_internal_value(data))
        except ParseError as error:
            raise serializers.ValidationError(error.message) from None

    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class ExchangeRateSerializer(serializers.ModelSerializer):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    currency = serializers.CharField(
        max_length=8, help_text=gettext_lazy("ISO 4217 code such as EUR.")
    )
    month = MonthField(help_text=gettext_lazy("A month as 2026-03."))
    rate = serializers.DecimalField(
        max_digits=20,
        decimal_places=10,
        help_text=gettext_lazy("Units of the reporting currency for one unit of this currency."),
    )

    class Meta:
        model = ExchangeRate
        fields = ["id", "merger", "currency", "month", "rate", "updated_by", "updated_at"]
        read_only_fields = ["id", "updated_by", "updated_at"]
        # The service sets or corrects the one rate of a currency and month.
        validators: list = []

    def validate_currency(self, value: str) -> str:
        try:
            return parse_currency_code(value)
        except ParseError as error:
            raise serializers.ValidationError(error.message) from None


class ExchangeRateImportSerializer(FileImportSerializer):
    file = serializers.FileField(help_text=gettext_lazy("CSV or XLSX: currency, month, rate."))


class ExchangeRateFilter(ProgramFilter):
    class Meta:
        model = ExchangeRate
        fields = ["merger", "currency"]


@extend_schema(tags=["quotas"])
class ExchangeRateViewSet(ProgramModelViewSet):
    """Each currency's rate to the program's reporting currency per month. Saving one
    converts, once committed, every amount that waited for it or is dated in its month."""

    access_resource = "exchange_rate"
    access_actions = {"import_file": Action.CREATE}
    # Rates are corrected, never deleted: amounts were converted at them.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = ExchangeRate.objects.all()
    serializer_class = ExchangeRateSerializer
    filterset_class = ExchangeRateFilter
    ordering_fields = ["month", "currency", "updated_at"]
    ordering = ["-month", "currency", "id"]

    def perform_create(self, serializer: ExchangeRateSerializer) -> None:
        serializer.instance = self._set(dict(serializer.validated_data))

    def perform_update(self, serializer: ExchangeRateSerializer) -> None:
        rate = serializer.instance
        data = {
            "merger": rate.merger,
            "currency": rate.currency,
            "month": rate.month,
            "rate": rate.rate,
            **serializer.validated_data,
        }
        if (data["currency"], data["month"]) != (rate.currency, rate.month):
            raise serializers.ValidationError(
                {"month": [_("Currency and month name the rate; create another instead.")]}
            )
        serializer.instance = self._set(data)

    def _set(self, data: dict) -> ExchangeRate:
        return exchange_rate_set(
            actor=self.request.user,
            merger=data["merger"],
            currency=data["currency"],
            month=data["month"],
            rate=data["rate"],
        )

    @file_import_action(
        upload=ExchangeRateImportSerializer, result=CoreWinRateImportResultSerializer
    )
    def import_file(self, request: Request) -> Response:
        """Sales ops set rates from a file: every row checked, then all or none."""
        result = exchange_rates_import_csv(
            actor=request.user, **self.valid_input(ExchangeRateImportSerializer)
        )
        return import_answer(CoreWinRateImportResultSerializer, result)
