"""The `import` action of the setup endpoints (quotas, targets, rates, core win rates).

A file is posted as a form with its program and a dry-run switch; the
service checks every row, then writes all or none. The answer is 200 with
the counts, or 400 with every problem by row and column.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Merger
from core.api.fields import ProgramRelatedField


class FileImportSerializer(serializers.Serializer):
    """The upload; a subclass declares `file` with the columns it reads as help text."""

    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    file = serializers.FileField()
    dry_run = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Check every row and count, without writing.")
    )


class FileRowErrorSerializer(serializers.Serializer):
    file = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


def import_result_serializer(name: str, *counts: str) -> type[serializers.Serializer]:
    """The answer of a file import: whether it passed, the file, its counts in the order given,
    and every problem by row and column. `name` is the schema's name for it."""
    fields = {
        "ok": serializers.BooleanField(),
        "file": serializers.CharField(),
        **{count: serializers.IntegerField() for count in counts},
        "errors": FileRowErrorSerializer(many=True),
        "file_errors": serializers.ListField(child=serializers.CharField()),
    }
    return type(name, (serializers.Serializer,), fields)


def file_import_action(
    *, upload: type[FileImportSerializer], result: type[serializers.Serializer]
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Declares a viewset method as the POST .../import/ action with its schema."""

    def declare(method: Callable[..., Response]) -> Callable[..., Response]:
        method = action(
            detail=False,
            methods=["post"],
            url_path="import",
            parser_classes=[MultiPartParser, FormParser],
            filter_backends=[],
            pagination_class=None,
        )(method)
        return extend_schema(
            request={"multipart/form-data": upload},
            responses={200: result, 400: result},
            filters=False,
        )(method)

    return declare


def import_answer(answer: type[serializers.Serializer], result: Any, **fields: Any) -> Response:
    """The service's `result` as `answer` shows it (with `fields` besides its attributes):
    200 when it passed, else 400."""
    body = answer({"ok": result.ok, **vars(result), **fields}).data
    return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)
