"""The scorecards' rows of the role table, navigation and links, and who may open
which dashboard. Registered with core at start-up (ScorecardsConfig.ready).

Program-wide figures (the program dashboard, snapshots) are for every member:
the monthly review and its wins are meant to be seen. Team and personal
dashboards are coaching views, so they open to the people the figures are
about and those who manage them, as tracker.selectors.reach says: a rep sees
their own (and their team's where the program shares it), a leader the teams
they lead (with the teams below) and their reps, executives and sales ops
every one.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import Merger
from core.access import (
    LEADERS,
    OPS,
    READERS,
    Action,
    Role,
    User,
    crud_rules,
    register_object_rule,
)
from core.web import NavSection, register_app_access
from tracker.models import Rep, Team
from tracker.selectors.reach import (
    EVERYONE_VISIBLE,
    NOTHING,
    Reach,
    attainment_reach,
    own_reps,
)

_REVIEWERS = frozenset({Role.LEADER, Role.EXECUTIVE, Role.OPS})

RULES = {
    ("scorecard", Action.VIEW): READERS,
    ("scorecard", Action.EXPORT): _REVIEWERS,
    # Recomputing an open month's scores now rather than on the next data change.
    ("scorecard", Action.CHANGE): LEADERS,
    ("assessment", Action.VIEW): READERS,
    ("assessment", Action.CREATE): frozenset({Role.LEADER, Role.EXECUTIVE}),
    # The monthly reviews senior leadership holds, recorded by those who hold them.
    **crud_rules(["review"], view=READERS, write=_REVIEWERS),
    # How the six Cs are weighted and scored: read by all, set by sales ops.
    ("scoring_policy", Action.VIEW): READERS,
    ("scoring_policy", Action.CHANGE): OPS,
}

NAV_SECTIONS = (
    NavSection("scorecards", _("Scorecards"), "scorecards:scorecard", "scorecard", order=60),
    NavSection("dashboards", _("Dashboards"), "scorecards:dashboard", "dashboard", order=70),
)

LINKS = {
    "scorecard": "scorecards:scorecard",
    "my_dashboard": "scorecards:my_dashboard",
    "dashboard": "scorecards:dashboard",
}

# Team and rep dashboards show quotas and attainment: the same hierarchy decides.
DashboardReach = Reach


def own_rep(*, user: User, merger_id: int) -> tuple[int, int | None] | None:
    """The user's own rep record in the program, as (rep id, team id), if they sell."""
    if not user.is_authenticated:
        return None
    own = own_reps(user, merger_id)
    return own[0] if own else None


def dashboard_reach(*, user: User, merger_id: int) -> DashboardReach:
    merger = Merger.objects.filter(pk=merger_id).first()
    if merger is None:
        return NOTHING
    return attainment_reach(user=user, merger=merger)


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
    register_app_access(rules=RULES, nav_sections=NAV_SECTIONS, links=LINKS)
    register_object_rule("dashboard", Action.VIEW, dashboard_rule)
