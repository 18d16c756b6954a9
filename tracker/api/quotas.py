"""The quota endpoint: reads scoped to the user's programs, writes through services.

Quotas are never deleted, so that their history stays: set a quota to zero instead.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.filters import IdFilter
from accounts.api.history import FieldChangeSerializer
from accounts.api.viewsets import ProgramModelViewSet
from core.access import Action, allowed
from tracker.api.file_imports import (
    file_import_action,
    import_answer,
)
from tracker.api.quota_serializers import (
    QuotaConflictSerializer,
    QuotaCreateSerializer,
    QuotaImportResultSerializer,
    QuotaImportSerializer,
    QuotaSavedSerializer,
    QuotaSerializer,
    QuotaUpdateSerializer,
)
from tracker.frozen_notes import closed_period_notes
from tracker.models import Quota
from tracker.quota_math import Period, PeriodError, parse_period
from tracker.selectors.frozen_quotas import closed_months_of
from tracker.selectors.metrics import team_subtree_ids
from tracker.selectors.quotas import quota_history, quotas_of_programs, quotas_visible_to
from tracker.services.quotas import QuotaConflict, quota_import_csv, quota_set

CONFLICT = OpenApiResponse(
    QuotaConflictSerializer,
    gettext_lazy("Someone else set or changed the quota first; nothing was written."),
)


class QuotaFilter(filters.FilterSet):
    merger = IdFilter(field_name="rep__merger", label=gettext_lazy("program id"))
    rep = IdFilter(field_name="rep", label=gettext_lazy("rep id"))
    team = IdFilter(method="filter_team", label=gettext_lazy("team id, with the teams below it"))
    period = filters.CharFilter(
        method="filter_period",
        label=gettext_lazy("2026-03 or 2026-Q1: the quotas sharing a month with it"),
    )

    class Meta:
        model = Quota
        fields = ["merger", "rep", "team", "period", "period_kind"]

    def filter_team(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(rep__team_id__in=team_subtree_ids(team_id=int(value)))

    def filter_period(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            period = parse_period(value)
        except PeriodError as error:
            raise serializers.ValidationError({"period": [error.message]}) from None
        return queryset.sharing_months(period.start, period.last_month)


@extend_schema_view(
    create=extend_schema(
        request=QuotaCreateSerializer, responses={201: QuotaSavedSerializer, 409: CONFLICT}
    ),
    update=extend_schema(
        request=QuotaUpdateSerializer, responses={200: QuotaSavedSerializer, 409: CONFLICT}
    ),
    partial_update=extend_schema(
        request=QuotaUpdateSerializer, responses={200: QuotaSavedSerializer, 409: CONFLICT}
    ),
)
@extend_schema(tags=["quotas"])
class QuotaViewSet(ProgramModelViewSet):
    """Core and cross-sell quotas per rep and month or quarter; every change is kept."""

    access_resource = "quota"
    merger_lookup = "rep__merger"
    access_actions = {"history": Action.VIEW, "import_file": Action.CREATE}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Quota.objects.none()
    serializer_class = QuotaSerializer
    filterset_class = QuotaFilter
    search_fields = ["rep__user__username", "rep__user__last_name"]
    ordering_fields = ["period_start", "updated_at", "cross_sell_amount", "core_amount"]
    ordering = ["period_start", "rep_id", "id"]

    def get_queryset(self):
        # A list holds only the quotas the hierarchy shows; one named by its id is
        # refused (403) by the object rule when the user may not read it.
        if self.action == "list":
            return quotas_visible_to(user=self.request.user)
        return quotas_of_programs(user=self.request.user)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, QuotaConflict):
            body = {"detail": exc.message, "current_version": exc.current_version}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self.valid_input(QuotaCreateSerializer)
        quota = quota_set(actor=request.user, expected_version=0, **data)
        return Response(self._shown(quota), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        quota = self.get_object()
        data = self.valid_input(QuotaUpdateSerializer, partial=partial)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("Send the version you read.")]})
        quota = quota_set(
            actor=request.user,
            rep=quota.rep,
            period_start=quota.period_start,
            period_kind=quota.period_kind,
            # What is not sent stays as entered, in the quota's currency.
            core_amount=data.get("core_amount", quota.entered("core_amount")),
            cross_sell_amount=data.get("cross_sell_amount", quota.entered("cross_sell_amount")),
            currency=data.get("currency") or quota.currency,
            expected_version=data["version"],
        )
        return Response(self._shown(quota))

    @extend_schema(responses=FieldChangeSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Who changed which field of the quota, when, from what to what; newest first."""
        page = self.paginate_queryset(quota_history(quota=self.get_object()))
        return self.get_paginated_response(FieldChangeSerializer(page, many=True).data)

    @file_import_action(upload=QuotaImportSerializer, result=QuotaImportResultSerializer)
    def import_file(self, request: Request) -> Response:
        """Sales ops set quotas from a file: every row is checked, then all or none is written."""
        if not allowed(request.user, Action.CREATE, "import"):
            raise PermissionDenied(_("Only sales ops import quotas."))
        result = quota_import_csv(actor=request.user, **self.valid_input(QuotaImportSerializer))
        notes = closed_period_notes(result.closed)
        return import_answer(QuotaImportResultSerializer, result, closed_notes=notes)

    def _shown(self, quota: Quota) -> dict:
        fresh = quotas_of_programs(user=self.request.user).get(pk=quota.pk)
        period = Period(fresh.period_start, fresh.period_kind)
        closed = closed_months_of(merger=fresh.rep.merger, periods=[period]).get(period, ())
        context = {**self.get_serializer_context(), "closed_months": closed}
        return QuotaSavedSerializer(fresh, context=context).data
