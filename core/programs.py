"""The programs a user belongs to, and which one their pages work on.

Everything in the product is scoped to a program (a merger). The program model
belongs to the domain below the platform, which registers it here at start-up
(AppConfig.ready) with the path from it to its members, so this module names
no app: `merger_ids_for` isolates programs for every page, endpoint and task.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from django.http import HttpRequest

type User = AbstractBaseUser | AnonymousUser

# The session remembers the program a user last switched to.
CURRENT_PROGRAM_SESSION_KEY = "current_merger_id"


@dataclass(frozen=True)
class _ProgramModel:
    model: type[Model]
    # The lookup from a program to the users who are its members.
    members: str


_program: list[_ProgramModel] = []


def register_program_model(model: type[Model], *, members: str) -> None:
    _program[:] = [_ProgramModel(model, members)]


def program_model() -> type[Model]:
    return _program[0].model


def merger_ids_for(user: User) -> frozenset[int]:
    """The programs a user may see at all."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cached_merger_ids", None)
    if cached is None:
        program = _program[0]
        mergers = (
            program.model.objects.all()
            if user.is_superuser
            else program.model.objects.filter(**{program.members: user})
        )
        cached = frozenset(mergers.values_list("id", flat=True))
        user._cached_merger_ids = cached
    return cached


def programs_for(*, user: User) -> QuerySet:
    return program_model().objects.filter(pk__in=merger_ids_for(user)).only("id", "name")


def current_merger(request: HttpRequest) -> Model | None:
    """The program chosen in the session, else the user's first; None without one.

    Cached on the request: the layout and the view both ask for it.
    """
    if hasattr(request, "_current_merger"):
        return request._current_merger
    ids = merger_ids_for(request.user)
    chosen = request.session.get(CURRENT_PROGRAM_SESSION_KEY) if ids else None
    mergers = program_model().objects.filter(pk__in=ids)
    merger = None
    if chosen in ids:
        merger = mergers.filter(pk=chosen).first()
    if merger is None and ids:
        merger = mergers.order_by("name", "pk").first()
    request._current_merger = merger
    return merger


def current_merger_set(*, request: HttpRequest, merger_id: int) -> Model | None:
    """Switches the session to a program the user belongs to; None if they do not."""
    if merger_id not in merger_ids_for(request.user):
        return None
    merger = program_model().objects.filter(pk=merger_id).first()
    if merger is not None:
        request.session[CURRENT_PROGRAM_SESSION_KEY] = merger.pk
        request._current_merger = merger
    return merger
