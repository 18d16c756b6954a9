"""Every row of both files checked against each other and the program, before any write."""

from django.utils.translation import gettext as _

from tracker.org_csv import RepLine, TeamLine
from tracker.services.org import creates_cycle
from tracker.services.org_import.world import OrgWorld
from tracker.setup_csv import RowError


def team_errors(
    name: str, teams: list[TeamLine], reps: list[RepLine], world: OrgWorld
) -> list[RowError]:
    errors: list[RowError] = []

    def fail(line: TeamLine, column: str, message: str) -> None:
        errors.append(RowError(name, line.row, column, message))

    in_file = {line.name.lower() for line in teams}
    rep_emails = {line.email.lower() for line in reps}
    for line in teams:
        parent = line.reports_to.lower()
        if parent and parent not in in_file and parent not in world.teams:
            fail(
                line,
                "reports_to",
                _("No team '%(team)s' in the file or the program.")
                % {"team": line.reports_to[:80]},
            )
        leader = line.leader.lower()
        known = world.users.get(leader)
        if known is not None and not known.is_active:
            fail(
                line,
                "leader",
                _("%(leader)s's login is switched off; switch it on first.")
                % {"leader": line.leader[:80]},
            )
        if leader and known is None and leader not in rep_emails and "@" not in leader:
            fail(
                line,
                "leader",
                _("Nobody has the login '%(leader)s'; give the leader's e-mail to invite them.")
                % {"leader": line.leader[:80]},
            )
    errors += _cycle_errors(name, teams, world)
    return errors


def _cycle_errors(name: str, teams: list[TeamLine], world: OrgWorld) -> list[RowError]:
    """A team that would end up above itself, by the file and the program's other teams."""
    ids = {
        key: index
        for index, key in enumerate(sorted(set(world.teams) | {t.name.lower() for t in teams}))
    }
    parent_of: dict[int, int | None] = {
        ids[key]: (
            ids[team.parent.name.lower()]
            if team.parent is not None and team.parent.name.lower() in ids
            else None
        )
        for key, team in world.teams.items()
    }
    for line in teams:
        parent_of[ids[line.name.lower()]] = (
            ids.get(line.reports_to.lower()) if line.reports_to else None
        )
    errors = []
    for line in teams:
        me = ids[line.name.lower()]
        if creates_cycle({k: v for k, v in parent_of.items() if k != me}, me, parent_of[me]):
            errors.append(
                RowError(
                    name,
                    line.row,
                    "reports_to",
                    _("%(team)s would end up reporting to itself.") % {"team": line.name},
                )
            )
    return errors


def rep_errors(
    name: str, teams: list[TeamLine], reps: list[RepLine], world: OrgWorld
) -> list[RowError]:
    errors: list[RowError] = []

    def fail(line: RepLine, column: str, message: str) -> None:
        errors.append(RowError(name, line.row, column, message))

    in_file = {line.name.lower() for line in teams}
    usernames: dict[str, int] = {}
    for line in reps:
        team = line.team.lower()
        if team and team not in in_file and team not in world.teams:
            fail(
                line,
                "team",
                _("No team '%(team)s' in the teams file or the program.")
                % {"team": line.team[:80]},
            )
        user = world.users.get(line.email.lower())
        if user is None:
            username = (line.username or line.email).lower()
            taken = world.users.get(username)
            first = usernames.setdefault(username, line.row)
            if (
                taken is not None and taken.email.lower() != line.email.lower()
            ) or first != line.row:
                fail(
                    line,
                    "username",
                    _("The username '%(username)s' is taken by someone else.")
                    % {"username": (line.username or line.email)[:80]},
                )
        elif user.is_superuser or not user.is_active:
            fail(
                line,
                "email",
                _("%(email)s is an administrator's or a switched-off login; add them by hand.")
                % {"email": line.email[:80]},
            )
    return errors
