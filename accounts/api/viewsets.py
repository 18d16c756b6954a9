"""The viewsets of program reference data: written without a service of their own (history is
kept here), or through the services that write them; and of a program's policies."""

from collections.abc import Callable, Collection

from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.models import Merger
from accounts.services.history import (
    history_deleted,
    history_kept,
    history_recorded_once,
)
from core.api.base import ProgramScopedMixin
from core.api.errors import Conflict, ServiceErrorsMixin, refused_as_conflict


class ProgramModelViewSet(ServiceErrorsMixin, ProgramScopedMixin, viewsets.ModelViewSet):
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
            with refused_as_conflict(), transaction.atomic():
                self.destroy_record(instance)
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict(
                _("%(object)s is still used by %(count)d other records; remove those first.")
                % {"object": instance, "count": len(exc.args[1])}
            ) from exc

    def destroy_record(self, instance: Model) -> None:
        """The delete itself; a viewset whose records have a delete service calls it here."""
        history_deleted(actor=self.request.user, instance=instance)

    # The schema documents the 409 for the views that keep this delete.
    conflict_on_protected_delete = perform_destroy


class ServiceWrittenViewSet(ProgramModelViewSet):
    """Records their services write: created in the program the request names, updated in the
    fields the update service takes (the program never moves), deleted unless the delete
    service refuses (409). A subclass names the services as static methods and the keyword
    the update and delete services take the record by."""

    create_service: Callable[..., Model]
    update_service: Callable[..., Model]
    delete_service: Callable[..., None]
    update_fields: Collection[str]
    record_keyword: str

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        merger = data.pop("merger")
        serializer.instance = self.create_service(actor=self.request.user, merger=merger, **data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k in self.update_fields}
        serializer.instance = self.update_service(
            actor=self.request.user, **{self.record_keyword: serializer.instance}, **data
        )

    def perform_destroy(self, instance: Model) -> None:
        with refused_as_conflict():
            self.delete_service(actor=self.request.user, **{self.record_keyword: instance})


# A program's one policy record (risk thresholds, scoring), read and set at the program's
# id; a subclass reads it in `retrieve` and sets it in `update`. A comment, not a
# docstring: the schema would show it.
class ProgramPolicyViewSet(ServiceErrorsMixin, ProgramScopedMixin, viewsets.GenericViewSet):
    merger_lookup = "id"
    queryset = Merger.objects.order_by("id")
    filter_backends: list = []
    http_method_names = ["get", "put", "patch", "head", "options"]

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)
