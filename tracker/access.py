"""The tracker's rows of the role table, its object rules, navigation and links.

Registered with core at start-up (TrackerConfig.ready).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.access import (
    LEADERS,
    OPS,
    READERS,
    SELLERS,
    Action,
    Role,
    crud_rules,
    register_object_rule,
)
from core.web import NavSection, register_app_access
from tracker.models import Rep, Team
from tracker.selectors.reach import attainment_reach, led_team_ids

RULES = {
    # The organisation is program reference data: maintained by sales ops, read by all.
    **crud_rules(("team", "rep", "stage", "certification"), view=READERS, write=OPS),
    ("opportunity", Action.VIEW): READERS,
    ("opportunity", Action.CREATE): SELLERS,
    ("opportunity", Action.CHANGE): SELLERS,
    ("opportunity", Action.DELETE): OPS,
    # Stage or owner for many at once; each item still passes the opportunity rules.
    ("opportunity_bulk", Action.CHANGE): LEADERS,
    **crud_rules(["quota"], view=READERS, write=LEADERS),
    ("credit", Action.VIEW): READERS,
    ("credit", Action.CHANGE): LEADERS,
    **crud_rules(["comp_plan"], view=LEADERS | {Role.EXECUTIVE}, write=OPS),
    # Everyone sees estimated payouts; a rep only their own (narrowed by the selector).
    ("payout", Action.VIEW): READERS,
    # The companies' core (non-program) win rates behind "cross-sell vs core win rate".
    **crud_rules(["core_win_rate"], view=READERS, write=OPS),
    # Exchange rates to the reporting currency: read by everyone, entered by sales ops.
    ("exchange_rate", Action.VIEW): READERS,
    ("exchange_rate", Action.CREATE): OPS,
    ("exchange_rate", Action.CHANGE): OPS,
    # The deal model's targets: sales ops enters them, the accountable executive owns them.
    **crud_rules(["target"], view=READERS, write=OPS | {Role.EXECUTIVE}),
    ("supervision", Action.VIEW): LEADERS | {Role.EXECUTIVE},
    # Pipeline and quota figures; who sees a team's or a rep's is narrowed by an object rule.
    ("dashboard", Action.VIEW): READERS,
    # The setup checklist and the pages it leads to.
    ("setup", Action.VIEW): OPS,
}

NAV_SECTIONS = (
    NavSection("pipeline", _("Pipeline"), "tracker:pipeline", "opportunity", order=30),
    NavSection("quotas", _("Quotas"), "tracker:quotas", "quota", order=40),
    NavSection("compensation", _("Compensation"), "tracker:compensation", "payout", order=50),
    NavSection("setup", _("Setup"), "tracker:setup", "setup", order=110),
)

LINKS = {
    "setup": "tracker:setup",
    "people": "tracker:people",
    "exchange_rates": "tracker:exchange_rates",
    "new_opportunity": "tracker:opportunity_create",
}


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
    """Whose quotas one may read follows the team hierarchy (tracker.selectors.reach): a
    quota, or a rep's or a team's quota figures (credited won and the deals behind it)."""
    if isinstance(quota, Team):
        return attainment_reach(user=user, merger=quota.merger).team(quota.pk)
    rep = quota if isinstance(quota, Rep) else quota.rep
    return attainment_reach(user=user, merger=rep.merger).rep(rep.pk)


def credit_rule(user: Any, role: Role, opportunity: Any) -> bool:
    # Like quotas: leaders credit their team's deals, never their own.
    if role == Role.LEADER and opportunity.owner.user_id == user.pk:
        return False
    return role != Role.REP and _rep_in_scope(user, role, opportunity.owner)


def register() -> None:
    register_app_access(rules=RULES, nav_sections=NAV_SECTIONS, links=LINKS)
    # CREATE too: a rep logs opportunities they own, a leader for their team.
    for action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        register_object_rule("opportunity", action, opportunity_rule)
        register_object_rule("quota", action, quota_rule)
    register_object_rule("quota", Action.VIEW, quota_view_rule)
    register_object_rule("credit", Action.CHANGE, credit_rule)
