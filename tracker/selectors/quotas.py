"""Reads of quotas: the quota board of a period, the editable grid, history.

The board runs a fixed number of queries whatever the number of teams, reps
and deals: quotas, credited wins and open pipeline are each one grouped query, a
closed month's quotas and credited wins its snapshot's lines
(tracker.selectors.period_figures).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Merger
from accounts.selectors.history import FieldLine, changes_of, history_lines
from core.access import Role, User, roles_of
from core.programs import merger_ids_for
from tracker.models import Quota, Rep, Team
from tracker.pipeline_math import ZERO
from tracker.quota_math import Period, QuotaFigures, quota_rollup, tree_order
from tracker.selectors.frozen_quotas import FrozenMonths
from tracker.selectors.metrics import closing_pipeline
from tracker.selectors.period_figures import RepFigures, period_figures
from tracker.selectors.reach import led_team_ids, visible_reps_q


@dataclass
class RepLine:
    rep: Rep
    figures: QuotaFigures
    # The quota of exactly this period, if set (the grid edits it with its version).
    quota: Quota | None = None
    # A quota of the other period kind that covers this period instead.
    covered_by: Period | None = None
    editable: bool = False


@dataclass
class TeamLine:
    team: Team
    depth: int
    figures: QuotaFigures
    reps: list[RepLine] = field(default_factory=list)


@dataclass
class QuotaBoard:
    period: Period
    teams: list[TeamLine]
    unassigned: list[RepLine]
    total: QuotaFigures
    # The period's closed months, their quotas and credited won as their snapshots froze
    # them, and its other months, read live (a quarter may mix both).
    frozen: FrozenMonths = field(default_factory=FrozenMonths)
    live_months: tuple[date, ...] = ()

    @property
    def editable_lines(self) -> list[RepLine]:
        lines = [line for team in self.teams for line in team.reps] + self.unassigned
        # A rep whose quota is set for the other kind of period keeps it; the grid skips them.
        return [line for line in lines if line.editable and line.covered_by is None]

    @property
    def lines_set_elsewhere(self) -> list[RepLine]:
        """Reps the editor may set a quota for, set for the other kind of period instead."""
        lines = [line for team in self.teams for line in team.reps] + self.unassigned
        return [line for line in lines if line.editable and line.covered_by is not None]


def quota_board(
    *,
    merger: Merger,
    period: Period,
    editor: User | None = None,
    team_ids: Collection[int] | None = None,
    rep_ids: Collection[int] | None = None,
) -> QuotaBoard:
    """Quota, credited cross-sell won, attainment and coverage per rep and per team.

    Coverage counts the pipeline due in the rest of the period (tracker.figures.closing_q),
    as the dashboard and the pipeline metrics do; an ended period has none.

    With `team_ids`, only those teams and their reps: a leader's part of a large
    sales org, with totals for that part. With `rep_ids` too, those reps as
    well (a leader's own line, a rep's own quota).
    """
    reps = Rep.objects.filter(merger=merger)
    teams_of_program = Team.objects.filter(merger=merger)
    if team_ids is not None:
        teams_of_program = teams_of_program.filter(pk__in=team_ids)
        in_teams = Q(team_id__in=team_ids)
        reps = reps.filter(in_teams | Q(pk__in=rep_ids) if rep_ids is not None else in_teams)
    elif rep_ids is not None:
        reps = reps.filter(pk__in=rep_ids)
    reps = list(
        reps.select_related("user", "team").order_by(
            "user__last_name", "user__first_name", "user__username", "pk"
        )
    )
    teams = {team.pk: team for team in teams_of_program.select_related("leader")}
    # Closed months as frozen, the others live (a quarter may mix both).
    months = period_figures(merger=merger, first=period.start, last_month=period.last_month)
    pipeline = closing_pipeline(
        merger=merger, first=period.start, last=period.end, today=timezone.localdate()
    )
    # An ended period has no pipeline left to cover its quota with (no coverage).
    no_pipeline = None if pipeline is None else ZERO
    exact, covering = _period_quotas(merger, period)
    editable = editable_rep_ids(user=editor, merger=merger) if editor is not None else set()
    lines: dict[int | None, list[RepLine]] = {}
    # Each team's reps' live months: teams add up their reps' live figures, and their
    # own frozen lines for the closed months, whoever has changed team since.
    live_own: dict[int, QuotaFigures] = {}
    for rep in reps:
        live = _quota_figures(
            months.live_of(rep.pk),
            open_pipeline=no_pipeline if pipeline is None else pipeline.get(rep.pk, ZERO),
            reps=1,
        )
        figures = live + _quota_figures(months.frozen_of(rep.pk))
        if not rep.is_active and figures == QuotaFigures(open_pipeline=no_pipeline, reps=1):
            continue
        line = RepLine(
            rep=rep,
            figures=figures,
            quota=exact.get(rep.pk),
            covered_by=covering.get(rep.pk),
            editable=rep.pk in editable,
        )
        team_id = rep.team_id if rep.team_id in teams else None
        lines.setdefault(team_id, []).append(line)
        if team_id is not None:
            live_own[team_id] = live_own.get(team_id, QuotaFigures()) + live
    parent_of = {pk: team.parent_id for pk, team in teams.items()}
    rolled = quota_rollup(live_own, parent_of)
    rolled = {
        pk: rolled.get(pk, QuotaFigures(open_pipeline=no_pipeline))
        + _quota_figures(months.frozen_team(pk))
        for pk in teams
    }
    order = tree_order(parent_of, {pk: team.name for pk, team in teams.items()})
    team_lines = [
        TeamLine(team=teams[pk], depth=depth, figures=rolled[pk], reps=lines.get(pk, []))
        for pk, depth in order
    ]
    every = [line.figures for team_lines_ in lines.values() for line in team_lines_]
    return QuotaBoard(
        period=period,
        teams=team_lines,
        unassigned=lines.get(None, []),
        total=sum(every, QuotaFigures(open_pipeline=no_pipeline)),
        frozen=months.frozen,
        live_months=months.live_months,
    )


def _quota_figures(
    figures: RepFigures, *, open_pipeline: Decimal | None = ZERO, reps: int = 0
) -> QuotaFigures:
    return QuotaFigures(
        core_quota=figures.core_quota,
        cross_sell_quota=figures.cross_sell_quota,
        credited_won=figures.credited_won,
        open_pipeline=open_pipeline,
        reps=reps,
    )


def quota_board_teams(*, user: User, merger: Merger) -> frozenset[int]:
    """The teams a leader leads in the program, with every team below them; none for others."""
    led = led_team_ids(user)
    if not led:
        return frozenset()
    return frozenset(Team.objects.filter(merger=merger, pk__in=led).values_list("id", flat=True))


def _period_quotas(merger: Merger, period: Period) -> tuple[dict[int, Quota], dict[int, Period]]:
    exact: dict[int, Quota] = {}
    covering: dict[int, Period] = {}
    quotas = Quota.objects.filter(rep__merger=merger).sharing_months(
        period.start, period.last_month
    )
    for quota in quotas:
        other = Period(quota.period_start, quota.period_kind)
        if other == period:
            exact[quota.rep_id] = quota
        elif other.overlaps(period):
            covering[quota.rep_id] = other
    return exact, covering


def editable_rep_ids(*, user: User, merger: Merger) -> set[int]:
    """Reps whose quotas the user may set: ops all, a leader their teams' but not their own."""
    if merger.pk not in merger_ids_for(user):
        return set()
    roles = roles_of(user)
    reps = Rep.objects.filter(merger=merger, is_active=True)
    if Role.OPS in roles:
        return set(reps.values_list("id", flat=True))
    if Role.LEADER in roles:
        team_ids = led_team_ids(user)
        return set(
            reps.filter(team_id__in=team_ids).exclude(user=user).values_list("id", flat=True)
        )
    return set()


def quotas_visible_to(*, user: User) -> QuerySet[Quota]:
    """The quotas the team hierarchy shows the user (tracker.selectors.reach)."""
    return Quota.objects.filter(visible_reps_q(user=user, prefix="rep__")).select_related(
        "rep__user", "rep__team"
    )


def quotas_of_programs(*, user: User) -> QuerySet[Quota]:
    """Every quota of the user's programs: what an object rule then decides on."""
    return Quota.objects.filter(rep__merger_id__in=merger_ids_for(user)).select_related(
        "rep__user", "rep__team", "rep__merger"
    )


def quota_history(*, quota: Quota) -> list[FieldLine]:
    """The quota's changes field by field, newest first."""
    return history_lines(changes_of(Quota, object_ids=[quota.pk]).select_related("actor"))
