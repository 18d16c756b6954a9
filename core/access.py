"""Who may do what: the one place that pages, the API and tasks all ask.

A rule has two parts. The role table says which roles may take an action on a
kind of resource at all; an object rule, where one is registered, narrows that
to particular objects (a rep changes only opportunities they own). Each app
registers the rows of the table for its own resources, and its object rules,
in its AppConfig.ready, so this module never imports them.

Program isolation is separate and comes first: a user sees only the programs
they are a member of (core.programs.merger_ids_for), and every queryset is
scoped by it.
"""

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

from core.programs import User, merger_ids_for


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

# Filled by the apps at start-up (register_rules); tests may patch single rows.
RULES: dict[tuple[str, Action], frozenset[Role]] = {}


def register_rules(rules: Mapping[tuple[str, Action], frozenset[Role]]) -> None:
    """Adds an app's rows to the role table; a resource belongs to one app only."""
    RULES.update(rules)


def crud_rules(
    resources: Iterable[str], *, view: frozenset[Role], write: frozenset[Role]
) -> dict[tuple[str, Action], frozenset[Role]]:
    """The rows of resources that one set of roles reads and another maintains."""
    rows: dict[tuple[str, Action], frozenset[Role]] = {}
    for resource in resources:
        rows[(resource, Action.VIEW)] = view
        for action in (Action.CREATE, Action.CHANGE, Action.DELETE):
            rows[(resource, action)] = write
    return rows


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
