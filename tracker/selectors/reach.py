"""Whose quotas and attainment a user may see: the team hierarchy, per program.

A rep sees their own; with the program's "reps see their whole team's
attainment" on, also their team's and their teammates'. A leader sees the teams
they lead and every team below, with their reps (and their own figures if they
sell). Executives and sales ops see every one. Pages and the API ask here, so
that they agree. The tracker's access rules take a leader's teams from here too,
so the dependency runs one way: tracker.access imports this module, never back.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from accounts.models import Merger
from core.access import Role, User, roles_of
from core.programs import merger_ids_for
from tracker.models import Rep, Team
from tracker.team_tree import subtree_ids

EVERYONE_VISIBLE = frozenset({Role.EXECUTIVE, Role.OPS})


@dataclass(frozen=True)
class Reach:
    """The teams and reps whose figures a user may see; None means every one."""

    team_ids: frozenset[int] | None
    rep_ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.team_ids is None and self.rep_ids is None

    def team(self, team_id: int | None) -> bool:
        return team_id is not None and (self.team_ids is None or team_id in self.team_ids)

    def rep(self, rep_id: int | None) -> bool:
        return rep_id is not None and (self.rep_ids is None or rep_id in self.rep_ids)


NOTHING = Reach(team_ids=frozenset(), rep_ids=frozenset())


def led_team_ids(user: Any) -> frozenset[int]:
    """Teams a leader leads, with every team below them in the hierarchy."""
    cached = getattr(user, "_cached_led_team_ids", None)
    if cached is not None:
        return cached
    led = list(Team.objects.filter(leader=user).values_list("id", "merger_id"))
    programs = Team.objects.filter(merger_id__in={merger_id for _pk, merger_id in led})
    parent_of = dict(programs.values_list("id", "parent_id")) if led else {}
    found = subtree_ids(parent_of, [pk for pk, _merger_id in led])
    user._cached_led_team_ids = frozenset(found)
    return user._cached_led_team_ids


def own_reps(user: User, merger_id: int) -> list[tuple[int, int | None]]:
    """(rep id, team id) of the user's rep records in a program, kept on the user."""
    cache = getattr(user, "_cached_own_reps", None)
    if cache is None:
        cache = {}
        user._cached_own_reps = cache
    if merger_id not in cache:
        cache[merger_id] = list(
            Rep.objects.filter(merger_id=merger_id, user=user).values_list("id", "team_id")
        )
    return cache[merger_id]


def attainment_reach(*, user: User, merger: Merger) -> Reach:
    """The teams and reps whose quotas, attainment and dashboards `user` may see."""
    if not user.is_authenticated or merger.pk not in merger_ids_for(user):
        return NOTHING
    roles = roles_of(user)
    if roles & EVERYONE_VISIBLE:
        return Reach(team_ids=None, rep_ids=None)
    own = own_reps(user, merger.pk)
    rep_ids = {rep_id for rep_id, _team_id in own}
    team_ids: set[int] = set()
    if merger.reps_see_team_attainment:
        team_ids |= {team_id for _rep_id, team_id in own if team_id is not None}
    if Role.LEADER in roles:
        team_ids |= set(led_team_ids(user))
    if team_ids:
        # Led teams come from every program the leader works in: keep this one's.
        team_ids = set(
            Team.objects.filter(merger=merger, pk__in=team_ids).values_list("id", flat=True)
        )
        reps = Rep.objects.filter(merger=merger, team_id__in=team_ids)
        rep_ids |= set(reps.values_list("id", flat=True))
    return Reach(team_ids=frozenset(team_ids), rep_ids=frozenset(rep_ids))


def visible_reps_q(*, user: User, prefix: str = "") -> Q:
    """The reps whose figures `user` may see across all their programs, as a filter
    on a query of objects reaching a rep through `prefix` (e.g. "rep__")."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    programs = merger_ids_for(user)
    if roles_of(user) & EVERYONE_VISIBLE:
        return Q(**{f"{prefix}merger_id__in": programs})
    in_program = Q(**{f"{prefix}merger_id__in": programs})
    own_teams = Rep.objects.filter(user=user, team__isnull=False).values("team_id")
    visible = Q(**{f"{prefix}user": user}) | Q(
        **{f"{prefix}team_id__in": own_teams, f"{prefix}merger__reps_see_team_attainment": True}
    )
    if Role.LEADER in roles_of(user):
        visible |= Q(**{f"{prefix}team_id__in": led_team_ids(user)})
    return in_program & visible
