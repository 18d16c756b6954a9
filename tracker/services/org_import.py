"""Importing the sales organisation: a teams file and a reps file, together, all or nothing.

Teams are matched to the program's by name, people to logins by e-mail (or
username). New people get a login with the rep or sales-leader role and no
password (they set theirs through their link on the People page). Every row
is checked before anything is written: one wrong row, and nothing is.
A dry run returns the same plan without writing.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.history.via import IMPORT, history_via
from accounts.models import LegacyCompany, Merger, ProgramMembership
from accounts.selectors.people import ROLE_OF_GROUP
from accounts.services.people import membership_add, person_create, roles_add
from core.access import Action, Role, User, allowed
from core.programs import merger_ids_for
from tracker.core_win_rate_csv import RowError
from tracker.models import Rep, Team
from tracker.org_csv import RepLine, TeamLine, read_reps, read_teams
from tracker.services.core_win_rates import company_keys
from tracker.services.org import creates_cycle, rep_create, rep_update, team_create, team_update


@dataclass
class OrgPlan:
    new_people: list[tuple[str, str, str]] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    changed_teams: list[str] = field(default_factory=list)
    new_reps: list[str] = field(default_factory=list)
    changed_reps: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changes(self) -> int:
        return sum(
            map(
                len,
                (
                    self.new_people,
                    self.new_teams,
                    self.changed_teams,
                    self.new_reps,
                    self.changed_reps,
                ),
            )
        )


@dataclass
class OrgImportResult:
    files: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    plan: OrgPlan = field(default_factory=OrgPlan)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _World:
    """What the files are checked against: the program's teams, people and reps."""

    teams: dict[str, Team]
    users: dict[str, Any]
    members: set[int]
    reps: dict[int, Rep]


def _check(actor: User, merger: Merger) -> None:
    granted = all(allowed(actor, Action.CREATE, resource) for resource in ("team", "rep", "user"))
    if merger.pk not in merger_ids_for(actor) or not granted:
        raise PermissionDenied(_("Only sales ops imports the sales organisation."))


def org_import(
    *,
    actor: User,
    merger: Merger,
    teams_file: BinaryIO | None = None,
    reps_file: BinaryIO | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> OrgImportResult:
    _check(actor, merger)
    result = OrgImportResult(dry_run=dry_run)
    teams: list[TeamLine] = []
    reps: list[RepLine] = []
    sheets = []
    if teams_file is not None:
        sheet, teams = read_teams(data=teams_file, name=_name(teams_file, "teams.csv"))
        sheets.append(sheet)
    if reps_file is not None:
        sheet, reps = read_reps(
            data=reps_file,
            name=_name(reps_file, "reps.csv"),
            companies=company_keys(merger=merger),
            today=today or timezone.localdate(),
        )
        sheets.append(sheet)
    result.files = [sheet.name for sheet in sheets]
    for sheet in sheets:
        result.errors += [RowError(sheet.name, 0, "", message) for message in sheet.file_errors]
        result.errors += sheet.errors
    if not result.ok:
        return result
    teams_name = result.files[0] if teams_file is not None else ""
    reps_name = result.files[-1] if reps_file is not None else ""
    with transaction.atomic():
        world = _world(merger, teams, reps)
        result.errors = _team_errors(teams_name, teams, reps, world) + _rep_errors(
            reps_name, teams, reps, world
        )
        if not result.ok:
            return result
        result.plan = _plan(teams, reps, world)
        if not dry_run:
            _apply(actor, merger, teams, reps, world)
    return result


def _name(file: Any, default: str) -> str:
    return getattr(file, "name", "") or default


def _world(merger: Merger, teams: list[TeamLine], reps: list[RepLine]) -> _World:
    keys = {line.email.lower() for line in reps} | {line.username.lower() for line in reps}
    keys |= {line.leader.lower() for line in teams}
    keys.discard("")
    users: dict[str, Any] = {}
    found = (
        get_user_model()
        .objects.annotate(email_key=Lower("email"), username_key=Lower("username"))
        .filter(Q(email_key__in=keys) | Q(username_key__in=keys))
        .prefetch_related("groups")
        .order_by("pk")
    )
    for user in found:
        users.setdefault(user.email_key, user)
        users.setdefault(user.username_key, user)
    return _World(
        teams={team.name.lower(): team for team in Team.objects.filter(merger=merger)},
        users=users,
        members=set(
            ProgramMembership.objects.filter(merger=merger).values_list("user_id", flat=True)
        ),
        reps={rep.user_id: rep for rep in Rep.objects.filter(merger=merger)},
    )


def _team_errors(
    name: str, teams: list[TeamLine], reps: list[RepLine], world: _World
) -> list[RowError]:
    errors: list[RowError] = []
    in_file = {line.name.lower() for line in teams}
    rep_emails = {line.email.lower() for line in reps}
    for line in teams:
        parent = line.reports_to.lower()
        if parent and parent not in in_file and parent not in world.teams:
            errors.append(
                RowError(
                    name,
                    line.row,
                    "reports_to",
                    _("No team '%(team)s' in the file or the program.")
                    % {"team": line.reports_to[:80]},
                )
            )
        leader = line.leader.lower()
        known = world.users.get(leader)
        if known is not None and not known.is_active:
            errors.append(
                RowError(
                    name,
                    line.row,
                    "leader",
                    _("%(leader)s's login is switched off; switch it on first.")
                    % {"leader": line.leader[:80]},
                )
            )
        if leader and known is None and leader not in rep_emails and "@" not in leader:
            errors.append(
                RowError(
                    name,
                    line.row,
                    "leader",
                    _(
                        "Nobody has the login '%(leader)s'; "
                        "give the leader's e-mail to invite them."
                    )
                    % {"leader": line.leader[:80]},
                )
            )
    errors += _cycle_errors(name, teams, world)
    return errors


def _cycle_errors(name: str, teams: list[TeamLine], world: _World) -> list[RowError]:
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


def _rep_errors(
    name: str, teams: list[TeamLine], reps: list[RepLine], world: _World
) -> list[RowError]:
    errors: list[RowError] = []
    in_file = {line.name.lower() for line in teams}
    usernames: dict[str, int] = {}
    for line in reps:
        team = line.team.lower()
        if team and team not in in_file and team not in world.teams:
            errors.append(
                RowError(
                    name,
                    line.row,
                    "team",
                    _("No team '%(team)s' in the teams file or the program.")
                    % {"team": line.team[:80]},
                )
            )
        user = world.users.get(line.email.lower())
        if user is None:
            username = (line.username or line.email).lower()
            taken = world.users.get(username)
            first = usernames.setdefault(username, line.row)
            if (
                taken is not None and taken.email.lower() != line.email.lower()
            ) or first != line.row:
                errors.append(
                    RowError(
                        name,
                        line.row,
                        "username",
                        _("The username '%(username)s' is taken by someone else.")
                        % {"username": (line.username or line.email)[:80]},
                    )
                )
        elif user.is_superuser or not user.is_active:
            errors.append(
                RowError(
                    name,
                    line.row,
                    "email",
                    _("%(email)s is an administrator's or a switched-off login; add them by hand.")
                    % {"email": line.email[:80]},
                )
            )
    return errors


def _person_label(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def _rep_changes(rep: Rep, line: RepLine, team_id: int | None) -> bool:
    return (
        rep.company_id != line.company_id
        or rep.team_id != team_id
        or rep.motion != line.motion
        or rep.start_date != line.start_date
        or rep.typical_core_deal != line.typical_core_deal
        or not rep.is_active
    )


def _plan(teams: list[TeamLine], reps: list[RepLine], world: _World) -> OrgPlan:
    plan = OrgPlan()
    rep_emails = {line.email.lower() for line in reps}
    for line in reps:
        user = world.users.get(line.email.lower())
        label = _person_label(line.first_name, line.last_name, line.email)
        if user is None:
            plan.new_people.append((line.email, label, str(_("Rep"))))
            plan.new_reps.append(label)
            continue
        rep = world.reps.get(user.pk)
        team = world.teams.get(line.team.lower()) if line.team else None
        new_team = bool(line.team) and team is None
        if rep is None:
            plan.new_reps.append(label)
        elif new_team or _rep_changes(rep, line, getattr(team, "pk", None)):
            plan.changed_reps.append(label)
        else:
            plan.unchanged += 1
    for line in teams:
        leader = line.leader.lower()
        if leader and leader not in world.users and leader not in rep_emails:
            label = _person_label(line.leader_first_name, line.leader_last_name, line.leader)
            plan.new_people.append((line.leader, label, str(_("Sales leader"))))
        team = world.teams.get(line.name.lower())
        if team is None:
            plan.new_teams.append(line.name)
        elif _team_changes(team, line, world):
            plan.changed_teams.append(line.name)
        else:
            plan.unchanged += 1
    return plan


def _team_changes(team: Team, line: TeamLine, world: _World) -> bool:
    parent = world.teams.get(line.reports_to.lower()) if line.reports_to else None
    leader = world.users.get(line.leader.lower()) if line.leader else None
    return bool(
        (line.reports_to and parent is None)
        or team.parent_id != getattr(parent, "pk", None)
        or (line.leader and (leader is None or team.leader_id != leader.pk))
        or (line.region and team.region != line.region)
    )


def _apply(
    actor: User, merger: Merger, teams: list[TeamLine], reps: list[RepLine], world: _World
) -> None:
    try:
        with history_via(IMPORT):
            people = _people_apply(actor, merger, teams, reps, world)
            by_name = _teams_apply(actor, merger, teams, people, world)
            _reps_apply(actor, merger, reps, people, by_name, world)
    except ValidationError as error:
        # The checks above should have caught it; say so rather than half-import.
        raise ValidationError(
            _("The import stopped and nothing was saved: %(problem)s")
            % {"problem": " ".join(error.messages)}
        ) from error


def _people_apply(actor, merger, teams, reps, world) -> dict[str, Any]:
    """Every person the files name, created or added to the program, by lower-cased key."""
    people = dict(world.users)
    leaders = {line.leader.lower() for line in teams if line.leader}
    for line in reps:
        key = line.email.lower()
        roles = [Role.REP, Role.LEADER] if key in leaders else [Role.REP]
        people[key] = _person_ensure(
            actor,
            merger,
            people.get(key),
            roles,
            line.email,
            line.first_name,
            line.last_name,
            line.username,
        )
    for line in teams:
        key = line.leader.lower()
        if key and key not in {r.email.lower() for r in reps}:
            people[key] = _person_ensure(
                actor,
                merger,
                people.get(key),
                [Role.LEADER],
                line.leader,
                line.leader_first_name,
                line.leader_last_name,
                "",
            )
    return people


def _person_ensure(actor, merger, user, roles, email, first, last, username):
    if user is None:
        return person_create(
            actor=actor,
            merger=merger,
            email=email,
            first_name=first,
            last_name=last,
            roles=roles,
            username=username,
        )
    membership_add(actor=actor, merger=merger, person=user)
    has_role = any(group.name in ROLE_OF_GROUP for group in user.groups.all())
    if not has_role:
        roles_add(person=user, roles=roles)
    return user


def _teams_apply(actor, merger, teams, people, world) -> dict[str, Team]:
    by_name = dict(world.teams)
    for line in teams:
        key = line.name.lower()
        leader = people.get(line.leader.lower()) if line.leader else None
        fields = {"region": line.region} if line.region else {}
        if leader is not None:
            fields["leader"] = leader
        if key in by_name:
            by_name[key] = team_update(actor=actor, team=by_name[key], **fields)
        else:
            by_name[key] = team_create(actor=actor, merger=merger, name=line.name, **fields)
    # Parents last, once every team of the file exists.
    for line in teams:
        team = by_name[line.name.lower()]
        parent = by_name.get(line.reports_to.lower()) if line.reports_to else None
        if team.parent_id != getattr(parent, "pk", None):
            team_update(actor=actor, team=team, parent=parent)
    return by_name


def _reps_apply(actor, merger, reps, people, by_name, world) -> None:
    companies = {company.pk: company for company in LegacyCompany.objects.filter(merger=merger)}
    for line in reps:
        user = people[line.email.lower()]
        fields = {
            "team": by_name.get(line.team.lower()) if line.team else None,
            "company": companies[line.company_id],
            "motion": line.motion,
            "start_date": line.start_date,
            "typical_core_deal": line.typical_core_deal,
            "is_active": True,
        }
        rep = world.reps.get(user.pk)
        if rep is None:
            rep_create(actor=actor, merger=merger, user=user, **fields)
        else:
            rep_update(actor=actor, rep=rep, **fields)
