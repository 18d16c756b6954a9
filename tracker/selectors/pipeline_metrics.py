"""Pipeline figures by rep, team, segment, direction or month, with labels and quota.

Coverage and attainment compare the cross-company pipeline due in the rest of the
month and credited cross-sell wins with the cross-sell quota, for slices that carry
a quota (rep, team, program) when a month is given. A closed month's quota, credit,
open pipeline at its end, wins and losses are its snapshot's, as its dashboard shows
them. A fixed number of grouped queries per call.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import Direction, Kind, Merger, Segment
from tracker.models import Rep, SnapshotLine, Team
from tracker.pipeline_math import ZERO, PipelineFigures, month_end
from tracker.quota_math import QuotaFigures, quota_rollup
from tracker.selectors.frozen_quotas import (
    frozen_figures,
    frozen_open_by_month,
    frozen_quotas,
)
from tracker.selectors.metrics import (
    Dimension,
    PipelineFilter,
    closing_pipeline,
    credited_won,
    pipeline_figures,
    quota_totals,
    team_pipeline_rollup,
)

WITH_QUOTA = (Dimension.REP, Dimension.TEAM, Dimension.PROGRAM)
ALL_KINDS = frozenset((Kind.CROSS_SELL, Kind.UPSELL))
# The snapshot lines that hold a slice's frozen figures; a month's rows are the program's.
_SCOPES = {
    Dimension.REP: SnapshotLine.Scope.REP,
    Dimension.TEAM: SnapshotLine.Scope.TEAM,
    Dimension.SEGMENT: SnapshotLine.Scope.SEGMENT,
    Dimension.DIRECTION: SnapshotLine.Scope.DIRECTION,
    Dimension.PROGRAM: SnapshotLine.Scope.PROGRAM,
    Dimension.MONTH: SnapshotLine.Scope.PROGRAM,
}


@dataclass(frozen=True)
class MetricsRow:
    key: str
    label: str
    figures: PipelineFigures
    cross_sell_quota: Decimal | None = None
    coverage: Decimal | None = None
    attainment: Decimal | None = None


def pipeline_metrics(
    *,
    merger: Merger,
    by: Dimension,
    month: date | None = None,
    kinds: tuple[str, ...] = (Kind.CROSS_SELL, Kind.UPSELL),
    today: date | None = None,
) -> list[MetricsRow]:
    """Open pipeline now; wins and losses closed in `month` (all time without one). A
    frozen month's are its snapshot's: its open pipeline is that of its end.

    Team rows include every team below them in the hierarchy.
    """
    period: dict[str, Any] = {"today": today}
    if month is not None:
        first = month.replace(day=1)
        period |= {
            "closed_from": first,
            "closed_to": month_end(first),
        }
    figures = pipeline_figures(merger=merger, by=by, where=PipelineFilter(kinds=kinds), **period)
    if by == Dimension.TEAM:
        rolled = team_pipeline_rollup(merger=merger, figures_by_team=figures)
        figures = {**_no_team(figures), **rolled}
    if figures_frozen_for(month=month, kinds=kinds):
        figures = _with_frozen(merger, by, period["closed_from"], figures)
    quotas = _quota_figures(merger, by, period) if month is not None and by in WITH_QUOTA else {}
    labels = _labels(merger, by, figures.keys())
    rows = []
    for key, values in figures.items():
        quota = quotas.get(key)
        rows.append(
            MetricsRow(
                key="" if key is None else str(key),
                label=labels.get(key, "" if key is None else str(key)),
                figures=values,
                cross_sell_quota=quota.cross_sell_quota if quota else None,
                coverage=quota.coverage if quota else None,
                attainment=quota.attainment if quota else None,
            )
        )
    return sorted(rows, key=lambda row: (row.key == "", row.label.lower(), row.key))


def figures_frozen_for(*, month: date | None, kinds: tuple[str, ...]) -> bool:
    """Whether pipeline_metrics reads a frozen month's open, won and lost figures from its
    snapshot: its lines hold both kinds together, so a kind's own figures stay live."""
    return month is not None and set(kinds) == ALL_KINDS


# The row figures a frozen month's snapshot gives (with those worked out from them alone);
# its sales cycle, and the velocity drawn from it, are those of the deals won now.
FROZEN_FIGURES = (
    "open_count",
    "open_amount",
    "weighted_amount",
    "stale_count",
    "won_count",
    "won_amount",
    "lost_count",
    "win_rate",
    "average_deal",
)


def _with_frozen(
    merger: Merger, by: Dimension, first: date, figures: dict[Any, PipelineFigures]
) -> dict[Any, PipelineFigures]:
    """A closed month's figures as its snapshot froze them, the figures its dashboard
    shows: its deals open at its end, and won and lost in it. A deal edited, reassigned,
    reopened or entered since is a restatement of the month of the change."""
    frozen = frozen_figures(merger=merger, month=first, scope=_SCOPES[by])
    if frozen is None:
        return figures
    if by == Dimension.MONTH:
        return _frozen_months(merger, first, figures, frozen.get("", PipelineFigures()))
    keys = {key: _line_key(by, key) for key in figures}
    keys |= {_live_key(by, key): key for key, line in frozen.items() if _holds(line)}
    merged = dict(figures)
    for key, line_key in keys.items():
        if key is None and by == Dimension.TEAM:
            continue  # deals of reps without a team: no snapshot line keeps them apart
        line = frozen.get(line_key, PipelineFigures())
        merged[key] = _frozen(figures.get(key, PipelineFigures()), line)
    return merged


def _frozen_months(
    merger: Merger, first: date, figures: dict[Any, PipelineFigures], program: PipelineFigures
) -> dict[Any, PipelineFigures]:
    """The program's deals open at the month's end by their expected close month then,
    and its wins and losses on the month's own row."""
    months = frozen_open_by_month(merger=merger, month=first)
    # The month's live row, keyed by a date here and by its midnight on PostgreSQL.
    live = next((v for k, v in figures.items() if k is not None and _day(k) == first), None)
    wins = replace(
        months.get(first, PipelineFigures()),
        won_count=program.won_count,
        won_amount=program.won_amount,
        lost_count=program.lost_count,
    )
    return months | {first: _frozen(live or PipelineFigures(), wins)}


def _holds(line: PipelineFigures) -> bool:
    return bool(line.open_count or line.won_count or line.lost_count)


def _day(key: date | datetime) -> date:
    if not isinstance(key, datetime):
        return key
    return timezone.localtime(key).date() if timezone.is_aware(key) else key.date()


def _frozen(live: PipelineFigures, line: PipelineFigures) -> PipelineFigures:
    # Snapshots keep no sales cycle: the average stays that of the deals won now, and is
    # not measured when none of the frozen wins is won there now (never 0 days).
    cycle = None
    if live.won_count and live.cycle_days_sum is not None:
        cycle = live.cycle_days_sum * line.won_count / live.won_count
    elif not line.won_count:
        cycle = ZERO
    return replace(line, cycle_days_sum=cycle)


def _line_key(by: Dimension, key: Any) -> str:
    """The snapshot line key of a slice's figures key."""
    if by == Dimension.PROGRAM or key is None:
        return ""
    return str(key)


def _live_key(by: Dimension, line_key: str) -> Any:
    if by == Dimension.PROGRAM:
        return "program"
    if by == Dimension.DIRECTION:
        return line_key
    return int(line_key) if line_key else None


def _no_team(figures: dict) -> dict:
    return {None: figures[None]} if None in figures else {}


def _quota_figures(merger: Merger, by: Dimension, period: dict) -> dict[Any, QuotaFigures]:
    """Cross-sell quota, credited wins and the pipeline due in the rest of the month
    (tracker.figures.closing_q, as the dashboard and the quota board) per rep, team or
    program; a month that has ended has no pipeline to cover it, so no coverage."""
    first, last = period["closed_from"], period["closed_to"]
    quotas = quota_totals(merger=merger, month_from=first, month_to=first, by=Dimension.REP)
    credits = credited_won(merger=merger, closed_from=first, closed_to=last)
    today = period["today"] or timezone.localdate()
    pipeline = closing_pipeline(merger=merger, first=first, last=last, today=today)
    no_pipeline = None if pipeline is None else ZERO
    per_rep = {
        rep_id: QuotaFigures(
            cross_sell_quota=quotas.get(rep_id, (ZERO, ZERO))[1],
            credited_won=credits.get(rep_id, ZERO),
            open_pipeline=no_pipeline if pipeline is None else pipeline.get(rep_id, ZERO),
            reps=1,
        )
        for rep_id in {*quotas, *credits, *(pipeline or {})}
    }
    # A closed month's quota and credit as frozen, as its dashboard shows them.
    if (frozen := frozen_quotas(merger=merger, month=first)) is not None:
        per_rep = {
            rep_id: frozen.of(
                rep_id, per_rep.get(rep_id, QuotaFigures(open_pipeline=no_pipeline, reps=1))
            )
            for rep_id in {*per_rep, *frozen.reps}
        }
    if by == Dimension.REP:
        return per_rep
    if by == Dimension.PROGRAM:
        return {"program": sum(per_rep.values(), QuotaFigures(open_pipeline=no_pipeline))}
    team_of = dict(Rep.objects.filter(merger=merger).values_list("id", "team_id"))
    own: dict[int, QuotaFigures] = {}
    for rep_id, values in per_rep.items():
        team_id = team_of.get(rep_id)
        if team_id is not None:
            own[team_id] = own.get(team_id, QuotaFigures()) + values
    parent_of = dict(Team.objects.filter(merger=merger).values_list("id", "parent_id"))
    rolled = quota_rollup(own, parent_of)
    if frozen is None:
        return rolled
    # A closed month's teams as frozen, whoever has moved team since.
    empty = QuotaFigures(open_pipeline=no_pipeline)
    return {pk: frozen.of_team(pk, rolled.get(pk, empty)) for pk in {*rolled, *frozen.teams}}


def _labels(merger: Merger, by: Dimension, keys: Any) -> dict[Any, str]:
    if by == Dimension.REP:
        reps = Rep.objects.filter(merger=merger, pk__in=[k for k in keys if k is not None])
        return {rep.pk: str(rep) for rep in reps.select_related("user")}
    if by == Dimension.TEAM:
        return dict(Team.objects.filter(merger=merger).values_list("id", "name"))
    if by == Dimension.SEGMENT:
        return dict(Segment.objects.filter(merger=merger).values_list("id", "name"))
    if by == Dimension.DIRECTION:
        return {value: str(label) for value, label in Direction.choices}
    if by == Dimension.MONTH:
        return {key: f"{key:%Y-%m}" for key in keys if key is not None}
    return {"program": merger.name}
