"""Reads of people: the members of a program with their roles, and set-password links."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import Merger
from core.access import GROUP_NAMES, Role, User
from core.programs import merger_ids_for
from core.web import ROLE_LABELS

ROLE_OF_GROUP = {name: role for role, name in GROUP_NAMES.items()}


@dataclass(frozen=True)
class Person:
    user: AbstractUser
    roles: tuple[Role, ...]
    # No password yet: the person has not used their set-password link.
    invited: bool

    @property
    def role_labels(self) -> list[str]:
        return [str(ROLE_LABELS[role]) for role in self.roles]


def _with_groups(users: QuerySet) -> QuerySet:
    from django.contrib.auth.models import Group

    return users.prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=GROUP_NAMES.values()))
    )


def roles_held(person: AbstractUser) -> list[Role]:
    """The person's roles, from their role groups (prefetched ones too), whether or not
    their login works (`core.access.roles_of` gives none to a switched-off login)."""
    return [
        ROLE_OF_GROUP[group.name] for group in person.groups.all() if group.name in ROLE_OF_GROUP
    ]


def _person(user: AbstractUser) -> Person:
    roles = tuple(sorted(roles_held(user), key=list(GROUP_NAMES).index))
    return Person(user=user, roles=roles, invited=not user.has_usable_password())


def _people(users: QuerySet) -> list[Person]:
    """The logins with their roles, by name: three queries whatever their number."""
    return [
        _person(user)
        for user in _with_groups(users.order_by("last_name", "first_name", "username"))
    ]


def program_people(*, merger: Merger) -> list[Person]:
    """The program's members with their roles, by name."""
    return _people(get_user_model().objects.filter(memberships__merger=merger))


def people_without_program(*, actor: User) -> list[Person]:
    """For an administrator before any program exists: every login that belongs to none."""
    if not actor.is_superuser:
        return []
    return _people(get_user_model().objects.filter(memberships__isnull=True))


def people_visible_to(*, actor: User) -> QuerySet:
    """Logins the actor may name (as a leader, a member): those sharing a program with them.

    An administrator sees every login; nobody sees the people of programs they are not in.
    """
    users = get_user_model().objects.filter(is_active=True)
    if actor.is_superuser:
        return users
    shared = Q(memberships__merger_id__in=merger_ids_for(actor)) | Q(pk=actor.pk)
    return users.filter(shared).distinct()


def person_of(*, actor: User, merger: Merger | None, pk: int) -> Person | None:
    """A member of the actor's current program (any login for an administrator), or None."""
    users = get_user_model().objects.filter(pk=pk)
    if not actor.is_superuser:
        if merger is None:
            return None
        users = users.filter(memberships__merger=merger)
    user = _with_groups(users).first()
    return None if user is None else _person(user)


def person_find(*, identifier: str) -> AbstractUser | None:
    """A login by username or e-mail, ignoring case."""
    text = identifier.strip()
    if not text:
        return None
    users = get_user_model().objects.filter(Q(username__iexact=text) | Q(email__iexact=text))
    return users.order_by("pk").first()


def set_password_path(*, user: AbstractUser) -> str:
    """The one-time link with which a person chooses their password.

    Django's password-reset token: it stops working once the password is set
    (the token hashes it) and after PASSWORD_RESET_TIMEOUT. Nothing is stored.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})


def user_of_link(*, uidb64: str, token: str) -> AbstractUser | None:
    """The active user a set-password link was made for, if it is still valid."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user
