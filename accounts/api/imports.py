"""CRM imports over the API: upload with a preview, adjust the mapping, start, follow.

The same services as the pages: nothing is written before `start`, and a file
imports completely or not at all.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.imports.reading import ImportFileError
from accounts.models import ColumnMapping, ImportJob, LegacyCompany
from accounts.selectors.imports import import_progress
from accounts.services.imports import (
    ImportAlreadyStarted,
    Preview,
    import_can_start,
    import_enqueue,
    import_job_create,
    import_preview,
)
from core.access import Action
from core.api.base import ProgramScopedMixin
from core.api.errors import Conflict, ErrorSerializer, api_error
from core.api.fields import WholeIdField
from core.programs import merger_ids_for

KIND_HELP = gettext_lazy("accounts, products or install_base")


class ImportJobSerializer(serializers.ModelSerializer):
    # Plain text in the schema: the "kind" enum of opportunities already takes the name.
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    progress = serializers.SerializerMethodField(
        help_text=gettext_lazy("Percent of rows checked.")
    )
    problem_count = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "merger",
            "company",
            "kind",
            "original_name",
            "columns",
            "status",
            "total_rows",
            "processed_rows",
            "progress",
            "created_count",
            "updated_count",
            "problem_count",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> int:
        return import_progress(job=job)["progress"]

    def get_problem_count(self, job: ImportJob) -> int:
        return max(job.error_count, len(job.errors))


class ImportRequestSerializer(serializers.Serializer):
    company = WholeIdField(queryset=LegacyCompany.objects.none())
    kind = serializers.CharField(help_text=KIND_HELP)
    file = serializers.FileField()
    mapping = serializers.CharField(
        required=False,
        help_text=gettext_lazy("Name of a saved column mapping, for unrecognised files."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            self.fields["company"].queryset = LegacyCompany.objects.filter(
                merger_id__in=merger_ids_for(request.user)
            ).select_related("merger")

    def validate_kind(self, kind: str) -> str:
        if kind not in ImportJob.Kind.values:
            raise serializers.ValidationError(
                _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(ImportJob.Kind.values)}
            )
        return kind

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        name = data.get("mapping")
        if name:
            mapping = ColumnMapping.objects.filter(
                merger_id=data["company"].merger_id, name=name, kind=data["kind"]
            ).first()
            if mapping is None:
                raise serializers.ValidationError(
                    {"mapping": [_("No saved mapping of that name for this kind of data.")]}
                )
            data["columns"] = dict(mapping.columns)
        return data


class MappingRequestSerializer(serializers.Serializer):
    columns = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=gettext_lazy('Field -> column of the file, e.g. {"crm_id": "Nummer"}.'),
    )


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    field = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    job = ImportJobSerializer()
    profile = serializers.CharField()
    profile_label = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    columns = serializers.DictField(child=serializers.CharField())
    ignored = serializers.DictField(child=serializers.CharField())
    mapping_problems = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(child=serializers.CharField())
    total_rows = serializers.IntegerField()
    new_count = serializers.IntegerField()
    existing_count = serializers.IntegerField()
    problem_count = serializers.IntegerField()
    can_import = serializers.BooleanField()


def _preview_data(preview: Preview) -> dict[str, Any]:
    return PreviewSerializer(preview).data


@extend_schema(tags=["imports"])
class ImportJobViewSet(
    ProgramScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Imports of CRM exports (sales ops).

    Upload a file (multipart) to get its preview; if its columns were not
    recognised, post a mapping; then `start` it (202) and follow `status` and
    `progress`. `problems` lists every problem by row and column.
    """

    access_resource = "import"
    access_actions = {"start": Action.CREATE, "mapping": Action.CREATE, "problems": Action.VIEW}
    queryset = ImportJob.objects.select_related("company").order_by("-created_at", "-id")
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["merger", "company", "kind", "status"]
    search_fields = ["original_name"]
    ordering_fields = ["created_at"]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ImportFileError):
            exc = serializers.ValidationError({"file": [exc.message]})
        return super().handle_exception(api_error(exc))

    @extend_schema(request=ImportRequestSerializer, responses={201: PreviewSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.valid_input(ImportRequestSerializer)
        company = data["company"]
        job = import_job_create(
            merger=company.merger,
            company=company,
            kind=data["kind"],
            uploaded_file=data["file"],
            actor=request.user,
            columns=data.get("columns"),
        )
        return Response(_preview_data(import_preview(job=job)), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MappingRequestSerializer,
        responses={200: PreviewSerializer, 409: OpenApiResponse(ErrorSerializer)},
    )
    @action(detail=True, methods=["post"])
    def mapping(self, request: Request, pk: str | None = None) -> Response:
        """Reads the file again with another mapping and answers the new preview."""
        job = self._editable(self.get_object())
        data = MappingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            _preview_data(import_preview(job=job, columns=data.validated_data["columns"]))
        )

    @extend_schema(
        request=None,
        responses={202: ImportJobSerializer, 409: OpenApiResponse(ErrorSerializer)},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        """Imports a previewed file without problems, in the background."""
        job = self.get_object()
        if not import_can_start(job=job):
            raise Conflict(_("Only a previewed file without problems can be imported."))
        try:
            import_enqueue(job=job)
        except ImportAlreadyStarted:
            raise Conflict(_("This import was started meanwhile.")) from None
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: ProblemSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def problems(self, request: Request, pk: str | None = None) -> Response:
        """Every problem of the last preview or run, by row and column."""
        job = self.get_object()
        page = self.paginate_queryset(job.errors)
        return self.get_paginated_response(ProblemSerializer(page, many=True).data)

    def _editable(self, job: ImportJob) -> ImportJob:
        if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED):
            raise Conflict(_("This import has started; its mapping can no longer change."))
        return job
