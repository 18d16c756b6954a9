"""Serializer fields of the accounts domain that other apps' endpoints share too."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.imports.parsing import ParseError
from accounts.money import parse_currency_code
from core.api.fields import WholeIdField, request_user
from core.programs import merger_ids_for


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
