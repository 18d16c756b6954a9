"""Writes of people: logins with a role, and their membership of programs.

Sales ops (and the installation's administrators) create the logins of the
people who work on a program, give them a role (one of the groups of
core.access) and add them to the program. A new login has no password: its
owner sets one through a one-time link (accounts.selectors.people), so that no
password is ever chosen or seen by someone else.

Two guards keep this from becoming a way round the rules: only an
administrator changes an administrator, and nobody takes their own sales-ops
role or login away (which would leave a program with no one to set it up).
"""

from collections.abc import Collection

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger, ProgramMembership, RecordChange
from accounts.services.history import (
    Snapshot,
    as_text,
    changed_fields,
    history_created,
    history_deleted,
    history_entry,
    history_recorded,
)
from core.access import GROUP_NAMES, Action, Role, User, allowed
from core.people import person_name
from core.programs import merger_ids_for

MAX_USERNAME = 150


def _check(actor: User, action: Action, merger: Merger | None = None) -> None:
    if not allowed(actor, action, "user"):
        raise PermissionDenied(_("Only sales ops manages people."))
    if merger is not None and merger.pk not in merger_ids_for(actor):
        raise PermissionDenied(_("You are not a member of this program."))


def _guard(actor: User, person: AbstractUser) -> None:
    if person.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only an administrator changes an administrator."))


def _groups(roles: Collection[Role]) -> list[Group]:
    names = [GROUP_NAMES[Role(role)] for role in roles]
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(set(names)):
        # The groups come from a data migration; without them roles would silently vanish.
        raise ValidationError({"roles": _("The role groups are missing; run the migrations.")})
    return groups


def _person_snapshot(person: AbstractUser) -> Snapshot:
    """What a login's history keeps: who it is, its roles and whether it works; never its
    password."""
    roles = person.groups.filter(name__in=GROUP_NAMES.values()).values_list("name", flat=True)
    return {
        "username": person.get_username(),
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "is_active": as_text(person.is_active),
        "roles": ", ".join(sorted(roles)),
    }


def _person_history(*, actor: User | None, person: AbstractUser, before: Snapshot | None) -> None:
    """Keeps the change once, in no program: a login belongs to several, and its
    e-mail and roles are for those who manage people (`login_history` reads it)."""
    changes = changed_fields(before, _person_snapshot(person))
    if not changes:
        return
    history_entry(
        model=type(person),
        object_id=person.pk,
        object_repr=person_name(person),
        merger_id=None,
        action=RecordChange.Action.CREATED if before is None else RecordChange.Action.CHANGED,
        changes=changes,
        actor=actor,
    ).save(force_insert=True)


def _clean_identity(*, email: str, username: str, exclude: int | None = None) -> tuple[str, str]:
    users = get_user_model().objects.exclude(pk=exclude)
    errors: dict[str, str] = {}
    email = email.strip()
    username = (username or "").strip() or email
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    else:
        if users.filter(email__iexact=email).exists():
            errors["email"] = _(
                "Someone has a login with this e-mail already: add them to the program instead."
            )
    if not username or len(username) > MAX_USERNAME:
        errors["username"] = _("Give a username of at most 150 characters.")
    elif users.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken.")
    if errors:
        raise ValidationError(errors)
    return email, username


@transaction.atomic
def person_create(
    *,
    actor: User,
    merger: Merger | None,
    email: str,
    first_name: str,
    last_name: str,
    roles: Collection[Role],
    username: str = "",
) -> AbstractUser:
    """A login with the roles, a member of `merger` if given, waiting for its password."""
    _check(actor, Action.CREATE, merger)
    if merger is None and not actor.is_superuser:
        # A login in no program would be out of everyone's sight but the administrators'.
        raise ValidationError(_("Set up the program first, then add its people to it."))
    if not roles:
        raise ValidationError({"roles": _("Give the person a role.")})
    email, username = _clean_identity(email=email, username=username)
    person = get_user_model()(
        username=username,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    person.set_unusable_password()
    person.save()
    person.groups.set(_groups(roles))
    if merger is not None:
        history_created(ProgramMembership, actor=actor, merger=merger, user=person)
    _person_history(actor=actor, person=person, before=None)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: AbstractUser,
    email: str,
    first_name: str,
    last_name: str,
    roles: Collection[Role],
    is_active: bool = True,
) -> AbstractUser:
    """Names, e-mail, roles and whether the login works; the username stays."""
    _check(actor, Action.CHANGE)
    _guard(actor, person)
    if person.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot switch off your own login.")})
    if person.pk == actor.pk and Role.OPS not in roles and not actor.is_superuser:
        raise ValidationError({"roles": _("You cannot take your own sales-ops role away.")})
    if not roles and not person.is_superuser:
        raise ValidationError({"roles": _("Give the person a role.")})
    email, _username = _clean_identity(
        email=email, username=person.get_username(), exclude=person.pk
    )
    before = _person_snapshot(person)
    person.email = email
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.is_active = is_active
    person.save(update_fields=["email", "first_name", "last_name", "is_active"])
    role_groups = list(GROUP_NAMES.values())
    others = list(person.groups.exclude(name__in=role_groups))
    person.groups.set([*others, *_groups(roles)])
    person.__dict__.pop("_cached_roles", None)
    _person_history(actor=actor, person=person, before=before)
    return person


@transaction.atomic
def roles_add(*, actor: User | None, person: AbstractUser, roles: Collection[Role]) -> None:
    """Gives roles besides those the person has (an import names reps and team leaders)."""
    before = _person_snapshot(person)
    person.groups.add(*_groups(roles))
    person.__dict__.pop("_cached_roles", None)
    _person_history(actor=actor, person=person, before=before)


@transaction.atomic
def membership_add(*, actor: User, merger: Merger, person: AbstractUser) -> ProgramMembership:
    """Adds someone who has a login already to the program; adding twice changes nothing."""
    _check(actor, Action.CHANGE, merger)
    if not person.is_active:
        raise ValidationError(_("This login is switched off; switch it on first."))
    membership, created = ProgramMembership.objects.get_or_create(merger=merger, user=person)
    if created:
        history_recorded(actor=actor, instance=membership)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, merger: Merger, person: AbstractUser) -> None:
    """Takes the person off the program; their login, deals and history stay."""
    _check(actor, Action.DELETE, merger)
    _guard(actor, person)
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot take yourself off the program."))
    if merger.accountable_leader_id == person.pk:
        raise ValidationError(
            _("%(person)s is the program's accountable leader; name another leader first.")
            % {"person": person_name(person)}
        )
    for membership in ProgramMembership.objects.filter(merger=merger, user=person):
        history_deleted(actor=actor, instance=membership)


def person_invite_send(*, actor: User, person: AbstractUser, link: str, program: str) -> bool:
    """E-mails the person their set-password link; False when they have no e-mail address."""
    _check(actor, Action.CHANGE)
    _guard(actor, person)
    if not person.email:
        return False
    inviter = person_name(actor)
    subject = _("Your login to the cross-sell tracker")
    body = _(
        "%(inviter)s gave you a login to the cross-sell tracker%(program)s.\n\n"
        "Your username: %(username)s\n"
        "Choose your password here (the link works once, for a few days):\n%(link)s\n"
    ) % {
        "inviter": inviter,
        "program": (_(" for the program %(name)s") % {"name": program}) if program else "",
        "username": person.get_username(),
        "link": link,
    }
    send_mail(subject, body, None, [person.email])
    return True
