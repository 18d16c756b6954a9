"""The dashboard's series as typed values, and the arithmetic behind them. Pure.

scorecards.selectors.dashboard reads the figures from the database; the
functions here take them as plain values (open deal cells, month figures)
and return the series the charts, the API and the reconcile check read, so
that every rule of the forecast, the tiles and the funnel is tested
without a database.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.filter_fields import NO_SEGMENT
from accounts.percent import percent
from core.numbers import rounded_text
from tracker.deal_figures import OpenCell
from tracker.figures import FORECAST_MONTHS
from tracker.figures import forecast as forecast_by
from tracker.pipeline_math import (
    ZERO,
    PipelineFigures,
    add_months,
    attainment,
    cents,
    coverage,
    month_end,
)
from tracker.pipeline_math import ratio as ratio_of

type Amounts = tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: Decimal | None
    unit: str  # "money", "percent" or "ratio"
    previous: Decimal | None = None
    note: str = ""
    # False: the figure does not apply to the chosen slice (not "no figure yet").
    measured: bool = True

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class MonthFigures:
    """What the tiles compare: one month's figures, or the same days of the month before."""

    realized_to_date: Decimal
    target_to_date: Decimal
    figures: PipelineFigures
    cross_quota: Decimal
    credited: Decimal
    # Open cross-company pipeline expected to close in the rest of the month; None once
    # the month is over, when there is no rest of the period left to cover.
    closing_pipeline: Decimal | None = None
    # Changes since the last freeze to deals of frozen months (tracker.services.snapshots).
    restated: Decimal = ZERO


@dataclass(frozen=True)
class Forecast:
    """Realized to date, then a low and a high line over the coming months."""

    months: tuple[date, ...]
    # None throughout where realized to date is not measured: nothing to add it to.
    low: tuple[Decimal | None, ...]
    high: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Impact:
    """Realized and target to date at each month's end, and the forecast after the last."""

    months: tuple[date, ...]
    realized: Amounts
    target: Amounts
    forecast_months: tuple[date, ...]
    forecast_low: Amounts
    forecast_high: Amounts
    # Each month's own realized synergy: a closed month's as its snapshot line froze it,
    # without the restatements its point to date also books.
    realized_in_month: Amounts = ()
    # Where each month's point comes from: "snapshot" (a line of the slice), "kept" (a
    # closed month no line of the slice holds, summed from the deals its snapshot kept),
    # "recomputed" (such a month frozen before its deals were kept, read from today's
    # deals) or "live".
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Funnel:
    """Open deals by stage, in the stages' order."""

    stages: tuple[str, ...]
    stage_ids: tuple[int, ...]
    counts: tuple[int, ...]
    amounts: tuple[Decimal, ...]


@dataclass(frozen=True)
class SegmentDirection:
    """Open pipeline per segment, one series per direction that has any."""

    segments: tuple[str, ...]
    # None: the deals on accounts without a segment ("No segment", last).
    segment_ids: tuple[int | None, ...]
    amounts_by_direction: Mapping[str, tuple[Decimal, ...]]
    direction_labels: Mapping[str, str]

    @property
    def segment_choices(self) -> tuple[int | str, ...]:
        """Each row's value of the pipeline list's segment filter."""
        return tuple(NO_SEGMENT if pk is None else pk for pk in self.segment_ids)


@dataclass(frozen=True)
class Attainment:
    """Cross-sell quota attainment in percent per team or rep; None without a quota."""

    names: tuple[str, ...]
    ids: tuple[int, ...]
    attainment: tuple[Decimal | None, ...]

    def within(self, visible: Callable[[int], bool]) -> "Attainment":
        """Only the teams or reps `visible` lets the reader see."""
        kept = [i for i, pk in enumerate(self.ids) if visible(pk)]
        return Attainment(
            names=tuple(self.names[i] for i in kept),
            ids=tuple(self.ids[i] for i in kept),
            attainment=tuple(self.attainment[i] for i in kept),
        )


def impact(
    *,
    months: Sequence[date],
    realized: Sequence[Decimal],
    target: Sequence[Decimal | None],
    forecast: Forecast,
    realized_in_month: Sequence[Decimal] = (),
    sources: Sequence[str] = (),
) -> Impact:
    return Impact(
        months=tuple(months),
        realized=tuple(realized),
        target=tuple(target),
        forecast_months=forecast.months,
        forecast_low=forecast.low,
        forecast_high=forecast.high,
        realized_in_month=tuple(realized_in_month),
        sources=tuple(sources),
    )


def forecast(
    *,
    cells: Iterable[OpenCell],
    categories: Mapping[int, str],
    month: date,
    realized: Decimal | None,
) -> Forecast:
    """From the month's realized synergy, the forecast at the end of each of the next
    FORECAST_MONTHS months: each point is tracker.figures.forecast for deals expected by
    that month's end (overdue ones from the first month on), so the last point is the
    month's forecast as the scorecard states it. `categories` maps a stage id to its
    forecast category. Without a realized figure (not measured) there is no forecast.
    """
    if realized is None:
        months = tuple(add_months(month, step) for step in range(FORECAST_MONTHS + 1))
        return Forecast(months, (None,) * len(months), (None,) * len(months))
    cells = list(cells)
    months, low, high = [month], [realized], [realized]
    for step in range(1, FORECAST_MONTHS + 1):
        future = add_months(month, step)
        band = forecast_by(
            cells=cells, categories=categories, realized=realized, until=month_end(future)
        )
        months.append(future)
        low.append(band.low)
        high.append(band.high)
    return Forecast(tuple(months), tuple(low), tuple(high))


def funnel(*, stages: Sequence[tuple[int, str]], cells: Iterable[OpenCell]) -> Funnel:
    """`stages` are the open stages as (id, name), in order."""
    counts: dict[int, int] = defaultdict(int)
    amounts: dict[int, Decimal] = {}
    for cell in cells:
        counts[cell.stage_id] += cell.count
        amounts[cell.stage_id] = amounts.get(cell.stage_id, ZERO) + cell.amount
    return Funnel(
        stages=tuple(name for _id, name in stages),
        stage_ids=tuple(pk for pk, _name in stages),
        counts=tuple(counts.get(pk, 0) for pk, _name in stages),
        amounts=tuple(cents(amounts[pk]) if pk in amounts else ZERO for pk, _name in stages),
    )


def segment_direction(
    *,
    segments: Sequence[tuple[int | None, str]],
    directions: Sequence[tuple[str, str]],
    cells: Iterable[OpenCell],
) -> SegmentDirection:
    """`segments` as (id, name) in order; `directions` every direction as (code, label).

    Deals without a segment come last, as "No segment", whenever there are any: the
    segments then add up to the open pipeline the tile shows.
    """
    amounts: dict[tuple[int | None, str], Decimal] = defaultdict(lambda: ZERO)
    for cell in cells:
        amounts[cell.segment_id, cell.direction] += cell.amount
    if any(pk is None for pk, _direction in amounts):
        segments = [*segments, (None, _("No segment"))]
    present = [code for code, _label in directions if any(key[1] == code for key in amounts)]
    return SegmentDirection(
        segments=tuple(name for _id, name in segments),
        segment_ids=tuple(pk for pk, _name in segments),
        amounts_by_direction={
            code: tuple(
                cents(amounts[pk, code]) if (pk, code) in amounts else ZERO
                for pk, _name in segments
            )
            for code in present
        },
        direction_labels={code: str(label) for code, label in directions},
    )


def attainment_pct(*, credited: Decimal, quota: Decimal) -> Decimal | None:
    return percent(attainment(won_amount=credited, quota=quota))


def share_pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return percent(ratio_of(part, whole))


def tiles(
    now: MonthFigures, before: MonthFigures, *, pipeline_before: PipelineFigures | None
) -> list[Tile]:
    """The KPI tiles of `now`, each with the figure of `before` to compare with.

    The pipeline is a stock, not a flow: it is compared with the month before
    only when that month's figures were frozen at its end (`pipeline_before`).
    """
    return [
        Tile(
            "realized",
            _("Realized synergy against target to date"),
            share_pct(now.realized_to_date, now.target_to_date),
            "percent",
            share_pct(before.realized_to_date, before.target_to_date),
            note=_realized_note(now),
        ),
        Tile(
            "open_pipeline",
            _("Open pipeline"),
            now.figures.open_amount,
            "money",
            pipeline_before.open_amount if pipeline_before else None,
        ),
        Tile(
            "weighted_pipeline",
            _("Weighted pipeline"),
            now.figures.weighted_amount,
            "money",
            pipeline_before.weighted_amount if pipeline_before else None,
        ),
        Tile(
            "coverage",
            _("Pipeline coverage"),
            _coverage(now),
            "ratio",
            _coverage(before),
            note=_(
                "Open cross-company pipeline due to close in the rest of the month, over the "
                "month's cross-sell quota still to win"
            )
            if now.closing_pipeline is not None
            else _("The month is over: no time left to cover."),
        ),
        Tile(
            "attainment",
            _("Cross-sell quota attainment"),
            attainment_pct(credited=now.credited, quota=now.cross_quota),
            "percent",
            attainment_pct(credited=before.credited, quota=before.cross_quota),
        ),
        Tile(
            "win_rate",
            _("Win rate"),
            percent(now.figures.win_rate),
            "percent",
            percent(before.figures.win_rate),
        ),
    ]


def _coverage(figures: MonthFigures) -> Decimal | None:
    return coverage(
        open_amount=figures.closing_pipeline,
        quota=figures.cross_quota,
        won_amount=figures.credited,
    )


def whole(amount: Decimal) -> str:
    """An amount in whole units, rounded half up as every page rounds money, as the
    reader's locale groups it: 17,034,000 or 17 034 000."""
    return rounded_text(amount, 0, force_grouping=True)


def _realized_note(now: MonthFigures) -> str:
    note = _("%(realized)s of %(target)s") % {
        "realized": whole(now.realized_to_date),
        "target": whole(now.target_to_date),
    }
    if now.restated:
        note += " · " + _("includes %(amount)s restated in closed months") % {
            "amount": ("+" if now.restated > 0 else "") + whole(now.restated)
        }
    return note


def without_quota(tiles: list[Tile]) -> list[Tile]:
    """A slice no quota is set for has no attainment and no coverage: never the program's."""
    note = _("Cross-sell quotas are set per rep, not for a segment, direction or company.")
    return [
        replace(tile, value=None, previous=None, note=note, measured=False)
        if tile.key in ("attainment", "coverage")
        else tile
        for tile in tiles
    ]


def kept_not_measured(tiles: list[Tile]) -> list[Tile]:
    """A closed month summed from the deals its snapshot kept: they keep no lost deal and
    no quota, so its win rate, coverage and attainment are not measured, and nor is a
    figure to date some earlier month kept no deals for."""
    kept_none = _(
        "Not kept with the closed month for these filters: its snapshot keeps the deals "
        "open at its end and realized in it, not lost deals or quotas."
    )
    to_date = _("Not measured: a month since Day 1 was frozen before its deals were kept.")
    shown = []
    for tile in tiles:
        if tile.key in ("win_rate", "coverage", "attainment") and tile.measured:
            tile = replace(tile, value=None, previous=None, note=kept_none, measured=False)
        elif tile.key in ("realized", "won_to_date") and tile.value is None:
            tile = replace(tile, previous=None, note=to_date, measured=False)
        shown.append(tile)
    return shown


def without_target(tiles: list[Tile], impact: Impact) -> tuple[list[Tile], Impact]:
    """A slice without a target of its own shows what it won instead of a share of target."""
    realized = impact.realized
    won = Tile(
        "won_to_date",
        _("Cross-sell won to date"),
        realized[-1] if realized else None,
        "money",
        realized[-2] if len(realized) > 1 else None,
        note=_("Synergy targets are set for the program and its segments, not for this slice."),
    )
    tiles = [won, *(tile for tile in tiles if tile.key != "realized")]
    return tiles, replace(impact, target=(None,) * len(impact.target))
