"""What the files are checked against: the program's teams, people and reps."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import Merger, ProgramMembership
from tracker.models import Rep, Team
from tracker.org_csv import RepLine, TeamLine


@dataclass
class OrgWorld:
    """What the files are checked against: the program's teams, people and reps."""

    teams: dict[str, Team]
    users: dict[str, Any]
    members: set[int]
    reps: dict[int, Rep]


def org_world(merger: Merger, teams: list[TeamLine], reps: list[RepLine]) -> OrgWorld:
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
    return OrgWorld(
        teams={team.name.lower(): team for team in Team.objects.filter(merger=merger)},
        users=users,
        members=set(
            ProgramMembership.objects.filter(merger=merger).values_list("user_id", flat=True)
        ),
        reps={rep.user_id: rep for rep in Rep.objects.filter(merger=merger)},
    )


def person_label(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email
