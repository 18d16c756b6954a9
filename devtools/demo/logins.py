"""The demo's sign-ins, one per role, for the table the seed command prints."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from devtools.demo.org import CROSS_SELL_LEADER, EXECUTIVE, LEADER, OPS, REP, SELLERS


@dataclass(frozen=True)
class Login:
    username: str
    role: Promise
    can: Promise


LOGINS: tuple[Login, ...] = (
    Login(
        REP.username,
        _("Rep"),
        _("Logs and moves own cross-sell opportunities, sees own quota and whitespace."),
    ),
    Login(
        LEADER.username,
        _("Sales leader"),
        _("Reviews the North America team's pipeline, sets its quotas, assesses segments."),
    ),
    Login(
        CROSS_SELL_LEADER.username,
        _("Cross-sell leader"),
        _("Accountable for the program: targets, six-C scorecard, monthly review."),
    ),
    Login(
        EXECUTIVE.username,
        _("Executive"),
        _("Reads the dashboards and exports scorecards for the board."),
    ),
    Login(
        OPS.username,
        _("Sales ops"),
        _("Imports CRM data; maintains the product map, segments, users, comp plans; admin."),
    ),
)

MORE_PEOPLE = _(
    "%(reps)d more reps (rep.first.last) and the other team leaders (leader.first.last) "
    "sign in with the same password."
)


def more_people_count() -> int:
    return len([p for p in SELLERS if p.username != REP.username])
