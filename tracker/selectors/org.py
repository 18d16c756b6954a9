"""Reads of the sales organisation for the setup pages: teams as a tree, reps, certifications."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Merger
from tracker.models import Certification, Rep, Stage, Team


@dataclass(frozen=True)
class TeamLine:
    team: Team
    depth: int
    rep_count: int


def team_tree(*, merger: Merger) -> list[TeamLine]:
    """Every team of the program, each followed by the teams below it, by name. Two queries."""
    teams = list(
        Team.objects.filter(merger=merger)
        .select_related("leader", "parent")
        .annotate(rep_count=Count("reps"))
        .order_by("name")
    )
    children: dict[int | None, list[Team]] = defaultdict(list)
    known = {team.pk for team in teams}
    for team in teams:
        # A parent of another program cannot be; treat it as a root rather than lose the team.
        children[team.parent_id if team.parent_id in known else None].append(team)
    lines: list[TeamLine] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for team in children[parent]:
            if team.pk in seen:
                continue
            seen.add(team.pk)
            lines.append(TeamLine(team, depth, team.rep_count))
            walk(team.pk, depth + 1)

    walk(None, 0)
    # Teams in a cycle (bad data from before the checks) still show, at the top.
    lines += [TeamLine(team, 0, team.rep_count) for team in teams if team.pk not in seen]
    return lines


def reps_of(*, merger: Merger) -> QuerySet[Rep]:
    # Counted per rep in a subquery, not by joining and grouping every certification:
    # the page shows a slice of the reps, and PostgreSQL then counts only that slice's.
    certifications = (
        Certification.objects.filter(rep=OuterRef("pk"))
        .order_by()
        .values("rep")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Rep.objects.filter(merger=merger)
        .select_related("user", "team", "company")
        .annotate(certification_count=Coalesce(Subquery(certifications), Value(0)))
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def reps_by_user(*, merger: Merger) -> dict[int, Rep]:
    """The program's rep record of each person who sells, by user id."""
    reps = Rep.objects.filter(merger=merger).select_related("team", "company")
    return {rep.user_id: rep for rep in reps}


def led_teams_by_user(*, merger: Merger) -> dict[int, list[str]]:
    led: dict[int, list[str]] = defaultdict(list)
    for leader_id, name in (
        Team.objects.filter(merger=merger, leader__isnull=False)
        .order_by("name")
        .values_list("leader_id", "name")
    ):
        led[leader_id].append(name)
    return dict(led)


def certifications_of(*, merger: Merger) -> QuerySet[Certification]:
    return (
        Certification.objects.filter(rep__merger=merger)
        .select_related("rep__user", "product__company")
        .order_by("rep__user__last_name", "rep__user__first_name", "rep_id", "product__name")
    )


@dataclass(frozen=True)
class RepCertifications:
    rep: Rep
    certifications: list[Certification]


def certifications_by_rep(*, merger: Merger) -> list[RepCertifications]:
    """Each certified rep with their certifications, by name: one query."""
    grouped: dict[int, RepCertifications] = {}
    for certification in certifications_of(merger=merger):
        entry = grouped.setdefault(certification.rep_id, RepCertifications(certification.rep, []))
        entry.certifications.append(certification)
    return list(grouped.values())


def stages_of(*, merger: Merger) -> QuerySet[Stage]:
    """The program's stages in order, each with how many opportunities are in it."""
    return (
        Stage.objects.filter(merger=merger)
        .annotate(opportunity_count=Count("opportunities"))
        .order_by("order")
    )
