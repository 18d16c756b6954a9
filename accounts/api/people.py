"""The people endpoint: a program's members with their logins and roles, managed by sales ops.

Each entry is a membership: who works on which program. Creating one creates
the person's login (without a password: their set-password link is e-mailed
to them, or fetched with `invite`); deleting one takes them off the program
and keeps their login, deals and history.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.filters import ProgramFilter
from accounts.api.serializers import ProgramObjectSerializer
from accounts.api.viewsets import ProgramModelViewSet
from accounts.models import ProgramMembership
from accounts.selectors.people import roles_held, set_password_path
from accounts.services.people import (
    membership_remove,
    person_create,
    person_invite_send,
    person_update,
)
from core.access import Action, Role
from core.api.errors import refused_as_conflict, refused_delete

ROLE_CHOICES = [(role.value, role.value) for role in Role]


class RolesField(serializers.MultipleChoiceField):
    """The person's roles: the role groups of their login."""

    def get_attribute(self, membership: ProgramMembership) -> list[str]:
        return roles_held(membership.user)

    def to_representation(self, value) -> list[str]:
        return sorted(str(role) for role in value)


class PersonSerializer(ProgramObjectSerializer):
    moved_message = gettext_lazy("A membership stays in its program.")
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(
        source="user.username",
        required=False,
        allow_blank=True,
        max_length=150,
        help_text=gettext_lazy(
            "What they sign in with, set on creation (empty: their e-mail); it stays after."
        ),
    )
    first_name = serializers.CharField(source="user.first_name", max_length=150, allow_blank=True)
    last_name = serializers.CharField(source="user.last_name", max_length=150, allow_blank=True)
    # Plain text out (a login made on the command line may have none); the service checks it.
    email = serializers.CharField(source="user.email", max_length=254, allow_blank=True)
    roles = RolesField(
        choices=ROLE_CHOICES, help_text=gettext_lazy("rep, sales_leader, executive, sales_ops")
    )
    is_active = serializers.BooleanField(source="user.is_active", required=False, default=True)
    has_password = serializers.SerializerMethodField()

    class Meta:
        model = ProgramMembership
        fields = [
            "id",
            "merger",
            "user",
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "is_active",
            "has_password",
            "joined_at",
        ]
        read_only_fields = ["id", "user", "has_password", "joined_at"]
        validators: list = []

    def get_has_password(self, membership: ProgramMembership) -> bool:
        return membership.user.has_usable_password()


class PersonFilter(ProgramFilter):
    class Meta:
        model = ProgramMembership
        fields = ["merger"]


class InviteSerializer(serializers.Serializer):
    link = serializers.CharField(help_text=gettext_lazy("The one-time set-password link."))
    sent = serializers.BooleanField(help_text=gettext_lazy("Whether it was e-mailed."))


@refused_delete(gettext_lazy("Yourself or the program's accountable leader: they stay."))
@extend_schema(tags=["people"])
class PersonViewSet(ProgramModelViewSet):
    """The members of each program, with their login, roles and whether they set a password."""

    access_resource = "user"
    access_actions = {"invite": Action.CHANGE}
    queryset = ProgramMembership.objects.select_related("user").prefetch_related("user__groups")
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    ordering_fields = ["joined_at", "user__last_name"]
    ordering = ["merger_id", "user__last_name", "user__first_name", "id"]

    def perform_create(self, serializer: PersonSerializer) -> None:
        data = serializer.validated_data
        user = data.get("user", {})
        merger = data["merger"]
        with transaction.atomic():
            person = person_create(
                actor=self.request.user,
                merger=merger,
                email=user.get("email", ""),
                first_name=user.get("first_name", ""),
                last_name=user.get("last_name", ""),
                roles=[Role(role) for role in data["roles"]],
                username=user.get("username", ""),
            )
        serializer.instance = self.get_queryset().get(merger=merger, user=person)

    def perform_update(self, serializer: PersonSerializer) -> None:
        membership = serializer.instance
        person = membership.user
        data = serializer.validated_data
        user = data.get("user", {})
        roles = data.get("roles")
        person_update(
            actor=self.request.user,
            person=person,
            email=user.get("email", person.email),
            first_name=user.get("first_name", person.first_name),
            last_name=user.get("last_name", person.last_name),
            roles=[Role(role) for role in roles] if roles is not None else roles_held(person),
            is_active=user.get("is_active", person.is_active),
        )
        serializer.instance = self.get_queryset().get(pk=membership.pk)

    def perform_destroy(self, instance: ProgramMembership) -> None:
        with refused_as_conflict():
            membership_remove(
                actor=self.request.user, merger=instance.merger, person=instance.user
            )

    @extend_schema(request=None, responses={200: InviteSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def invite(self, request: Request, pk: str | None = None) -> Response:
        """E-mails the person their one-time set-password link, and answers it."""
        membership = self.get_object()
        link = request.build_absolute_uri(set_password_path(user=membership.user))
        sent = person_invite_send(
            actor=request.user, person=membership.user, link=link, program=membership.merger.name
        )
        return Response(InviteSerializer({"link": link, "sent": sent}).data)
