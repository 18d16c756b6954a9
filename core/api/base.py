"""The base of every program endpoint: access rules, program isolation, paging."""

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer
from rest_framework.viewsets import GenericViewSet

from core.api.permissions import ProgramAccess
from core.api.schema import ProgramApiSchema
from core.programs import merger_ids_for, program_model


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ProgramScopedMixin:
    """Shows only objects of the programs the user belongs to; the rest answer 404.

    `merger_lookup` is the path from the model to its merger. A viewset that
    reads through a selector overrides get_queryset with one that scopes the
    same way.
    """

    access_resource: str
    merger_lookup: str = "merger"
    # Token first, so that an anonymous client is told 401 and how to authenticate.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [ProgramAccess]
    pagination_class = ApiPagination
    schema = ProgramApiSchema()

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        return queryset.filter(**{f"{self.merger_lookup}__in": merger_ids_for(self.request.user)})

    def valid_input(self, serializer_class: type[BaseSerializer], **kwargs) -> dict:
        """The request body checked by `serializer_class`; invalid input answers 400 by field."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


# A read computed for a program as a whole (a report, a feed, a checklist): no filter
# backends and no pages. A comment, not a docstring: the schema would show it.
class ProgramReportViewSet(ProgramScopedMixin, GenericViewSet):
    filter_backends: list = []
    pagination_class = None


def int_param(request: Request, name: str, *, required: bool = True) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required:
            raise ValidationError({name: [_("This parameter is required.")]})
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: [_("A whole number is required.")]}) from None


# The query parameter of program_of, for the schema of the endpoints that read it.
MERGER_PARAM = OpenApiParameter(
    "merger", OpenApiTypes.INT, required=True, description=gettext_lazy("program id")
)


def program_of(request: Request) -> Model:
    """The program named by ?merger=, if the user is a member; otherwise 404."""
    merger_id = int_param(request, "merger")
    if merger_id not in merger_ids_for(request.user):
        raise Http404
    return get_object_or_404(program_model(), pk=merger_id)
