"""How service errors reach API clients: field errors as 400, conflicts as 409."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the object.")
    default_code = "conflict"


def api_error(exc: Exception) -> Exception:
    """DRF's 400 for a service's Django ValidationError, keyed by field name; else `exc`."""
    if isinstance(exc, DjangoValidationError):
        return ValidationError(detail=serializers.as_serializer_error(exc))
    return exc


# A view whose services refuse input with Django's ValidationError answers it as 400 by field.
# A comment, not a docstring: the schema would show it.
class ServiceErrorsMixin:
    def handle_exception(self, exc: Exception) -> Response:
        return super().handle_exception(api_error(exc))


@contextmanager
def refused_as_conflict() -> Iterator[None]:
    """A service's refusal (a delete of something still in use, say) answers 409."""
    try:
        yield
    except DjangoValidationError as error:
        raise Conflict(" ".join(error.messages)) from error


class ErrorSerializer(serializers.Serializer):
    """The body of 401, 403, 404 and 409 answers."""

    detail = serializers.CharField()


def refused_delete(reason: str) -> Callable[[type], type]:
    """Documents a viewset's delete that its service may refuse: 204, or 409 for `reason`."""
    return extend_schema_view(
        destroy=extend_schema(responses={204: None, 409: OpenApiResponse(ErrorSerializer, reason)})
    )


# A lost or refused database connection, not a fault in the request.
DatabaseUnavailable = (OperationalError, InterfaceError)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's answers, with two additions.

    DRF answers `raise ValidationError("message")` (a NUL character in a search,
    say) with a list; clients and the schema expect an object in every 400. And
    a database that cannot be reached answers 503 with a message, not 500.
    """
    response = drf_exception_handler(exc, context)
    if isinstance(exc, ValidationError) and isinstance(getattr(response, "data", None), list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    if response is None and isinstance(exc, DatabaseUnavailable):
        # The request's transaction rolled back with the connection; the next one reconnects.
        logger.warning("database_unavailable error=%s", type(exc).__name__)
        response = Response(
            {"detail": _("The database could not be reached, so nothing was saved. Try again.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return response
