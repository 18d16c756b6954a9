"""Who may open which team's or rep's dashboard; registered with accounts.access at start-up.

Program-wide figures (the program dashboard, snapshots) are for every member:
the monthly review and its wins are meant to be seen. Team and personal
dashboards are coaching views, so they open to the people the figures are
about and those who manage them: a rep sees their own and their team's, a
leader the teams they lead (with the teams below) and their reps, executives
and sales ops every one.
"""

from dataclasses import dataclass
from typing import Any

from accounts.access import Action, Role, User, register_object_rule, roles_of
from tracker.access import led_team_ids
from tracker.models import Rep, Team

EVERYONE_VISIBLE = frozenset({Role.EXECUTIVE, Role.OPS})


@dataclass(frozen=True)
class DashboardReach:
    """The teams and reps whose dashboards a user may open; None means every one."""

    team_ids: frozenset[int] | None
    rep_ids: frozenset[int] | None

    def team(self, team_id: int | None) -> bool:
        return team_id is not None and (self.team_ids is None or team_id in self.team_ids)

    def rep(self, rep_id: int | None) -> bool:
        return rep_id is not None and (self.rep_ids is None or rep_id in self.rep_ids)


def _own_reps(user: Any, merger_id: int) -> list[tuple[int, int | None]]:
    cache = getattr(user, "_cached_own_reps", None)
    if cache is None:
        cache = {}
        user._cached_own_reps = cache
    if merger_id not in cache:
        cache[merger_id] = list(
            Rep.objects.filter(merger_id=merger_id, user=user).values_list("id", "team_id")
        )
    return cache[merger_id]


def own_rep(*, user: User, merger_id: int) -> tuple[int, int | None] | None:
    """The user's own rep record in the program, as (rep id, team id), if they sell."""
    if not user.is_authenticated:
        return None
    own = _own_reps(user, merger_id)
    return own[0] if own else None


def dashboard_reach(*, user: User, merger_id: int) -> DashboardReach:
    roles = roles_of(user)
    if roles & EVERYONE_VISIBLE:
        return DashboardReach(team_ids=None, rep_ids=None)
    own = _own_reps(user, merger_id)
    team_ids = {team_id for _rep_id, team_id in own if team_id is not None}
    rep_ids = {rep_id for rep_id, _team_id in own}
    if Role.LEADER in roles:
        led = set(
            Team.objects.filter(merger_id=merger_id, pk__in=led_team_ids(user)).values_list(
                "id", flat=True
            )
        )
        team_ids |= led
        rep_ids |= set(
            Rep.objects.filter(merger_id=merger_id, team_id__in=led).values_list("id", flat=True)
        )
    return DashboardReach(team_ids=frozenset(team_ids), rep_ids=frozenset(rep_ids))


def dashboard_rule(user: Any, role: Role, obj: Any) -> bool:
    if role in EVERYONE_VISIBLE:
        return True
    if isinstance(obj, Team):
        return dashboard_reach(user=user, merger_id=obj.merger_id).team(obj.pk)
    if isinstance(obj, Rep):
        return dashboard_reach(user=user, merger_id=obj.merger_id).rep(obj.pk)
    # Program-wide reads (snapshots): the role table alone decides.
    return True


def register() -> None:
    register_object_rule("dashboard", Action.VIEW, dashboard_rule)
