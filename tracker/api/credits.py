"""A deal's revenue credit: read by the program, replaced as a whole by leaders and ops."""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ProgramScopedMixin
from core.api.errors import ServiceErrorsMixin
from core.api.fields import ProgramRelatedField
from tracker.models import CreditSplit, Opportunity, Rep
from tracker.services.credits import credit_splits_set


class CreditLineSerializer(serializers.Serializer):
    rep = ProgramRelatedField(queryset=Rep.objects.select_related("user"))
    rep_name = serializers.CharField(source="rep", read_only=True)
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )
    role_note = serializers.CharField(max_length=120, required=False, allow_blank=True)


class CreditsSerializer(serializers.Serializer):
    opportunity = serializers.IntegerField(read_only=True)
    splits = CreditLineSerializer(
        many=True, help_text=_("Shares of the credit; they add up to exactly 100, or are none.")
    )
    overlays = CreditLineSerializer(
        many=True, required=False, help_text=_("Extra credit, on top of the splits.")
    )
    owner_credited_in_full = serializers.BooleanField(
        read_only=True, help_text=_("True without splits: the owner gets 100%.")
    )


@extend_schema(tags=["opportunities"])
class OpportunityCreditsView(ServiceErrorsMixin, ProgramScopedMixin, generics.GenericAPIView):
    """Who is credited for a deal: splits (summing to 100%) and overlay credit."""

    access_resource = "credit"
    queryset = Opportunity.objects.select_related("owner__user")
    serializer_class = CreditsSerializer
    filter_backends: list = []

    def get(self, request: Request, pk: int) -> Response:
        return Response(self._shown(self.get_object()))

    @extend_schema(request=CreditsSerializer, responses=CreditsSerializer)
    def put(self, request: Request, pk: int) -> Response:
        """Replaces all credit of the deal; every change is kept in its history."""
        opportunity = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        credit_splits_set(
            actor=request.user,
            opportunity=opportunity,
            splits=_lines(data["splits"]),
            overlays=_lines(data.get("overlays", [])),
        )
        return Response(self._shown(opportunity))

    def _shown(self, opportunity: Opportunity) -> dict:
        credits: QuerySet[CreditSplit] = (
            CreditSplit.objects.filter(opportunity=opportunity)
            .select_related("rep__user")
            .order_by("-percent", "pk")
        )
        lines = list(credits)
        splits = [line for line in lines if line.kind == CreditSplit.Kind.SPLIT]
        body = {
            "opportunity": opportunity.pk,
            "splits": splits,
            "overlays": [line for line in lines if line.kind == CreditSplit.Kind.OVERLAY],
            "owner_credited_in_full": not splits,
        }
        return CreditsSerializer(body, context=self.get_serializer_context()).data


def _lines(items: list[dict]) -> list[tuple[Rep, Decimal, str]]:
    return [(item["rep"], item["percent"], item.get("role_note", "")) for item in items]
