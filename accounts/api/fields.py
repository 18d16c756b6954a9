"""Related objects chosen by id, only among the programs the requesting user belongs to."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.imports.parsing import ParseError
from accounts.money import parse_currency_code
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


class ProgramUserField(WholeIdField):
    """A user who shares a program with the requesting user (or that user)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", get_user_model().objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        user = request_user(self)
        shared = Q(memberships__merger_id__in=merger_ids_for(user)) | Q(pk=user.pk)
        return super().get_queryset().filter(shared).distinct()


class CurrencyCodeField(serializers.CharField):
    """An ISO 4217 code, or a symbol that names one currency ('€'); blank: the reporting
    currency."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault(
            "help_text", _("ISO 4217 code of the amounts; blank for the reporting currency.")
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data).strip()
        if not value:
            return ""
        try:
            return parse_currency_code(value)
        except ParseError as error:
            raise serializers.ValidationError(error.message) from None
