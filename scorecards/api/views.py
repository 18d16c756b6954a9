"""The export endpoint: request a scorecard file, follow its progress, download it."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Merger
from core.access import Action
from core.api.base import ProgramScopedMixin
from core.api.errors import Conflict, ErrorSerializer, ServiceErrorsMixin
from core.programs import merger_ids_for
from scorecards.api.serializers import ExportJobSerializer, ExportRequestSerializer
from scorecards.exports.cells import CONTENT_TYPES
from scorecards.models import ExportJob
from scorecards.services.exports import export_content_type, export_download_name, export_request


class AnyAcceptNegotiation(BaseContentNegotiation):
    """Files are served whatever the client accepts: a PDF reader may ask for application/pdf."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


FILE_RESPONSES = {
    (200, content_type.split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY)
    for content_type in CONTENT_TYPES.values()
}


@extend_schema(tags=["exports"])
class ExportJobViewSet(
    ServiceErrorsMixin,
    ProgramScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Scorecard exports (CSV, XLSX or a PDF board pack) of the user's programs.

    A request answers 202 at once: the file is built in the background; follow
    `status` and `progress`, then fetch `download_url`.
    """

    access_resource = "scorecard"
    access_actions = {
        "list": Action.EXPORT,
        "retrieve": Action.EXPORT,
        "create": Action.EXPORT,
        "download": Action.EXPORT,
    }
    queryset = ExportJob.objects.select_related("merger").order_by("-created_at", "-id")
    serializer_class = ExportJobSerializer
    filterset_fields = ["merger", "format", "status"]
    search_fields: list[str] = []
    ordering_fields = ["created_at"]

    @extend_schema(
        request=ExportRequestSerializer,
        responses={202: ExportJobSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self.valid_input(ExportRequestSerializer)
        job = export_request(
            actor=request.user,
            merger=data.get("merger") or self._only_program(),
            month=data["month"],
            fmt=data["format"],
        )
        body = self.get_serializer(job).data
        location = request.build_absolute_uri(f"{request.path}{job.pk}/")
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    def _only_program(self) -> Merger:
        ids = merger_ids_for(self.request.user)
        if len(ids) != 1:
            raise serializers.ValidationError(
                {"merger": [_("Name the program: you are a member of several.")]}
            )
        return Merger.objects.get(pk=next(iter(ids)))

    @extend_schema(
        responses={
            **FILE_RESPONSES,
            409: OpenApiResponse(ErrorSerializer, gettext_lazy("The file is not ready yet.")),
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        content_negotiation_class=AnyAcceptNegotiation,
    )
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The finished file, named after the program and the month."""
        job = self.get_object()
        if job.status != ExportJob.Status.SUCCEEDED or not job.file:
            raise Conflict(
                _("The export is not ready: it is %(status)s.")
                % {"status": job.get_status_display().lower()}
            )
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=export_download_name(job=job),
            content_type=export_content_type(job=job),
        )
