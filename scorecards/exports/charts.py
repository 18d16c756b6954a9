"""Charts of the board pack drawn with reportlab.graphics: no browser, no images."""

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from math import ceil

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from core.numbers import rounded_text

# Red at 1, amber at 3, green at 5: the heat map and the score bars share them.
SCORE_STOPS = (
    (Decimal(1), colors.HexColor("#e06666")),
    (Decimal(3), colors.HexColor("#ffd966")),
    (Decimal(5), colors.HexColor("#6aa84f")),
)
NO_SCORE = colors.HexColor("#eeeeee")
SYNERGY_COLORS = (
    colors.HexColor("#5b6770"),
    colors.HexColor("#1f77b4"),
    colors.HexColor("#9ecae1"),
    colors.HexColor("#6baed6"),
    colors.HexColor("#c6dbef"),
)


def score_color(score: Decimal | None) -> colors.Color:
    if score is None:
        return NO_SCORE
    score = min(max(Decimal(score), SCORE_STOPS[0][0]), SCORE_STOPS[-1][0])
    for (low, low_color), (high, high_color) in pairwise(SCORE_STOPS):
        if score <= high:
            share = float((score - low) / (high - low))
            return colors.linearlyInterpolatedColor(low_color, high_color, 0, 1, share)
    return SCORE_STOPS[-1][1]


def synergy_chart(
    labels: Sequence[str], amounts: Sequence[Decimal], *, font: str, width: float, height: float
) -> Drawing:
    """Target to date, realized and the forecast band as bars."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 60, 40
    chart.width, chart.height = width - 75, height - 55
    # Drawing takes floats; the figures were summed as Decimal before.
    values = [float(amount) for amount in amounts]
    chart.data = [values]
    labels = wrapped_labels(labels, slot=chart.width / max(len(labels), 1), font=font, size=7)
    _amount_axes(chart, font=font, categories=labels, top=max([*values, 0.0]) * 1.15)
    chart.barLabelFormat = _thousands
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.bars.strokeColor = None
    for index in range(len(values)):
        chart.bars[(0, index)].fillColor = SYNERGY_COLORS[index % len(SYNERGY_COLORS)]
    drawing.add(chart)
    return drawing


def six_c_chart(
    labels: Sequence[str],
    scores: Sequence[Decimal | None],
    *,
    font: str,
    width: float,
    height: float,
    not_scored: str = "not scored",
) -> Drawing:
    """One horizontal bar per C on a 0 to 5 scale, coloured like the heat map."""
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 95, 20
    chart.width, chart.height = width - 110, height - 30
    # A C that is not scored has no bar, and its label says why.
    chart.data = [[float(score or 0) for score in scores]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[not_scored if score is None else f"{score:.2f}" for score in scores]]
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 8
    chart.bars.strokeColor = None
    for index, score in enumerate(scores):
        chart.bars[(0, index)].fillColor = score_color(score)
    drawing.add(chart)
    return drawing


def _amount_axes(
    chart: VerticalBarChart, *, font: str, categories: Sequence[str], top: float
) -> None:
    """Amounts from zero to `top` (one when there is nothing) in thousands, and the categories
    below the bars, in the report's small print."""
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top or 1
    chart.valueAxis.labelTextFormat = _thousands
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "n"


def spaced_labels(
    labels: Sequence[str], *, slot: float, font: str, size: float, gap: float = 6
) -> list[str]:
    """Every label, or every second, third... (the last always) where they would touch.

    `slot` is the width each label has under its bars: a year of months at board-pack
    width ran together ("2025-122026-01...").
    """
    widest = max((stringWidth(label, font, size) for label in labels), default=0)
    every = max(1, ceil((widest + gap) / slot)) if slot > 0 else max(len(labels), 1)
    last = len(labels) - 1
    return [label if (last - index) % every == 0 else "" for index, label in enumerate(labels)]


def wrapped_labels(
    labels: Sequence[str], *, slot: float, font: str, size: float, gap: float = 4
) -> list[str]:
    """Each label on one line, or on two where it is wider than its slot.

    Under the synergy bars the Russian forecast labels ("Прогноз, ожидаемый") ran into
    their neighbours; each is broken at the space that leaves its longer line shortest.
    """

    def width(text: str) -> float:
        return stringWidth(text, font, size)

    wrapped = []
    for label in labels:
        words = label.split(" ")
        if width(label) + gap <= slot or len(words) < 2:
            wrapped.append(label)
            continue
        splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
        first, second = min(splits, key=lambda pair: max(width(pair[0]), width(pair[1])))
        wrapped.append(f"{first}\n{second}")
    return wrapped


def _thousands(value: float) -> str:
    """An axis amount in the pack's language: "1,200,000", "1 200 000", "1.200.000"."""
    return rounded_text(value, 0, force_grouping=True)


def trend_chart(
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    font: str,
    width: float,
    height: float,
) -> Drawing:
    """Grouped monthly bars (target to date beside realized to date), with a legend."""
    from reportlab.graphics.charts.legends import Legend

    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 60, 45
    chart.width, chart.height = width - 75, height - 75
    chart.data = [[float(value or 0) for value in values] for _name, values in series]
    peak = max([value for row in chart.data for value in row] + [0.0])
    labels = spaced_labels(months, slot=chart.width / max(len(months), 1), font=font, size=7)
    _amount_axes(chart, font=font, categories=labels, top=peak * 1.1)
    chart.bars.strokeColor = None
    chart.groupSpacing = 6
    trend_colors = (SYNERGY_COLORS[0], SYNERGY_COLORS[1])
    for index in range(len(series)):
        chart.bars[index].fillColor = trend_colors[index % len(trend_colors)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 60, height - 8
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [
        (trend_colors[index % len(trend_colors)], name) for index, (name, _v) in enumerate(series)
    ]
    drawing.add(legend)
    return drawing
