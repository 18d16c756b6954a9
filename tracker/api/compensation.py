"""Comp plans (sales ops write, leaders and executives read) and estimated payouts."""

from collections.abc import Iterable
from datetime import date
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.fields import CurrencyCodeField
from accounts.api.filters import ProgramFilter
from accounts.api.viewsets import ProgramModelViewSet
from accounts.models import Merger
from core.api.base import MERGER_PARAM, ProgramReportViewSet, program_of
from core.api.fields import ProgramRelatedField
from core.programs import merger_ids_for
from tracker.models import CompPlan, Rep
from tracker.quota_math import PeriodError, parse_period
from tracker.selectors.compensation import payout_rep_ids, payouts_of_period, plan_reviews
from tracker.services.compensation import (
    FIELDS,
    comp_plan_create,
    comp_plan_delete,
    comp_plan_update,
)


class CompPlanSerializer(serializers.ModelSerializer):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    reps = ProgramRelatedField(queryset=Rep.objects.all(), many=True, required=False)
    warnings = serializers.SerializerMethodField(
        help_text=_("What weakens the plan as a cross-sell incentive.")
    )
    # Money sent is in `currency`; read back in the reporting currency, with the originals.
    currency = CurrencyCodeField()

    class Meta:
        model = CompPlan
        fields = [
            "id",
            "merger",
            *FIELDS,
            "target_variable_pay_original",
            "spif_amount_original",
            "reps",
            "warnings",
        ]
        read_only_fields = ["target_variable_pay_original", "spif_amount_original"]
        # The service checks names within the program and says which plan clashes.
        validators: list = []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, plan: CompPlan) -> list[str]:
        warnings_by_plan = self.context.get("warnings_by_plan")
        return warnings_by_plan().get(plan.pk, []) if warnings_by_plan else []


class CompPlanFilter(ProgramFilter):
    class Meta:
        model = CompPlan
        fields = ["merger", "for_leaders", "spif_kind"]


@extend_schema(tags=["compensation"])
class CompPlanViewSet(ProgramModelViewSet):
    """How cross-sell wins are paid per period, with the plan's warnings."""

    access_resource = "comp_plan"
    queryset = CompPlan.objects.prefetch_related("reps")
    serializer_class = CompPlanSerializer
    filterset_class = CompPlanFilter
    search_fields = ["name"]
    ordering_fields = ["period_start", "name"]
    ordering = ["-period_start", "name", "id"]

    def get_serializer_context(self) -> dict:
        # A callable: warnings are read when the plan is shown, after any write.
        return {**super().get_serializer_context(), "warnings_by_plan": lambda: self._warnings}

    @cached_property
    def _warnings(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for merger in Merger.objects.filter(pk__in=merger_ids_for(self.request.user)):
            for review in plan_reviews(merger=merger):
                found[review.plan.pk] = review.warnings
        return found

    def perform_create(self, serializer: CompPlanSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = comp_plan_create(actor=self.request.user, **data)
        self.__dict__.pop("_warnings", None)

    def perform_update(self, serializer: CompPlanSerializer) -> None:
        changes = dict(serializer.validated_data)
        changes.pop("merger", None)
        serializer.instance = comp_plan_update(
            actor=self.request.user, plan=serializer.instance, **changes
        )
        self.__dict__.pop("_warnings", None)

    def perform_destroy(self, instance: CompPlan) -> None:
        comp_plan_delete(actor=self.request.user, plan=instance)


class PayoutLineSerializer(serializers.Serializer):
    rep = serializers.IntegerField(source="rep.pk")
    rep_name = serializers.CharField(source="rep")
    plan = serializers.IntegerField(source="plan.pk", allow_null=True, default=None)
    plan_name = serializers.CharField(source="plan.name", allow_null=True, default=None)
    credited_won = serializers.DecimalField(max_digits=18, decimal_places=2)
    won_count = serializers.IntegerField()
    cross_sell_quota = serializers.DecimalField(max_digits=18, decimal_places=2)
    attainment = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    cross_sell_variable = serializers.DecimalField(
        source="payout.cross_sell_variable",
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        default=None,
    )
    spif = serializers.DecimalField(
        source="payout.spif", max_digits=18, decimal_places=2, allow_null=True, default=None
    )
    estimated_payout = serializers.DecimalField(
        source="payout.total", max_digits=18, decimal_places=2, allow_null=True, default=None
    )
    president_club_met = serializers.BooleanField(
        allow_null=True, help_text=_("Null when the plan makes no cross-sell condition of it.")
    )


def _month_codes(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


class PayoutsSerializer(serializers.Serializer):
    merger = serializers.IntegerField()
    period = serializers.CharField()
    frozen_months = _month_codes(
        _(
            "The closed months of the period (2026-03), read from their month-end snapshot: "
            "a later edit of their deals or quotas moves none of their figures."
        )
    )
    live_months = _month_codes(_("The months of the period read from today's deals and quotas."))
    frozen_at = serializers.DateTimeField(
        allow_null=True, help_text=_("The latest freeze of the frozen months; null if none.")
    )
    won_count_live_months = _month_codes(
        _(
            "Frozen months whose won-deal count, which a per-deal SPIF pays on, is today's: "
            "they were frozen before their counts were kept."
        )
    )
    plans_frozen_month = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The closed month (2026-11) whose month-end snapshot kept the plans a period "
            "of closed months is paid on: which plan each rep is on, and its terms. Null "
            "when the payouts use today's plans."
        ),
    )
    plans_unkept_month = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The latest month (2026-11) of a period of closed months that was frozen "
            "before plans were kept: the payouts use today's plans. Null otherwise."
        ),
    )
    rows = PayoutLineSerializer(many=True)


PERIOD_PARAM = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    required=True,
    description=_("A month as 2026-03 or a quarter as 2026-Q1."),
)


def period_param(request: Request):
    try:
        return parse_period(request.query_params.get("period", ""))
    except PeriodError as error:
        raise ValidationError({"period": [error.message]}) from None


@extend_schema(tags=["compensation"])
class PayoutViewSet(ProgramReportViewSet):
    """Estimated cross-sell payout per rep: everyone's for ops and executives, a leader's
    teams' and their own, a rep's own."""

    access_resource = "payout"
    queryset = Rep.objects.all()
    serializer_class = PayoutsSerializer

    @extend_schema(parameters=[MERGER_PARAM, PERIOD_PARAM], responses=PayoutsSerializer)
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        period = period_param(request)
        payouts = payouts_of_period(
            merger=merger,
            month_from=period.start,
            month_to=period.last_month,
            rep_ids=payout_rep_ids(user=request.user, merger=merger),
        )
        body = {
            "merger": merger.pk,
            "period": period.code,
            "frozen_months": _codes(payouts.frozen.months),
            "live_months": _codes(payouts.live_months),
            "frozen_at": payouts.frozen.frozen_at,
            "won_count_live_months": _codes(sorted(payouts.frozen.uncounted)),
            "plans_frozen_month": _code(payouts.plans_frozen_month),
            "plans_unkept_month": _code(payouts.plans_unkept_month),
            "rows": payouts.rows,
        }
        return Response(PayoutsSerializer(body).data)


def _codes(months: Iterable[date]) -> list[str]:
    return [f"{month:%Y-%m}" for month in months]


def _code(month: date | None) -> str | None:
    return None if month is None else f"{month:%Y-%m}"
