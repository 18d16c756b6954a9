"""The history API: a program's activity, or one record's history with ?record_type=&id=."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import RecordChange
from accounts.selectors.history import activity_entries, program_activity, record_history
from core.api.base import ProgramScopedMixin
from core.programs import merger_ids_for


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    record_type = serializers.CharField(help_text=gettext_lazy("app.model, e.g. accounts.segment"))
    object_id = serializers.IntegerField()
    object_repr = serializers.CharField()
    actor_name = serializers.CharField()
    via = serializers.CharField(
        help_text=gettext_lazy("page, api, import or task; empty for older rows")
    )
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text=gettext_lazy("Each changed field with its value before and after."),
    )


class FieldChangeSerializer(serializers.Serializer):
    """One field of one kept change (accounts.selectors.history.FieldLine)."""

    id = serializers.IntegerField(help_text=gettext_lazy("The change; its fields share it."))
    action = serializers.CharField()
    field = serializers.CharField(help_text=gettext_lazy("Empty for a creation."))
    old_value = serializers.CharField()
    new_value = serializers.CharField()
    changed_by = serializers.IntegerField(source="changed_by_id", allow_null=True)
    changed_by_name = serializers.CharField()
    changed_at = serializers.DateTimeField()
    via = serializers.CharField()


def _param(request: Request, name: str, parse):
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError:
        raise ValidationError({name: [_("This value is not valid.")]}) from None


def _record_id(raw: str) -> int:
    if not raw.isdecimal() or len(raw) > 18:
        raise ValueError(raw)
    return int(raw)


def _day(raw: str) -> dt.date:
    day = dt.date.fromisoformat(raw)
    if not 1900 <= day.year <= 9998:
        raise ValueError(raw)
    return day


PARAMS = [
    OpenApiParameter(
        "record_type", OpenApiTypes.STR, description=gettext_lazy("e.g. accounts.segment")
    ),
    OpenApiParameter(
        "id", OpenApiTypes.INT, description=gettext_lazy("with record_type: one record")
    ),
    OpenApiParameter(
        "person", OpenApiTypes.INT, description=gettext_lazy("changes by this user id")
    ),
    OpenApiParameter("since", OpenApiTypes.DATE),
    OpenApiParameter("until", OpenApiTypes.DATE),
]


@extend_schema(tags=["history"])
class HistoryViewSet(ProgramScopedMixin, viewsets.GenericViewSet):
    """Who changed which record, when, through what, each field from and to."""

    access_resource = "history"
    queryset = RecordChange.objects.none()
    serializer_class = HistoryEntrySerializer
    filter_backends: list = []

    @extend_schema(parameters=PARAMS, responses=HistoryEntrySerializer(many=True))
    def list(self, request: Request) -> Response:
        """The programs' activity, newest first; with record_type and id, that record's
        history, kept after it is deleted."""
        merger_ids = merger_ids_for(request.user)
        record_type = request.query_params.get("record_type", "")[:100]
        object_id = _param(request, "id", _record_id)
        if object_id is not None:
            entries = record_history(
                merger_ids=merger_ids, record_type=record_type, object_id=object_id
            )
            if entries is None:
                raise NotFound()
            page = self.paginate_queryset(entries)
        else:
            rows = program_activity(
                merger_ids=merger_ids,
                actor_id=_param(request, "person", _record_id),
                record_type=record_type,
                since=_param(request, "since", _day),
                until=_param(request, "until", _day),
            )
            page = activity_entries(self.paginate_queryset(rows))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)
