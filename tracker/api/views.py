"""The opportunity endpoint: reads scoped to the user's programs, writes through services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.api.history import FieldChangeSerializer
from accounts.api.viewsets import ProgramModelViewSet
from core.access import Action, allowed
from tracker.api.filters import OpportunityFilter
from tracker.api.serializers import (
    BulkOutcomeSerializer,
    OpportunityBulkSerializer,
    OpportunityCreateSerializer,
    OpportunityReopenSerializer,
    OpportunitySerializer,
    OpportunityUpdateSerializer,
    OpportunityWrittenSerializer,
    StaleVersionSerializer,
)
from tracker.models import Opportunity
from tracker.selectors.opportunities import (
    opportunities_visible_to,
    opportunity_history,
    opportunity_warnings_for,
    rep_of,
)
from tracker.services.bulk import BulkStatus, opportunities_bulk_change
from tracker.services.opportunities import (
    DuplicateOpen,
    StaleVersion,
    opportunity_create,
    opportunity_delete,
    opportunity_reopen,
    opportunity_update,
)

STALE = OpenApiResponse(
    StaleVersionSerializer,
    gettext_lazy("Someone changed the opportunity since you read it; nothing was written."),
)
CHANGED = {200: OpportunityWrittenSerializer, 409: STALE}


@extend_schema_view(
    create=extend_schema(
        request=OpportunityCreateSerializer, responses={201: OpportunityWrittenSerializer}
    ),
    update=extend_schema(request=OpportunityUpdateSerializer, responses=CHANGED),
    partial_update=extend_schema(request=OpportunityUpdateSerializer, responses=CHANGED),
    destroy=extend_schema(
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                description=gettext_lazy("Delete only if the opportunity is still at it."),
            )
        ],
        responses={204: None, 409: STALE},
    ),
)
@extend_schema(tags=["opportunities"])
class OpportunityViewSet(ProgramModelViewSet):
    """Cross-sell and upsell opportunities; every change is kept in their history."""

    access_resource = "opportunity"
    access_actions = {"reopen": Action.CHANGE, "history": Action.VIEW, "bulk": Action.CHANGE}
    queryset = Opportunity.objects.none()
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    search_fields = ["account__name", "product__name", "product__code", "customer_need"]
    ordering_fields = [
        "updated_at",
        "created_at",
        "expected_close",
        "closed_on",
        "amount",
        "probability",
        "stage__order",
    ]
    ordering = ["-updated_at", "-id"]

    def get_queryset(self):
        return opportunities_visible_to(user=self.request.user)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, StaleVersion):
            body = {"detail": exc.message, "current_version": exc.current}
            return Response(body, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, DuplicateOpen) and exc.existing_id is not None:
            # The refusal names the open one by id in its message and links it here.
            body = serializers.as_serializer_error(exc)
            url = reverse("api:opportunity-detail", args=[exc.existing_id], request=self.request)
            body["existing_opportunity"] = [url]
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self.valid_input(OpportunityCreateSerializer)
        if data.get("owner") is None:
            data["owner"] = rep_of(user=request.user, merger_id=data["merger"].pk)
            if data["owner"] is None:
                raise serializers.ValidationError(
                    {"owner": [_("Name the owner: you are not a rep in this program.")]}
                )
        opportunity = opportunity_create(actor=request.user, **data)
        return Response(self._shown(opportunity), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        opportunity = self.get_object()
        changes = self.valid_input(OpportunityUpdateSerializer, partial=partial)
        version = changes.pop("version")
        override = changes.pop("risk_override_reason", "")
        opportunity = opportunity_update(
            actor=request.user,
            opportunity=opportunity,
            expected_version=version,
            changes=changes,
            risk_override_reason=override,
        )
        return Response(self._shown(opportunity))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        opportunity = self.get_object()
        version = request.query_params.get("version")
        if version is not None and not version.isdecimal():
            raise serializers.ValidationError({"version": [_("A version is a whole number.")]})
        opportunity_delete(
            actor=request.user,
            opportunity=opportunity,
            expected_version=int(version) if version is not None else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=OpportunityReopenSerializer, responses=CHANGED)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Puts a won or lost opportunity back into an open stage; counted in reopen_count."""
        opportunity = self.get_object()
        data = self.valid_input(OpportunityReopenSerializer)
        opportunity = opportunity_reopen(
            actor=request.user,
            opportunity=opportunity,
            expected_version=data["version"],
            stage=data.get("stage"),
            expected_close=data.get("expected_close"),
        )
        return Response(self._shown(opportunity))

    @extend_schema(responses=FieldChangeSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Who changed which field, when, from what to what; newest first."""
        changes = opportunity_history(opportunity=self.get_object())
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(FieldChangeSerializer(page, many=True).data)

    @extend_schema(
        request=OpportunityBulkSerializer, responses=BulkOutcomeSerializer, filters=False
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request: Request) -> Response:
        """Stage and/or owner for many opportunities (sales leaders and ops).

        Each item names the version it read and is written, or refused with the
        reason (stale version, a rule, a rep you do not cover), on its own; the
        answer is 200 with one result per item.
        """
        if not allowed(request.user, Action.CHANGE, "opportunity_bulk"):
            raise PermissionDenied(_("Only sales leaders and sales ops change in bulk."))
        data = self.valid_input(OpportunityBulkSerializer)
        outcome = opportunities_bulk_change(
            actor=request.user,
            merger=data["merger"],
            items=[(item["id"], item["version"]) for item in data["items"]],
            stage=data.get("stage"),
            owner=data.get("owner"),
            closed_on=data.get("closed_on"),
            lost_reason=data.get("lost_reason") or "",
        )
        body = {
            "changed": outcome.count(BulkStatus.CHANGED),
            "unchanged": outcome.count(BulkStatus.UNCHANGED),
            "refused": outcome.count(BulkStatus.REFUSED),
            "results": outcome.results,
        }
        return Response(BulkOutcomeSerializer(body).data)

    def _shown(self, opportunity: Opportunity) -> dict:
        fresh = opportunities_visible_to(user=self.request.user).get(pk=opportunity.pk)
        warnings = opportunity_warnings_for(opportunity=fresh)
        context = {**self.get_serializer_context(), "warnings": warnings}
        return OpportunityWrittenSerializer(fresh, context=context).data
