"""Month-end snapshots: a month's pipeline, quota, attainment and synergy, frozen once.

A snapshot is written at most once per program and month; re-running the task
finds it and returns it unchanged, so a past month's numbers never move when
deals are edited later. Its figures describe the deals as they stood at the
month's end, replayed from their history (tracker.deal_replay), whenever the
freeze runs: on time, days late, or for months before the program used this
product. A later change to a deal of a frozen month is booked as a restatement
in the month it was made (SnapshotLine.restated).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import Merger, Segment
from accounts.selectors.overlap_history import (
    NOT_MEASURED,
    first_purchase_groups,
    history_of_groups,
    transitions_of_groups,
)
from tracker.deal_figures import (
    CreditLine,
    Splits,
    credit_lines,
    credited_by_rep,
    credited_count_by_rep,
    credited_of,
    figures_by,
    open_cells_of,
    realized_by,
    state_realized,
)
from tracker.deal_replay import DealState
from tracker.models import MonthlySnapshot, Rep, SnapshotLine, SynergyTarget, Team
from tracker.pipeline_math import ZERO, PipelineFigures, ended_months, month_end, rollup
from tracker.quota_math import QuotaFigures, quota_rollup
from tracker.selectors.deal_history import credit_splits, deal_states_as_of
from tracker.selectors.frozen_plans import plans_to_keep
from tracker.selectors.metrics import Dimension, quota_rows, quota_totals_of
from tracker.selectors.wins import LATEST_WINS
from tracker.services.snapshot_deals import kept_rows, snapshot_rows_write

Scope = SnapshotLine.Scope


def month_end_instant(month: date) -> datetime:
    """The first moment after the month: what a month-end snapshot describes."""
    return timezone.make_aware(datetime.combine(month_end(month) + timedelta(days=1), time.min))


def snapshot_freeze(*, merger_id: int, month: date) -> MonthlySnapshot:
    """Freezes the figures of `month` (any day in it) for the program; idempotent."""
    first = month.replace(day=1)
    existing = MonthlySnapshot.objects.filter(merger_id=merger_id, month=first).first()
    if existing:
        return existing
    merger = Merger.objects.get(pk=merger_id)
    as_of = month_end_instant(first)
    month = _month(merger, first, as_of)
    lines = _snapshot_lines(merger=merger, month=month)
    kept = kept_rows(
        merger=merger,
        states=month.states,
        credits=month.credits,
        team_of=month.team_of,
        parent_of=month.parent_of,
        first=first,
        as_of=as_of,
    )
    # The plans covering the month as they stand at the freeze: its payouts' terms.
    plans = plans_to_keep(merger=merger, month=first)
    try:
        with transaction.atomic():
            snapshot = MonthlySnapshot.objects.create(
                merger=merger, month=first, frozen_at=timezone.now(), as_of=as_of, comp_plans=plans
            )
            for line in lines:
                line.snapshot = snapshot
            SnapshotLine.objects.bulk_create(lines, batch_size=1000)
            snapshot_rows_write(snapshot=snapshot, rows=kept)
    except IntegrityError:
        # Another worker froze the same month first; theirs stands.
        return MonthlySnapshot.objects.get(merger_id=merger_id, month=first)
    return snapshot


@dataclass(frozen=True)
class _Month:
    """What every line of one month's snapshot is computed from."""

    first: date
    last: date
    day_one: date
    states: list[DealState]
    stale_days: int
    team_of: dict[int, int | None]
    # The team tree, read once: the lines roll up by it and the snapshot keeps it.
    parent_of: dict[int, int | None]
    splits: Splits
    # The shares of credit of the deals realized in the month: the reps' and teams'
    # credited won are added up from these, and the freeze keeps them as they are.
    credits: list[CreditLine]


def _month(merger: Merger, first: date, as_of: datetime) -> _Month:
    states = deal_states_as_of(merger=merger, at=as_of, deleted=True).states
    splits = credit_splits(where=Q(opportunity__merger=merger))
    last = month_end(first)
    return _Month(
        first=first,
        last=last,
        day_one=merger.day_one,
        states=states,
        stale_days=merger.stale_after_days,
        team_of=dict(Rep.objects.filter(merger=merger).values_list("id", "team_id")),
        parent_of=dict(Team.objects.filter(merger=merger).values_list("id", "parent_id")),
        splits=splits,
        credits=credit_lines(states, splits=splits, closed_from=first, closed_to=last),
    )


def _snapshot_lines(*, merger: Merger, month: _Month) -> list[SnapshotLine]:
    first = month.first
    previous = _previous_to_date(merger, first)
    targets = _targets(merger=merger, months=Q(month=first))
    targets_to_date = _targets(merger=merger, months=Q(month__lte=first))
    parent_of = month.parent_of
    quotas = _quotas(merger, first, parent_of)
    labels = _labels(merger)
    credited = _credited(month)
    counts = credited_count_by_rep(
        month.states, splits=month.splits, closed_from=month.first, closed_to=month.last
    )
    lines: list[SnapshotLine] = []
    for scope, key in _KEYS.items():
        pipeline = _pipeline(month, key)
        realized, to_date = _realized(month, key)
        if scope == Scope.TEAM:
            pipeline = rollup(pipeline, parent_of)
            realized, to_date = _rolled(realized, parent_of), _rolled(to_date, parent_of)
        members = _states_by_group(month, scope)
        for group in _groups(scope, pipeline, realized, to_date, labels):
            in_month, since_day_one = realized.get(group, ZERO), to_date.get(group, ZERO)
            # Without an earlier line nothing was frozen that could be restated.
            before = previous.get((scope, _key_text(group)), since_day_one - in_month)
            lines.append(
                _line(
                    scope,
                    group,
                    labels.get((scope, group), str(group or "")),
                    pipeline.get(group),
                    realized=in_month,
                    to_date=since_day_one,
                    previous=before,
                    quota=quotas.get((scope, group)),
                    target=targets.get(group, ZERO) if scope in _TARGETED else None,
                    target_to_date=targets_to_date.get(group, ZERO),
                )
            )
            if scope in _CREDITED:
                lines[-1].credited_won = credited.get((scope, group), ZERO)
            if scope == Scope.REP:
                lines[-1].credited_won_count = counts.get(group, 0)
            lines[-1].open_cells, lines[-1].wins = _cells_and_wins(month, members.get(group, []))
            if scope in _TARGETED:
                lines[-1].overlap = _overlap(merger, first, group)
    return lines


def _overlap(merger: Merger, month: date, group: Any) -> dict:
    """The account map of the program or a segment at the month's end."""
    if group is None:
        return {}
    segment = merger.segments.filter(pk=group).first() if group != "" else None
    groups = first_purchase_groups(merger=merger, segment=segment)
    counts = history_of_groups(groups=groups, months=[month])
    moves = transitions_of_groups(groups=groups, months=[month])
    # Kept only where some status was not measured: none is what an older freeze meant.
    if not counts[NOT_MEASURED][0]:
        del counts[NOT_MEASURED]
    return {
        "counts": {status: values[0] for status, values in counts.items()},
        "transitions": {key: values[0] for key, values in moves.items()},
    }


def _states_by_group(month: _Month, scope: str) -> dict[Any, list[DealState]]:
    """Each group's deals; a team's include those of the teams below it."""
    keyer = _keyer(month, _KEYS[scope])
    groups: dict[Any, list[DealState]] = {}
    for state in month.states:
        group = keyer(state)
        groups.setdefault(group, []).append(state)
        if scope == Scope.TEAM:
            seen = {group}
            while (group := month.parent_of.get(group)) is not None and group not in seen:
                seen.add(group)
                groups.setdefault(group, []).append(state)
    return groups


def _cells_and_wins(month: _Month, states: list[DealState]) -> tuple[list, list]:
    cells = open_cells_of(states, at=month.last, stale_days=month.stale_days)
    won = [state for state in states if state_realized(state, month.day_one, month.last)]
    # Newest first, the largest first on a day, as the wins feed orders them.
    won.sort(key=lambda state: (state.closed_on, state.amount, state.id), reverse=True)
    wins = [
        {"id": state.id, "amount": str(state.amount), "closed_on": state.closed_on.isoformat()}
        for state in won[:LATEST_WINS]
    ]
    return [cell.as_json() for cell in cells], wins


def _quotas(merger: Merger, first: date, parent_of: dict) -> dict[tuple[str, Any], tuple]:
    """(core, cross-sell) quota of the month per program, rep and team (rolled up)."""
    rows = quota_rows(merger=merger, month_from=first, month_to=first)

    def totals(by: Dimension) -> dict:
        return quota_totals_of(rows, month_from=first, month_to=first, by=by)

    teams = quota_rollup(
        {
            team_id: QuotaFigures(core_quota=core, cross_sell_quota=cross)
            for team_id, (core, cross) in totals(Dimension.TEAM).items()
        },
        parent_of,
    )
    quotas: dict[tuple[str, Any], tuple[Decimal, Decimal]] = {
        (Scope.PROGRAM, ""): totals(Dimension.PROGRAM).get("program", (ZERO, ZERO))
    }
    quotas |= {(Scope.REP, rep): quota for rep, quota in totals(Dimension.REP).items()}
    quotas |= {
        (Scope.TEAM, team): (figures.core_quota, figures.cross_sell_quota)
        for team, figures in teams.items()
    }
    return quotas


_KEYS: dict[str, Callable[[DealState], Any]] = {
    Scope.PROGRAM: lambda state: "",
    Scope.REP: lambda state: state.owner_id,
    Scope.TEAM: lambda state: None,  # filled per month from the owner's team
    Scope.SEGMENT: lambda state: state.segment_id,
    Scope.DIRECTION: lambda state: state.direction,
}
_TARGETED = (Scope.PROGRAM, Scope.SEGMENT)
# The lines with a cross-sell quota, and so an attainment: quotas are set per rep.
_CREDITED = (Scope.PROGRAM, Scope.TEAM, Scope.REP)


def _keyer(month: _Month, key: Callable[[DealState], Any]) -> Callable[[DealState], Any]:
    if key is _KEYS[Scope.TEAM]:
        return lambda state: month.team_of.get(state.owner_id)
    return key


def _pipeline(month: _Month, key) -> dict[Any, PipelineFigures]:
    return figures_by(
        month.states,
        key=_keyer(month, key),
        closed_from=month.first,
        closed_to=month.last,
        at=month.last,
        stale_days=month.stale_days,
    )


def _realized(month: _Month, key) -> tuple[dict, dict]:
    """(realized in the month, realized since Day 1) per group; reps by credit."""
    if key is _KEYS[Scope.REP]:
        to_date = credited_by_rep(
            month.states, splits=month.splits, closed_from=month.day_one, closed_to=month.last
        )
        return credited_of(month.credits), to_date
    keyer = _keyer(month, key)
    in_month = realized_by(month.states, key=keyer, closed_from=month.first, closed_to=month.last)
    to_date = realized_by(month.states, key=keyer, closed_from=month.day_one, closed_to=month.last)
    return in_month, to_date


def _credited(month: _Month) -> dict[tuple[str, Any], Decimal]:
    """Attainment's numerator per program, team and rep line: the month's credited wins
    of the reps, a team's with the teams below it, as the live quota page adds them up.
    Not the owner-based realized synergy of the program and team lines, which counts a
    split or overlaid deal once and a rep's win in the team the deal's owner is in."""
    by_rep = credited_of(month.credits)
    own: dict[int | None, Decimal] = {}
    for rep, amount in by_rep.items():
        team = month.team_of.get(rep)
        own[team] = own.get(team, ZERO) + amount
    credited: dict[tuple[str, Any], Decimal] = {(Scope.PROGRAM, ""): sum(by_rep.values(), ZERO)}
    credited |= {(Scope.REP, rep): amount for rep, amount in by_rep.items()}
    credited |= {
        (Scope.TEAM, team): amount for team, amount in _rolled(own, month.parent_of).items()
    }
    return credited


def _rolled(amounts: dict, parent_of: dict) -> dict:
    figures = {team: PipelineFigures(won_amount=amount) for team, amount in amounts.items()}
    return {team: value.won_amount for team, value in rollup(figures, parent_of).items()}


def _groups(scope: str, pipeline: dict, realized: dict, to_date: dict, labels: dict) -> list:
    """Every group with figures, and every rep, team and segment even without any."""
    known = [group for (kind, group) in labels if kind == scope]
    seen = {*pipeline, *realized, *to_date, *known}
    if scope in (Scope.REP, Scope.TEAM):
        seen.discard(None)
    return sorted(seen, key=lambda group: (group is None, str(group)))


def _labels(merger: Merger) -> dict[tuple[str, Any], str]:
    labels: dict[tuple[str, Any], str] = {(Scope.PROGRAM, ""): str(merger)}
    for rep in Rep.objects.filter(merger=merger).select_related("user"):
        labels[Scope.REP, rep.pk] = str(rep)
    for team_id, name in Team.objects.filter(merger=merger).values_list("id", "name"):
        labels[Scope.TEAM, team_id] = name
    for segment_id, name in Segment.objects.filter(merger=merger).values_list("id", "name"):
        labels[Scope.SEGMENT, segment_id] = name
    return labels


def _key_text(group: Any) -> str:
    return "" if group is None else str(group)


def _line(
    scope: str,
    group: Any,
    label: str,
    figures: PipelineFigures | None,
    *,
    realized: Decimal,
    to_date: Decimal,
    previous: Decimal,
    quota: tuple[Decimal, Decimal] | None,
    target: Decimal | None,
    target_to_date: Decimal,
) -> SnapshotLine:
    figures = figures or PipelineFigures()
    core, cross = quota or (ZERO, ZERO)
    return SnapshotLine(
        scope=scope,
        key=_key_text(group),
        label=label[:200],
        **{field: getattr(figures, name) for name, field in SnapshotLine.FIGURES.items()},
        core_quota=core,
        cross_sell_quota=cross,
        realized_synergy=realized,
        # Whatever moved in earlier months since their freeze is booked now.
        restated=to_date - realized - previous,
        realized_to_date=to_date,
        target=target or ZERO,
        target_to_date=target_to_date if target is not None else ZERO,
    )


def _previous_to_date(merger: Merger, first: date) -> dict[tuple[str, str], Decimal]:
    """Realized to date per line of the last snapshot before `first`."""
    snapshot = (
        MonthlySnapshot.objects.filter(merger=merger, month__lt=first).order_by("-month").first()
    )
    if snapshot is None:
        return {}
    rows = snapshot.lines.values_list("scope", "key", "realized_to_date")
    return {(scope, key): realized for scope, key, realized in rows}


def _targets(*, merger: Merger, months: Q) -> dict[Any, Decimal]:
    """Cross-sell targets of the months, per segment; the program's keyed ""."""
    rows = (
        SynergyTarget.objects.filter(months, merger=merger)
        .values("segment_id")
        .annotate(total=Sum("cross_sell"))
        .order_by()
    )
    totals = {row["segment_id"]: row["total"] for row in rows}
    # The program's own target row is keyed "" like its snapshot line.
    if None in totals:
        totals[""] = totals.pop(None)
    return totals


def snapshot_due_months(*, merger_id: int, today: date | None = None) -> list[date]:
    """Months since Day 1 that have ended and are not frozen yet (catch-up after downtime)."""
    merger = Merger.objects.get(pk=merger_id)
    today = today or timezone.localdate()
    frozen = set(MonthlySnapshot.objects.filter(merger=merger).values_list("month", flat=True))
    return [m for m in ended_months(since=merger.day_one, today=today) if m not in frozen]
