"""The supervision page's view of the flags: per rep with names and teams, and per team."""

from dataclasses import dataclass, field

from accounts.models import Merger
from tracker.models import Rep
from tracker.selectors.supervision import RepFlags, supervision_flags


@dataclass(frozen=True)
class RepRow:
    rep_id: int
    name: str
    team_id: int | None
    team_name: str
    flags: RepFlags


@dataclass
class TeamRow:
    team_id: int | None
    name: str
    reps_flagged: int = 0
    bursts: int = 0
    thin_need_wins: int = 0
    reopened: int = 0
    dont_sell: int = 0

    @property
    def total(self) -> int:
        return self.bursts + self.thin_need_wins + self.reopened + self.dont_sell


@dataclass(frozen=True)
class SupervisionOverview:
    reps: list[RepRow]
    teams: list[TeamRow] = field(default_factory=list)


def supervision_overview(
    *, merger: Merger, owner_ids: tuple[int, ...] | None
) -> SupervisionOverview:
    """Flagged reps (most flags first) and their teams' totals: five queries in all."""
    flags = [
        item
        for item in supervision_flags(
            merger_id=merger.pk, owner_ids=list(owner_ids) if owner_ids is not None else None
        )
        if item.total
    ]
    reps = {
        rep.pk: rep
        for rep in Rep.objects.filter(pk__in=[item.rep_id for item in flags]).select_related(
            "user", "team"
        )
    }
    rows = [
        RepRow(
            rep_id=item.rep_id,
            name=str(reps[item.rep_id]),
            team_id=reps[item.rep_id].team_id,
            team_name=reps[item.rep_id].team.name if reps[item.rep_id].team else "",
            flags=item,
        )
        for item in flags
        if item.rep_id in reps
    ]
    teams: dict[int | None, TeamRow] = {}
    for row in rows:
        team = teams.setdefault(row.team_id, TeamRow(team_id=row.team_id, name=row.team_name))
        team.reps_flagged += 1
        team.bursts += len(row.flags.bursts)
        team.thin_need_wins += len(row.flags.thin_need_wins)
        team.reopened += len(row.flags.reopened)
        team.dont_sell += len(row.flags.dont_sell)
    return SupervisionOverview(
        reps=rows,
        teams=sorted(teams.values(), key=lambda team: (-team.total, team.name)),
    )
