"""The base of every program endpoint: access rules, program isolation, paging."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.access import merger_ids_for
from accounts.api.errors import Conflict, api_error
from accounts.api.permissions import ProgramAccess
from accounts.api.schema import ProgramApiSchema
from accounts.services.history import (
    history_kept,
    history_record_deleted,
    history_recorded_once,
)


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ProgramScopedMixin:
    """Shows only objects of the programs the user belongs to; the rest answer 404.

    `merger_lookup` is the path from the model to its merger. A viewset that
    reads through a selector overrides get_queryset with one that scopes the
    same way (see tracker.selectors.opportunities).
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


class ProgramModelViewSet(ProgramScopedMixin, viewsets.ModelViewSet):
    # A service's validation errors answer 400 by field, like a serializer's.
    def handle_exception(self, exc: Exception) -> Response:
        return super().handle_exception(api_error(exc))

    # Records written without a service of their own keep their history here;
    # a service called inside records the same change once, not twice.
    def perform_create(self, serializer: BaseSerializer) -> None:
        with transaction.atomic():
            history_recorded_once(actor=self.request.user, create=serializer.save)

    def perform_update(self, serializer: BaseSerializer) -> None:
        with (
            transaction.atomic(),
            history_kept(actor=self.request.user, instance=serializer.instance),
        ):
            serializer.save()

    def perform_destroy(self, instance: Model) -> None:
        try:
            with transaction.atomic():
                self.destroy_record(instance)
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict(
                _("%(object)s is still used by %(count)d other records; remove those first.")
                % {"object": instance, "count": len(exc.args[1])}
            ) from exc
        except DjangoValidationError as exc:  # a service's refusal to delete
            raise Conflict(" ".join(exc.messages)) from exc

    def destroy_record(self, instance: Model) -> None:
        """The delete itself; a viewset whose records have a delete service calls it here."""
        history_record_deleted(actor=self.request.user, instance=instance)
        instance.delete()
