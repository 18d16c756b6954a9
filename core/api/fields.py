"""Related objects chosen by id, only among the programs the requesting user belongs to."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.access import User
from core.programs import merger_ids_for


def request_user(serializer_field: serializers.Field) -> User:
    request = serializer_field.context.get("request")
    return request.user if request is not None else AnonymousUser()


class WholeIdField(serializers.PrimaryKeyRelatedField):
    """An id is a whole number: 1 or "1", never 1.5, true or "1e0".

    The database would otherwise read 1.5 as 1 and pick an object the client did
    not name.
    """

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "not_whole": _("An id is a whole number."),
    }

    def to_internal_value(self, data):
        whole = isinstance(data, int) and not isinstance(data, bool)
        if not whole and not (isinstance(data, str) and data.isascii() and data.isdecimal()):
            self.fail("not_whole")
        return super().to_internal_value(data)


class ProgramRelatedField(WholeIdField):
    """An id of another program's object is refused as if it did not exist."""

    def __init__(self, *, merger_lookup: str = "merger", **kwargs) -> None:
        self.merger_lookup = merger_lookup
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        ids = merger_ids_for(request_user(self))
        return super().get_queryset().filter(**{f"{self.merger_lookup}__in": ids})
