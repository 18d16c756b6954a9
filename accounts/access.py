"""Who may do what: the one place that pages, the API and tasks all ask.

A rule has two parts. The role table says which roles may take an action on a
kind of resource at all; an object rule, where one is registered, narrows that
to particular objects (a rep changes only opportunities they own). Apps further
down the dependency chain register their object rules in their AppConfig.ready,
so this module never imports them.

Program isolation is separate and comes first: a user sees only the mergers
they are a member of (`merger_ids_for`), and every queryset is scoped by it.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

type User = AbstractBaseUser | AnonymousUser


class Role(StrEnum):
    REP = "rep"
    LEADER = "sales_leader"
    EXECUTIVE = "executive"
    OPS = "sales_ops"


# The Django group that carries each role (created by a data migration).
GROUP_NAMES: dict[Role, str] = {
    Role.REP: "Rep",
    Role.LEADER: "Sales leader",
    Role.EXECUTIVE: "Executive",
    Role.OPS: "Sales ops",
}


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"


ALL = frozenset(Role)
READERS = ALL
OPS = frozenset({Role.OPS})
SELLERS = frozenset({Role.REP, Role.LEADER, Role.OPS})
LEADERS = frozenset({Role.LEADER, Role.OPS})

# Program reference data is maintained by sales ops and read by everyone.
_REFERENCE = (
    "merger",
    "company",
    "segment",
    "account",
    "product",
    "product_map",
    "team",
    "rep",
    "stage",
    "certification",
)

RULES: dict[tuple[str, Action], frozenset[Role]] = {
    **{(resource, Action.VIEW): READERS for resource in _REFERENCE},
    **{(resource, Action.CREATE): OPS for resource in _REFERENCE},
    **{(resource, Action.CHANGE): OPS for resource in _REFERENCE},
    **{(resource, Action.DELETE): OPS for resource in _REFERENCE},
    ("import", Action.VIEW): OPS,
    ("import", Action.CREATE): OPS,
    ("match", Action.VIEW): OPS | {Role.EXECUTIVE},
    ("match", Action.CHANGE): OPS,
    ("whitespace", Action.VIEW): READERS,
    ("risk", Action.VIEW): READERS,
    # The risk policy's thresholds decide who may be sold to.
    ("risk", Action.CHANGE): OPS,
    ("opportunity", Action.VIEW): READERS,
    ("opportunity", Action.CREATE): SELLERS,
    ("opportunity", Action.CHANGE): SELLERS,
    ("opportunity", Action.DELETE): OPS,
    # Stage or owner for many at once; each item still passes the opportunity rules.
    ("opportunity_bulk", Action.CHANGE): LEADERS,
    ("quota", Action.VIEW): READERS,
    ("quota", Action.CREATE): LEADERS,
    ("quota", Action.CHANGE): LEADERS,
    ("quota", Action.DELETE): LEADERS,
    ("credit", Action.VIEW): READERS,
    ("credit", Action.CHANGE): LEADERS,
    ("comp_plan", Action.VIEW): LEADERS | {Role.EXECUTIVE},
    ("comp_plan", Action.CREATE): OPS,
    ("comp_plan", Action.CHANGE): OPS,
    ("comp_plan", Action.DELETE): OPS,
    # Everyone sees estimated payouts; a rep only their own (narrowed by the selector).
    ("payout", Action.VIEW): READERS,
    # The companies' core (non-program) win rates behind "cross-sell vs core win rate".
    ("core_win_rate", Action.VIEW): READERS,
    ("core_win_rate", Action.CREATE): OPS,
    ("core_win_rate", Action.CHANGE): OPS,
    ("core_win_rate", Action.DELETE): OPS,
    # Exchange rates to the reporting currency: read by everyone, entered by sales ops.
    ("exchange_rate", Action.VIEW): READERS,
    ("exchange_rate", Action.CREATE): OPS,
    ("exchange_rate", Action.CHANGE): OPS,
    ("target", Action.VIEW): READERS,
    # The deal model's targets: sales ops enters them, the accountable executive owns them.
    ("target", Action.CREATE): OPS | {Role.EXECUTIVE},
    ("target", Action.CHANGE): OPS | {Role.EXECUTIVE},
    ("target", Action.DELETE): OPS | {Role.EXECUTIVE},
    ("supervision", Action.VIEW): LEADERS | {Role.EXECUTIVE},
    ("scorecard", Action.VIEW): READERS,
    ("scorecard", Action.EXPORT): frozenset({Role.LEADER, Role.EXECUTIVE, Role.OPS}),
    # Recomputing an open month's scores now rather than on the next data change.
    ("scorecard", Action.CHANGE): LEADERS,
    ("assessment", Action.VIEW): READERS,
    # The monthly reviews senior leadership holds, recorded by those who hold them.
    ("review", Action.VIEW): READERS,
    **{
        ("review", action): frozenset({Role.LEADER, Role.EXECUTIVE, Role.OPS})
        for action in (Action.CREATE, Action.CHANGE, Action.DELETE)
    },
    # How the six Cs are weighted and scored: read by all, set by sales ops.
    ("scoring_policy", Action.VIEW): READERS,
    ("scoring_policy", Action.CHANGE): OPS,
    ("assessment", Action.CREATE): frozenset({Role.LEADER, Role.EXECUTIVE}),
    ("dashboard", Action.VIEW): READERS,
    # People: sales ops creates and invites users, gives them roles and program membership.
    ("user", Action.VIEW): OPS,
    ("user", Action.CREATE): OPS,
    ("user", Action.CHANGE): OPS,
    ("user", Action.DELETE): OPS,
    # Who changed what, program-wide and per record: those who oversee the program.
    ("history", Action.VIEW): LEADERS | {Role.EXECUTIVE},
    # The setup checklist and the pages it leads to.
    ("setup", Action.VIEW): OPS,
}

type ObjectRule = Callable[[Any, Role, Any], bool]
_OBJECT_RULES: dict[tuple[str, Action], ObjectRule] = {}


def register_object_rule(resource: str, action: Action, rule: ObjectRule) -> None:
    _OBJECT_RULES[(resource, action)] = rule


def roles_of(user: User) -> frozenset[Role]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL
    cached = getattr(user, "_cached_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role, group in GROUP_NAMES.items() if group in names)
        user._cached_roles = cached
    return cached


def merger_ids_for(user: User) -> frozenset[int]:
    """The programs a user may see at all."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cached_merger_ids", None)
    if cached is None:
        from accounts.models import Merger

        mergers = (
            Merger.objects.all()
            if user.is_superuser
            else Merger.objects.filter(memberships__user=user)
        )
        cached = frozenset(mergers.values_list("id", flat=True))
        user._cached_merger_ids = cached
    return cached


def allowed(user: User, action: Action, resource: str, obj: Any = None) -> bool:
    roles = roles_of(user) & RULES.get((resource, action), frozenset())
    if not roles:
        return False
    if obj is None:
        return True
    merger_id = getattr(obj, "merger_id", None)
    if merger_id is not None and merger_id not in merger_ids_for(user):
        return False
    rule = _OBJECT_RULES.get((resource, action))
    return rule is None or any(rule(user, role, obj) for role in roles)


def has_role(user: User, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))
