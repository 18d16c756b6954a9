"""The board pack: cover, program scorecard, six-C heat map and a page per segment.

Everything on it comes from the report's sections, so the PDF shows the same
figures as the CSV and XLSX renderings of the same report.
"""

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from scorecards.exports.charts import score_color, six_c_chart, synergy_chart, trend_chart
from scorecards.exports.fonts import FontSet, pdf_fonts
from scorecards.models import SixC
from scorecards.selectors.report import (
    Cell,
    Column,
    ColumnType,
    ScorecardReport,
    Section,
    group_by_segment,
)

PAGE = landscape(A4)
MARGIN = 1.5 * cm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
WEAKEST_INDICATORS = 6
# Indicators scoring 4 or 5 are at or near target: not worth a board member's attention.
WEAK_BELOW = Decimal("4")
GRID = colors.HexColor("#c8ced3")
HEADER_BACKGROUND = colors.HexColor("#e8eef4")
ZEBRA = colors.HexColor("#f7f9fa")


def render_pdf(report: ScorecardReport, *, compress: bool = True) -> bytes:
    """The board pack; `compress=False` leaves page streams readable, for tests."""
    buffer = io.BytesIO()
    pack = BoardPack(report, pdf_fonts())
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 0.4 * cm,
        title=f"{report.title}: {report.program}, {pack.month_label}",
        author=_("Cross-sell tracker"),
        subject=report.program,
        creator=_("Cross-sell tracker"),
        pageCompression=1 if compress else 0,
    )
    document.build(pack.story(), onLaterPages=pack.footer)
    return buffer.getvalue()


class BoardPack:
    def __init__(self, report: ScorecardReport, fonts: FontSet) -> None:
        self.report = report
        self.fonts = fonts
        self.month_label = date_format(report.month, "F Y")
        self.styles = _styles(fonts)

    def story(self) -> list:
        return [
            *self.cover(),
            PageBreak(),
            *self.program_page(),
            PageBreak(),
            *self.trend_page(),
            PageBreak(),
            *self.wins_and_risks_page(),
            PageBreak(),
            *self.heat_map(),
            *self.segment_pages(),
        ]

    # Realized against target over time, team attainment, wins, risks and asks

    def trend_page(self) -> list:
        section = self.report.section("realized_over_time")
        records = section.records()
        chart = trend_chart(
            [str(record["month"]) for record in records],
            [
                (_("Target to date"), [record["target_to_date"] for record in records]),
                (_("Realized to date"), [record["realized_to_date"] for record in records]),
            ],
            font=self.fonts.regular,
            width=FRAME_WIDTH * 0.58,
            height=8.5 * cm,
        )
        teams = self.report.section("team_attainment")
        team_widths = [c * FRAME_WIDTH * 0.38 for c in (0.34, 0.22, 0.22, 0.22)]
        team_table = (
            self.titled_table(teams, team_widths, period=self.month_label)
            if teams.rows
            else [
                self.text(f"{teams.title}, {self.month_label}", "h2"),
                self.text(_("No team has a quota this month.")),
            ]
        )
        period = (
            _("%(first)s to %(last)s")
            % {"first": records[0]["month"], "last": records[-1]["month"]}
            if records
            else self.month_label
        )
        return [
            self.text(f"{section.title}, {period}", "h1"),
            self.text(
                _(
                    "Realized cross-sell revenue since Day 1 against the target to date, month "
                    "by month; closed months as frozen at their month end."
                ),
                "muted",
            ),
            Table(
                [[chart, team_table]],
                colWidths=[FRAME_WIDTH * 0.6, FRAME_WIDTH * 0.4],
                style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
            ),
            Spacer(1, 0.3 * cm),
            # Three rows: moved whole to the next page rather than split.
            KeepTogether(self.titled_table(self.report.section("synergy_direction"))),
        ]

    def wins_and_risks_page(self) -> list:
        wins = self.report.section("top_wins")
        risks = self.report.section("risks")
        risk_widths = [c * FRAME_WIDTH for c in (0.13, 0.2, 0.33, 0.08, 0.26)]
        win_widths = [c * FRAME_WIDTH for c in (0.26, 0.2, 0.14, 0.2, 0.1, 0.1)]
        return [
            *(
                self.titled_table(wins, win_widths, period=self.month_label)
                if wins.rows
                else [
                    self.text(f"{wins.title}, {self.month_label}", "h1"),
                    self.text(_("No cross-company deal was won.")),
                ]
            ),
            Spacer(1, 0.5 * cm),
            *(
                self.titled_table(risks, risk_widths)
                if risks.rows
                else [
                    self.text(risks.title, "h1"),
                    self.text(_("No segment is behind target and no C is weak.")),
                ]
            ),
        ]

    def text(self, value: object, style: str = "body") -> Paragraph:
        return Paragraph(self.fonts.markup(str(value)), self.styles[style])

    # Cover and footer

    def cover(self) -> list:
        generated = timezone.localtime(self.report.generated_at)
        segments = len(self.report.section("six_cs").rows)
        return [
            Spacer(1, 4 * cm),
            self.text(self.report.title, "cover_kicker"),
            self.text(self.report.program, "cover_title"),
            self.text(self.month_label, "cover_month"),
            Spacer(1, 1.5 * cm),
            self.text(
                _(
                    "Board pack: program scorecard, realized against target over time, team "
                    "attainment, top wins, risks and asks, six-C heat map and %(count)d segments."
                )
                % {"count": segments}
            ),
            self.text(
                _("Generated on %(date)s at %(time)s (%(zone)s); amounts in %(currency)s.")
                % {
                    "date": date_format(generated, "DATE_FORMAT"),
                    "time": date_format(generated, "H:i"),
                    "zone": timezone.get_current_timezone_name(),
                    "currency": self.report.currency,
                },
                "muted",
            ),
        ]

    def footer(self, canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        left = self.text(f"{self.report.program} · {self.month_label}", "footer")
        left.wrapOn(canvas, FRAME_WIDTH * 0.8, MARGIN)
        left.drawOn(canvas, MARGIN, MARGIN * 0.6)
        canvas.setFont(self.fonts.regular, 8)
        canvas.drawRightString(
            PAGE[0] - MARGIN,
            MARGIN * 0.6,
            _("Page %(number)d") % {"number": document.page},
        )
        canvas.restoreState()

    # Program scorecard

    def program_page(self) -> list:
        section = self.report.section("program")
        [record] = section.records() or [{}]
        figures = Table(
            [
                [self.text(column.header, "cell"), self.value(record.get(column.key), column)]
                for column in section.columns
                if column.key not in {"program", "currency", "month"}
            ],
            colWidths=[6 * cm, 4.2 * cm],
        )
        figures.setStyle(_grid_style(header=False))
        chart = self.synergy_drawing(section, record)
        return [
            self.text(_("Program scorecard"), "h1"),
            self.text(self.gap_sentence(record)),
            Spacer(1, 0.3 * cm),
            Table([[figures, chart]], colWidths=[10.8 * cm, FRAME_WIDTH - 10.8 * cm]),
            Spacer(1, 0.3 * cm),
            *self.titled_table(self.report.section("synergy_segment")),
        ]

    def synergy_drawing(self, section: Section, record: dict[str, Cell]):
        keys = ["target_to_date", "realized", "forecast_low", "forecast", "forecast_high"]
        headers = {column.key: column.header for column in section.columns}
        return synergy_chart(
            [headers[key] for key in keys],
            [Decimal(record.get(key) or 0) for key in keys],
            font=self.fonts.regular,
            width=FRAME_WIDTH - 11.5 * cm,
            height=8 * cm,
        )

    def gap_sentence(self, record: dict[str, Cell]) -> str:
        gap = record.get("gap_pct")
        research = record.get("research_gap_pct") or Decimal("0.2")
        if gap is None:
            return _("No cross-sell target is due yet, so there is no gap to report.")
        if gap <= 0:
            return _(
                "Realized cross-sell revenue is %(ahead)s ahead of the target to date; on "
                "average, merged companies fall about %(research)s short of their targets."
            ) % {"ahead": _percent(-gap), "research": _percent(research)}
        return _(
            "Realized cross-sell revenue is %(gap)s below the target to date; on average, "
            "merged companies fall about %(research)s short of their cross-sell targets."
        ) % {"gap": _percent(gap), "research": _percent(research)}

    # Six-C heat map

    def heat_map(self) -> list:
        section = self.report.section("six_cs")
        score_columns = {*SixC.values, "composite"}
        header = [self.text(column.header, "cell_head_small") for column in section.columns]
        rows, style = [header], _grid_style(header=True, zebra=False)
        for row_index, row in enumerate(section.rows, start=1):
            cells = []
            for column_index, (value, column) in enumerate(zip(row, section.columns, strict=True)):
                cells.append(self.value(value, column))
                if column.key in score_columns:
                    cell = (column_index, row_index)
                    style.add("BACKGROUND", cell, cell, score_color(value))
            rows.append(cells)
        table = Table(rows, colWidths=self.heat_map_widths(section), repeatRows=1)
        table.setStyle(style)
        return [
            self.text(_("Six Cs by segment"), "h1"),
            self.text(
                _(
                    "Each C is scored from 1 (weak) to 5 (strong) from the program's data, "
                    "then adjusted by leaders' assessments; a C without data is not scored "
                    "and the composite is taken over the scored Cs. Commitment weighs most in "
                    "the composite: it correlates most strongly with cross-sell success."
                ),
                "muted",
            ),
            Spacer(1, 0.3 * cm),
            table if section.rows else self.text(_("No segments are scored yet.")),
        ]

    def heat_map_widths(self, section: Section) -> list[float]:
        """Score columns as wide as their longest header word; the segment takes the rest."""
        style = self.styles["cell_head_small"]
        widths = [
            max(
                max(stringWidth(word, style.fontName, style.fontSize) for word in words) + 14,
                1.9 * cm,
            )
            for words in (column.header.split() or ["-"] for column in section.columns[1:])
        ]
        return [max(FRAME_WIDTH - sum(widths), 5 * cm), *widths]

    # Per-segment pages

    def segment_pages(self) -> list:
        six_cs = self.report.section("six_cs")
        explanations = group_by_segment(self.report.section("explanations"))
        indicators = group_by_segment(self.report.section("indicators"))
        synergy = {
            str(record["segment"]): record
            for record in self.report.section("synergy_segment").records()
        }
        story: list = []
        for record in six_cs.records():
            name = str(record["segment"])
            # A segment starts a new page only when its heading and chart would not fit.
            story += [CondPageBreak(9 * cm), KeepTogether(self.segment_page(record))]
            story += self.explanation_table(explanations.get(name, []))
            story += self.indicator_table(indicators.get(name, []))
            story += self.segment_synergy(synergy.get(name))
        return story

    def segment_page(self, record: dict[str, Cell]) -> list:
        labels = [str(label) for _value, label in SixC.choices]
        chart = six_c_chart(
            labels,
            [record.get(c) for c in SixC.values],
            font=self.fonts.regular,
            width=FRAME_WIDTH,
            height=4.2 * cm,
            not_scored=_("not scored"),
        )
        return [
            self.text(record["segment"], "h1"),
            self.text(self.segment_summary(record)),
            chart,
        ]

    def segment_summary(self, record: dict[str, Cell]) -> str:
        composite = record.get("composite")
        if composite is None:
            return _("Not scored yet.")
        summary = _(
            "Composite %(composite)s of 5 over the %(scored)s scored Cs; %(strong)s rated strong."
        ) % {
            "composite": f"{composite:.2f}",
            "scored": record.get("scored_count") or 0,
            "strong": record.get("strong_count") or 0,
        }
        change = record.get("composite_change")
        if change is not None:
            summary += " " + _("%(change)s since last month.") % {"change": f"{change:+.2f}"}
        return summary

    def explanation_table(self, records: list[dict[str, Cell]]) -> list:
        if not records:
            return []
        rows = [
            [
                self.text(_("C"), "cell_head"),
                self.text(_("Score"), "cell_head"),
                self.text(_("Why"), "cell_head"),
                self.text(_("Leader's assessment"), "cell_head"),
            ]
        ]
        for record in records:
            rows.append(
                [
                    self.text(record["c"], "cell"),
                    self.text(_c_score(record["score"]), "cell_number"),
                    self.text(_why(record), "cell"),
                    self.text(_assessment(record), "cell"),
                ]
            )
        return self.table(rows, [4 * cm, 1.8 * cm, 12.5 * cm, FRAME_WIDTH - 18.3 * cm])

    def indicator_table(self, records: list[dict[str, Cell]]) -> list:
        scored = [
            record
            for record in records
            if record["score"] is not None and record["score"] < WEAK_BELOW
        ]
        weakest = sorted(scored, key=lambda record: record["score"])[:WEAKEST_INDICATORS]
        if not weakest:
            return []
        rows = [
            [
                self.text(_("Weakest indicators"), "cell_head"),
                self.text(_("C"), "cell_head"),
                self.text(_("Value"), "cell_head"),
                self.text(_("Score"), "cell_head"),
                self.text(_("Thresholds (score: value)"), "cell_head"),
            ]
        ]
        for record in weakest:
            rows.append(
                [
                    self.text(record["indicator"], "cell"),
                    self.text(record["c"], "cell"),
                    self.text(_indicator_value(record), "cell_number"),
                    self.text(_score(record["score"]), "cell_number"),
                    self.text(record["threshold"], "cell"),
                ]
            )
        widths = [10 * cm, 3.2 * cm, 2.4 * cm, 1.6 * cm, FRAME_WIDTH - 17.2 * cm]
        return [Spacer(1, 0.3 * cm), *self.table(rows, widths)]

    def segment_synergy(self, record: dict[str, Cell] | None) -> list:
        if record is None:
            return []
        sentence = _(
            "Cross-sell synergy: %(realized)s realized against a target to date of "
            "%(target)s; forecast %(low)s to %(high)s (%(currency)s)."
        ) % {
            "realized": _money(record["realized"]),
            "target": _money(record["target_to_date"]),
            "low": _money(record["forecast_low"]),
            "high": _money(record["forecast_high"]),
            "currency": self.report.currency,
        }
        return [Spacer(1, 0.3 * cm), self.text(sentence, "muted")]

    # Tables

    def titled_table(
        self, section: Section, widths: Sequence[float] | None = None, *, period: str = ""
    ) -> list:
        """The section's table under its title, which says the period it covers if given."""
        money = any(column.type == ColumnType.MONEY for column in section.columns)
        title = f"{section.title}, {period}" if period else section.title
        title = f"{title} ({self.report.currency})" if money else title
        if not section.rows:
            return [self.text(title, "h2"), self.text(_("Nothing to show yet."), "muted")]
        rows = [[self.text(column.header, "cell_head") for column in section.columns]]
        rows += [
            [self.value(value, column) for value, column in zip(row, section.columns, strict=True)]
            for row in section.rows
        ]
        widths = widths or _fit([7 * cm, *[3 * cm] * (len(section.columns) - 1)])
        return [self.text(title, "h2"), *self.table(rows, widths)]

    def table(self, rows: list[list], widths: Sequence[float]) -> list:
        table = Table(rows, colWidths=list(widths), repeatRows=1)
        table.setStyle(_grid_style(header=True))
        return [table]

    def value(self, value: Cell, column: Column) -> Paragraph:
        style = "cell_number" if column.numeric else "cell"
        return self.text(_display(value, column), style)


def _display(value: Cell, column: Column) -> str:
    if value is None:
        # A C without data has no score, not a low one.
        return _("not scored") if column.key in SixC.values else "–"
    match column.type:
        case ColumnType.MONEY:
            return _money(value)
        case ColumnType.PERCENT:
            return _percent(value)
        case ColumnType.SCORE:
            return f"{value:+.2f}" if column.key.endswith("_change") else _score(value)
        case ColumnType.INTEGER:
            return f"{value:,d}"
        case ColumnType.NUMBER:
            return f"{Decimal(value).normalize():f}"
        case ColumnType.DATE:
            return date_format(value, "DATE_FORMAT")
    return str(value)


def _money(value: Cell) -> str:
    return f"{Decimal(value or 0):,.0f}"


def _percent(value: Cell) -> str:
    return f"{Decimal(value) * 100:.1f}%"


def _score(value: Cell) -> str:
    return "–" if value is None else f"{Decimal(value):.2f}"


def _c_score(value: Cell) -> str:
    return _("not scored") if value is None else _score(value)


def _why(record: dict[str, Cell]) -> str:
    """The explanation, and the weakest indicator beside the mean."""
    if not record.get("weakest"):
        return str(record["explanation"])
    weakest = _("Weakest indicator: %(label)s, %(score)s/5.") % {
        "label": record["weakest"],
        "score": f"{Decimal(record['weakest_score']):.0f}",
    }
    return f"{record['explanation']} {weakest}"


def _indicator_value(record: dict[str, Cell]) -> str:
    value = record["value"]
    if value is None:
        return "–"
    unit = str(record["unit"] or "")
    if unit == "yes/no":
        return _("yes") if value else _("no")
    number = f"{Decimal(value).quantize(Decimal('0.1')).normalize():f}"
    return f"{number}{unit}" if unit in {"%", "x"} else f"{number} {unit}".strip()


def _assessment(record: dict[str, Cell]) -> str:
    if not record.get("assessed_by"):
        return ""
    return f"{record['assessed_by']} ({record['assessment_mode']}): {record['evidence']}"


def _fit(widths: list[float]) -> list[float]:
    """Shrinks column widths proportionally to the frame when they would overflow it."""
    total = sum(widths)
    if total <= FRAME_WIDTH:
        return widths
    return [width * FRAME_WIDTH / total for width in widths]


def _grid_style(*, header: bool, zebra: bool = True) -> TableStyle:
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND))
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, ZEBRA]))
    return TableStyle(commands)


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    regular, bold = fonts.regular, fonts.bold
    grey = colors.HexColor("#5b6770")
    return {
        "cover_kicker": ParagraphStyle("cover_kicker", fontName=bold, fontSize=14, leading=18),
        "cover_title": ParagraphStyle(
            "cover_title", fontName=bold, fontSize=30, leading=36, spaceBefore=6
        ),
        "cover_month": ParagraphStyle(
            "cover_month", fontName=regular, fontSize=18, leading=24, textColor=grey
        ),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=18, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=12, leading=15, spaceBefore=4, spaceAfter=4
        ),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=13),
        "muted": ParagraphStyle("muted", fontName=regular, fontSize=9, leading=12, textColor=grey),
        "footer": ParagraphStyle("footer", fontName=regular, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10),
        "cell_head": ParagraphStyle("cell_head", fontName=bold, fontSize=8, leading=10),
        "cell_head_small": ParagraphStyle("cell_head_small", fontName=bold, fontSize=7, leading=9),
        "cell_number": ParagraphStyle(
            "cell_number", fontName=regular, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
    }
