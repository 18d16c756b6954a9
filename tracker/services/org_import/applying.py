"""Writing the checked files through the people and org services, all or nothing."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.history.via import IMPORT, history_via
from accounts.models import LegacyCompany, Merger
from accounts.selectors.people import roles_held
from accounts.services.people import membership_add, person_create, roles_add
from core.access import Role, User
from tracker.models import Team
from tracker.org_csv import RepLine, TeamLine
from tracker.services.org import rep_create, rep_update, team_create, team_update
from tracker.services.org_import.world import OrgWorld


def org_apply(
    actor: User, merger: Merger, teams: list[TeamLine], reps: list[RepLine], world: OrgWorld
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
    if not roles_held(user):
        roles_add(actor=actor, person=user, roles=roles)
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
