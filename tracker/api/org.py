"""Endpoints of the sales organisation and the pipeline's stages: read by every role,
written by sales ops through the same services as the setup pages."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from accounts.api.fields import ProgramUserField
from accounts.api.filters import IdFilter, ProgramFilter
from accounts.api.serializers import ProgramObjectSerializer
from accounts.api.viewsets import ProgramModelViewSet, ServiceWrittenViewSet
from accounts.models import ZERO, LegacyCompany, Product
from core.api.errors import refused_delete
from core.api.fields import ProgramRelatedField
from tracker.models import Certification, Rep, Stage, Team
from tracker.services.org import (
    REP_FIELDS,
    TEAM_FIELDS,
    certification_delete,
    certification_set,
    certification_update,
    rep_create,
    rep_update,
    team_create,
    team_delete,
    team_update,
)
from tracker.services.stages import STAGE_FIELDS, stage_create, stage_delete, stage_update

# A delete the service refuses (a team with reps, a stage with deals) conflicts with the data.
REFUSED_DELETE = refused_delete(gettext_lazy("Still in use; nothing was deleted."))


class TeamSerializer(ProgramObjectSerializer):
    leader = ProgramUserField(allow_null=True, required=False)
    parent = ProgramRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Team
        fields = ["id", "merger", *TEAM_FIELDS]
        validators: list = []


class TeamFilter(ProgramFilter):
    parent = IdFilter(field_name="parent", label=gettext_lazy("team id of the team above"))

    class Meta:
        model = Team
        fields = ["merger", "parent"]


@REFUSED_DELETE
@extend_schema(tags=["organisation"])
class TeamViewSet(ServiceWrittenViewSet):
    """Sales teams, their leader and the team they report to (figures roll up that way)."""

    access_resource = "team"
    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    search_fields = ["name", "region"]
    ordering_fields = ["name"]
    ordering = ["merger_id", "name", "id"]

    create_service = staticmethod(team_create)
    update_service = staticmethod(team_update)
    delete_service = staticmethod(team_delete)
    update_fields = TEAM_FIELDS
    record_keyword = "team"


class RepSerializer(ProgramObjectSerializer):
    user = ProgramUserField()
    team = ProgramRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    company = ProgramRelatedField(queryset=LegacyCompany.objects.all())
    typical_core_deal = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=ZERO, required=False
    )

    class Meta:
        model = Rep
        fields = ["id", "merger", *REP_FIELDS]
        validators: list = []


class RepFilter(ProgramFilter):
    team = IdFilter(field_name="team", label=gettext_lazy("team id"))
    company = IdFilter(field_name="company", label=gettext_lazy("legacy company id"))

    class Meta:
        model = Rep
        fields = ["merger", "team", "company", "motion", "is_active"]


@extend_schema(tags=["organisation"])
class RepViewSet(ServiceWrittenViewSet):
    """The program's sellers: their person, team, legacy company, motion and start date."""

    access_resource = "rep"
    # A rep who leaves is set inactive: their deals, quotas and credit stay theirs.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Rep.objects.select_related("user")
    serializer_class = RepSerializer
    filterset_class = RepFilter
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering_fields = ["start_date", "user__last_name"]
    ordering = ["merger_id", "user__last_name", "user__first_name", "id"]

    create_service = staticmethod(rep_create)
    update_service = staticmethod(rep_update)
    update_fields = REP_FIELDS
    record_keyword = "rep"


class CertificationSerializer(serializers.ModelSerializer):
    rep = ProgramRelatedField(queryset=Rep.objects.all())
    product = ProgramRelatedField(queryset=Product.objects.all(), merger_lookup="company__merger")
    merger = serializers.IntegerField(source="rep.merger_id", read_only=True)

    class Meta:
        model = Certification
        fields = ["id", "merger", "rep", "product", "certified_on"]
        validators: list = []


class CertificationFilter(filters.FilterSet):
    merger = IdFilter(field_name="rep__merger", label=gettext_lazy("program id"))
    rep = IdFilter(field_name="rep", label=gettext_lazy("rep id"))
    product = IdFilter(field_name="product", label=gettext_lazy("product id"))

    class Meta:
        model = Certification
        fields = ["merger", "rep", "product"]


@extend_schema(tags=["organisation"])
class CertificationViewSet(ProgramModelViewSet):
    """Which rep is certified on which product since when (the capability score reads them).
    Certifying a rep again on the same product replaces the date."""

    access_resource = "certification"
    merger_lookup = "rep__merger"
    queryset = Certification.objects.select_related("rep")
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilter
    ordering_fields = ["certified_on"]
    ordering = ["rep_id", "product_id", "id"]

    def perform_create(self, serializer: CertificationSerializer) -> None:
        serializer.instance = certification_set(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: CertificationSerializer) -> None:
        serializer.instance = certification_update(
            actor=self.request.user,
            certification=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Certification) -> None:
        certification_delete(actor=self.request.user, certification=instance)


class StageSerializer(ProgramObjectSerializer):
    class Meta:
        model = Stage
        fields = ["id", "merger", *STAGE_FIELDS]
        validators: list = []


class StageFilter(ProgramFilter):
    class Meta:
        model = Stage
        fields = ["merger", "outcome", "forecast_category"]


@REFUSED_DELETE
@extend_schema(tags=["organisation"])
class StageViewSet(ServiceWrittenViewSet):
    """The pipeline's stages in order; a stage with opportunities keeps its outcome and stays."""

    access_resource = "stage"
    queryset = Stage.objects.all()
    serializer_class = StageSerializer
    filterset_class = StageFilter
    search_fields = ["name"]
    ordering_fields = ["order", "name"]
    ordering = ["merger_id", "order", "id"]

    create_service = staticmethod(stage_create)
    update_service = staticmethod(stage_update)
    delete_service = staticmethod(stage_delete)
    update_fields = STAGE_FIELDS
    record_keyword = "stage"
