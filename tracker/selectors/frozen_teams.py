"""The team tree a closed month was frozen with (tracker.models.SnapshotTeam).

A team's frozen lines take in the teams below it as they reported at the freeze, so the
month's lists of a team (its open deals, its wins, its credited deals) take in the same
teams, whatever was moved since. A month frozen before it kept its tree has only
today's: its lists take in the teams below the team now, as they always did.
"""

from collections.abc import Collection

from tracker.models import MonthlySnapshot, SnapshotTeam, Team
from tracker.team_tree import subtree_ids

type Tree = dict[int, int | None]


def team_trees_of(*, snapshots: Collection[MonthlySnapshot]) -> dict[int, Tree]:
    """Each snapshot's team tree by its id, {team: the team it reported to}: the one it
    kept, or its program's today for a snapshot that kept none. Two queries at most,
    whatever the number of months."""
    trees: dict[int, Tree] = {}
    rows = SnapshotTeam.objects.filter(snapshot__in=[s.pk for s in snapshots]).order_by()
    for snapshot_id, team_id, parent_id in rows.values_list("snapshot_id", "team_id", "parent_id"):
        trees.setdefault(snapshot_id, {})[team_id] = parent_id
    if missing := {s.merger_id for s in snapshots if s.pk not in trees}:
        today: dict[int, Tree] = {}
        teams = Team.objects.filter(merger_id__in=missing).order_by()
        for merger_id, team_id, parent_id in teams.values_list("merger_id", "id", "parent_id"):
            today.setdefault(merger_id, {})[team_id] = parent_id
        for snapshot in snapshots:
            if snapshot.pk not in trees:
                trees[snapshot.pk] = today.get(snapshot.merger_id, {})
    return trees


def kept_team_subtree_ids(*, snapshot: MonthlySnapshot, team_id: int) -> list[int]:
    """The team and the teams below it in the snapshot's tree (team_trees_of): the teams
    whose reps' deals and shares its frozen line added up."""
    tree = team_trees_of(snapshots=[snapshot])[snapshot.pk]
    return sorted(subtree_ids(tree, [team_id]))
