"""Related objects chosen by id, only among the programs the requesting user belongs to."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from rest_framework import serializers

from accounts.access import User, merger_ids_for


def request_user(serializer_field: serializers.Field) -> User:
    request = serializer_field.context.get("request")
    return request.user if request is not None else AnonymousUser()


class ProgramRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of another program's object is refused as if it did not exist."""

    def __init__(self, *, merger_lookup: str = "merger", **kwargs) -> None:
        self.merger_lookup = merger_lookup
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        ids = merger_ids_for(request_user(self))
        return super().get_queryset().filter(**{f"{self.merger_lookup}__in": ids})


class ProgramUserField(serializers.PrimaryKeyRelatedField):
    """A user who shares a program with the requesting user (or that user)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", get_user_model().objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        user = request_user(self)
        shared = Q(memberships__merger_id__in=merger_ids_for(user)) | Q(pk=user.pk)
        return super().get_queryset().filter(shared).distinct()
