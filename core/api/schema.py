"""OpenAPI generation that lists the error answers every program endpoint can give.

Each error is listed only where the endpoint can really give it: 400 where
the request carries input the server checks, 404 where the request names an
object (in the path or the query string) or a page that may not exist.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework.mixins import ListModelMixin

from core.api.errors import ErrorSerializer

# DRF's validation errors: a list of messages per field name, or under
# non_field_errors; nested input nests the same shape (an object, or a list of
# them for a list of items). A body that cannot be parsed answers `detail`.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# A page past the end answers 404; a bad page size falls back to the default.
PAGE, PAGE_SIZE = "page", "page_size"
# Query parameters that name an object of the user's programs: another program's
# object, or one that does not exist, answers 404 like it would in the path.
OBJECT_PARAMETERS = frozenset({"merger", "segment", "account", "product"})
# The server refuses no value of these: an unknown ordering is ignored. (Any
# text can be refused: a NUL character is.)
UNCHECKED_PARAMETERS = frozenset({PAGE, PAGE_SIZE, "ordering"})


class ProgramApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses():
            if code in responses and code == "400":
                _or_validation_errors(responses[code])
            responses.setdefault(code, self._get_response_for_code(response, code))
        return responses

    def _error_responses(self) -> list[tuple[str, OpenApiResponse]]:
        query = [p for p in self._get_parameters() if p.get("in") == "query"]
        errors = [
            ("401", OpenApiResponse(ErrorSerializer, _("Not authenticated."))),
            ("403", OpenApiResponse(ErrorSerializer, _("The user's role does not allow this."))),
        ]
        reads_body = self.method in WRITE_METHODS and self.get_request_serializer() is not None
        if reads_body or any(_is_checked(p) for p in query):
            errors.append(
                ("400", OpenApiResponse(VALIDATION_ERROR_SCHEMA, _("Invalid input, by field.")))
            )
        if "{" in self.path or any(_names_object_or_page(p) for p in query):
            errors.append(
                ("404", OpenApiResponse(ErrorSerializer, _("No such object in your programs.")))
            )
        if self.method == "DELETE" and self._delete_may_be_refused():
            errors.append(
                ("409", OpenApiResponse(ErrorSerializer, _("Other records still use it.")))
            )
        return errors

    def _is_list_view(self, serializer=None) -> bool:
        # A hand-written `list` answers what it declares: one object unless many=True.
        if getattr(self.view, "action", None) == "list" and not isinstance(
            self.view, ListModelMixin
        ):
            if serializer is None:
                serializer = self.get_response_serializers()
            if isinstance(serializer, dict) and serializer:
                serializer = serializer[min(serializer, key=str)]
            return is_list_serializer(serializer)
        return super()._is_list_view(serializer)

    def _delete_may_be_refused(self) -> bool:
        """The generic delete answers 409 when protected records still point at the object."""
        view = type(self.view)
        # A view names the delete that answers 409; one that overrides it answers for itself.
        generic = getattr(view, "perform_destroy", None) is getattr(
            view, "conflict_on_protected_delete", object()
        )
        model = getattr(getattr(view, "queryset", None), "model", None)
        return generic and model is not None and _protected(model, seen=set())


def _is_checked(parameter: dict) -> bool:
    """Whether the server refuses some values of this query parameter with 400."""
    return parameter["name"] not in UNCHECKED_PARAMETERS


def _or_validation_errors(response: dict) -> None:
    """A write's own 400 body, or the field errors any write gives for unparsable input."""
    for media in response.get("content", {}).values():
        declared = media.get("schema")
        if declared and declared != VALIDATION_ERROR_SCHEMA:
            media["schema"] = {"anyOf": [declared, VALIDATION_ERROR_SCHEMA]}


def _names_object_or_page(parameter: dict) -> bool:
    return parameter["name"] == PAGE or parameter["name"] in OBJECT_PARAMETERS


def _protected(model: type[models.Model], *, seen: set) -> bool:
    """Whether deleting a row can meet PROTECT or RESTRICT, here or down its cascades."""
    if model in seen:
        return False
    seen.add(model)
    for relation in model._meta.related_objects:
        on_delete = getattr(relation, "on_delete", None)
        if on_delete in (models.PROTECT, models.RESTRICT):
            return True
        if on_delete is models.CASCADE and _protected(relation.related_model, seen=seen):
            return True
    return False
