"""Object rules of the tracker, registered with accounts.access at start-up."""

from typing import Any

from accounts.access import Action, Role, register_object_rule
from tracker.team_tree import subtree_ids


def led_team_ids(user: Any) -> frozenset[int]:
    """Teams a leader leads, with every team below them in the hierarchy."""
    cached = getattr(user, "_cached_led_team_ids", None)
    if cached is not None:
        return cached
    from tracker.models import Team

    led = list(Team.objects.filter(leader=user).values_list("id", "merger_id"))
    programs = Team.objects.filter(merger_id__in={merger_id for _pk, merger_id in led})
    parent_of = dict(programs.values_list("id", "parent_id")) if led else {}
    found = subtree_ids(parent_of, [pk for pk, _merger_id in led])
    user._cached_led_team_ids = frozenset(found)
    return user._cached_led_team_ids


def _rep_in_scope(user: Any, role: Role, rep: Any) -> bool:
    if role == Role.OPS:
        return True
    if rep.user_id == user.pk:
        return role in (Role.REP, Role.LEADER)
    return role == Role.LEADER and rep.team_id in led_team_ids(user)


def opportunity_rule(user: Any, role: Role, opportunity: Any) -> bool:
    return _rep_in_scope(user, role, opportunity.owner)


def quota_rule(user: Any, role: Role, quota: Any) -> bool:
    # Leaders set their team's quotas, never their own.
    if role == Role.LEADER and quota.rep.user_id == user.pk:
        return False
    return _rep_in_scope(user, role, quota.rep)


def quota_view_rule(user: Any, role: Role, quota: Any) -> bool:
    """Whose quotas one may read follows the team hierarchy (tracker.selectors.reach)."""
    from tracker.selectors.reach import attainment_reach

    return attainment_reach(user=user, merger=quota.rep.merger).rep(quota.rep_id)


def credit_rule(user: Any, role: Role, opportunity: Any) -> bool:
    # Like quotas: leaders credit their team's deals, never their own.
    if role == Role.LEADER and opportunity.owner.user_id == user.pk:
        return False
    return role != Role.REP and _rep_in_scope(user, role, opportunity.owner)


def register() -> None:
    # CREATE too: a rep logs opportunities they own, a leader for their team.
    for action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        register_object_rule("opportunity", action, opportunity_rule)
    for action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        register_object_rule("quota", action, quota_rule)
    register_object_rule("quota", Action.VIEW, quota_view_rule)
    register_object_rule("credit", Action.CHANGE, credit_rule)
