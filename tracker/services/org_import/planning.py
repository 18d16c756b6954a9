"""What an import would change: new and changed people, teams and reps."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tracker.models import Rep, Team
from tracker.org_csv import RepLine, TeamLine
from tracker.services.org_import.world import OrgWorld, person_label


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


def _rep_changes(rep: Rep, line: RepLine, team_id: int | None) -> bool:
    return (
        rep.company_id != line.company_id
        or rep.team_id != team_id
        or rep.motion != line.motion
        or rep.start_date != line.start_date
        or rep.typical_core_deal != line.typical_core_deal
        or not rep.is_active
    )


def org_plan(teams: list[TeamLine], reps: list[RepLine], world: OrgWorld) -> OrgPlan:
    plan = OrgPlan()
    rep_emails = {line.email.lower() for line in reps}
    for line in reps:
        user = world.users.get(line.email.lower())
        label = person_label(line.first_name, line.last_name, line.email)
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
            label = person_label(line.leader_first_name, line.leader_last_name, line.leader)
            plan.new_people.append((line.leader, label, str(_("Sales leader"))))
        team = world.teams.get(line.name.lower())
        if team is None:
            plan.new_teams.append(line.name)
        elif _team_changes(team, line, world):
            plan.changed_teams.append(line.name)
        else:
            plan.unchanged += 1
    return plan


def _team_changes(team: Team, line: TeamLine, world: OrgWorld) -> bool:
    parent = world.teams.get(line.reports_to.lower()) if line.reports_to else None
    leader = world.users.get(line.leader.lower()) if line.leader else None
    return bool(
        (line.reports_to and parent is None)
        or team.parent_id != getattr(parent, "pk", None)
        or (line.leader and (leader is None or team.leader_id != leader.pk))
        or (line.region and team.region != line.region)
    )
