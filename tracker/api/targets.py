"""The synergy-target endpoint: every role reads; sales ops and executives set targets,
one month and scope at a time or from a file, through the service that keeps their history."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.fields import CurrencyCodeField
from accounts.api.filters import IdFilter, ProgramFilter
from accounts.api.history import FieldChangeSerializer
from accounts.api.viewsets import ProgramModelViewSet
from accounts.models import ZERO, Merger, Segment
from core.access import Action
from core.api.fields import ProgramRelatedField
from core.dates import date_plausible
from core.programs import merger_ids_for
from tracker.api.file_imports import (
    FileImportSerializer,
    file_import_action,
    import_answer,
    import_result_serializer,
)
from tracker.models import SynergyTarget
from tracker.selectors.targets import target_history
from tracker.services.targets import Source, TargetCell, targets_import_csv, targets_set

HISTORY_LIMIT = 500


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as 2026-03."""

    def to_internal_value(self, data) -> dt.date:
        text = data.strip() if isinstance(data, str) else ""
        try:
            if len(text) != 7:
                raise ValueError(text)
            month = dt.date.fromisoformat(f"{text}-01")
            if not date_plausible(month):
                raise ValueError(text)
            return month
        except ValueError:
            raise serializers.ValidationError(_("Give a month as 2026-03.")) from None

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


class SynergyTargetSerializer(serializers.ModelSerializer):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    month = MonthField(help_text=gettext_lazy("A month as 2026-03."))
    segment = ProgramRelatedField(
        queryset=Segment.objects.all(),
        allow_null=True,
        required=False,
        help_text=gettext_lazy("A segment's id; null for the whole program."),
    )
    revenue_synergy = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=ZERO, required=False
    )
    cross_sell = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=ZERO, required=False
    )
    # Figures sent are in `currency`; those read back are in the reporting currency, the
    # originals as entered.
    currency = CurrencyCodeField(
        help_text=gettext_lazy(
            "ISO 4217 code of the figures sent; blank: the target's (for a new one the "
            "reporting currency)."
        )
    )

    class Meta:
        model = SynergyTarget
        fields = [
            "id",
            "merger",
            "month",
            "segment",
            "revenue_synergy",
            "cross_sell",
            "currency",
            "revenue_synergy_original",
            "cross_sell_original",
        ]
        read_only_fields = ["revenue_synergy_original", "cross_sell_original"]
        validators: list = []

    def validate(self, attrs: dict) -> dict:
        merger = attrs.get("merger") or getattr(self.instance, "merger", None)
        segment = attrs.get("segment")
        if segment is not None and merger is not None and segment.merger_id != merger.pk:
            raise serializers.ValidationError({"segment": _("The segment is of another program.")})
        figures = [
            attrs.get(name, getattr(self.instance, name, ZERO))
            for name in ("revenue_synergy", "cross_sell")
        ]
        if not any(figures):
            raise serializers.ValidationError(
                _("Give a target above zero; delete a target to set it to zero.")
            )
        if self.instance is not None:
            moved = {
                name
                for name in ("merger", "month", "segment")
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if moved:
                raise serializers.ValidationError(
                    {
                        name: [_("Month and scope name the target; set another instead.")]
                        for name in moved
                    }
                )
        return attrs


class SynergyTargetChangeSerializer(FieldChangeSerializer):
    target = serializers.IntegerField(source="object_id")
    target_label = serializers.CharField(
        source="object_repr", help_text=gettext_lazy("The target's month and scope.")
    )


class TargetImportSerializer(FileImportSerializer):
    file = serializers.FileField(
        help_text=gettext_lazy("CSV or XLSX: month, segment, revenue_synergy, cross_sell.")
    )


TargetImportResultSerializer = import_result_serializer(
    "TargetImportResultSerializer", "created", "updated", "removed", "unchanged"
)


class SynergyTargetFilter(ProgramFilter):
    segment = IdFilter(field_name="segment", label=gettext_lazy("segment id"))
    program_wide = filters.BooleanFilter(
        field_name="segment", lookup_expr="isnull", label=gettext_lazy("only program-wide rows")
    )
    month_from = filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = SynergyTarget
        fields = ["merger", "segment", "program_wide", "month_from", "month_to"]


@extend_schema(tags=["targets"])
class SynergyTargetViewSet(ProgramModelViewSet):
    """The deal model's revenue-synergy and cross-sell targets by month, for the whole
    program or a segment. Writes keep a history (see `history`); deleting a target sets it
    to zero."""

    access_resource = "target"
    access_actions = {"import_file": Action.CHANGE, "history": Action.VIEW}
    queryset = SynergyTarget.objects.all()
    serializer_class = SynergyTargetSerializer
    filterset_class = SynergyTargetFilter
    ordering_fields = ["month"]
    ordering = ["merger_id", "month", "segment_id", "id"]

    def _set(
        self, merger: Merger, month: dt.date, segment: Segment | None, data: dict
    ) -> SynergyTarget | None:
        targets_set(
            actor=self.request.user,
            merger=merger,
            cells=[
                TargetCell(
                    month,
                    getattr(segment, "pk", None),
                    revenue_synergy=data.get("revenue_synergy"),
                    cross_sell=data.get("cross_sell"),
                    currency=data.get("currency", ""),
                )
            ],
            source=Source.API,
        )
        return SynergyTarget.objects.filter(merger=merger, month=month, segment=segment).first()

    def perform_create(self, serializer: SynergyTargetSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = self._set(data["merger"], data["month"], data.get("segment"), data)

    def perform_update(self, serializer: SynergyTargetSerializer) -> None:
        target = serializer.instance
        serializer.instance = self._set(
            target.merger, target.month, target.segment, serializer.validated_data
        )

    def perform_destroy(self, instance: SynergyTarget) -> None:
        self._set(
            instance.merger,
            instance.month,
            instance.segment,
            {"revenue_synergy": ZERO, "cross_sell": ZERO},
        )

    @extend_schema(responses={200: SynergyTargetChangeSerializer(many=True)})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request) -> Response:
        """Who changed which target of the user's programs, when, from what, to what."""
        changes = target_history(merger_ids=merger_ids_for(request.user), limit=HISTORY_LIMIT)
        return Response(SynergyTargetChangeSerializer(changes, many=True).data)

    @file_import_action(upload=TargetImportSerializer, result=TargetImportResultSerializer)
    def import_file(self, request: Request) -> Response:
        """Set targets from a file: every row checked, then all or none."""
        result = targets_import_csv(actor=request.user, **self.valid_input(TargetImportSerializer))
        return import_answer(TargetImportResultSerializer, result, **vars(result.counts))
