"""The board pack as a document: cover, program scorecard, trends, heat map, segments."""

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from scorecards.exports.charts import score_color, synergy_chart, trend_chart
from scorecards.exports.fonts import FontSet, pdf_fonts
from scorecards.exports.pdf.layout import (
    BOTTOM_MARGIN,
    FRAME_WIDTH,
    MARGIN,
    PAGE,
    fit_widths,
    grid_style,
    paragraph_styles,
)
from scorecards.exports.pdf.segment_pages import SegmentPages
from scorecards.exports.pdf.values import display_text, month_tick, percent_text
from scorecards.models import SixC
from scorecards.selectors.report import Cell, Column, ColumnType, ScorecardReport, Section

# The team attainment table's columns, as shares of the 38% of the page beside the chart.


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
        bottomMargin=BOTTOM_MARGIN,
        title=f"{report.title}: {report.program}, {pack.month_label}",
        author=_("Cross-sell tracker"),
        subject=report.program,
        creator=_("Cross-sell tracker"),
        pageCompression=1 if compress else 0,
    )
    document.build(pack.story(), onLaterPages=pack.footer)
    return buffer.getvalue()


class BoardPack(SegmentPages):
    """The pages of the pack, in order, and the tables and text they are made of."""

    def __init__(self, report: ScorecardReport, fonts: FontSet) -> None:
        self.report = report
        self.fonts = fonts
        self.month_label = date_format(report.month, "F Y")
        self.styles = paragraph_styles(fonts)

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
            [month_tick(str(record["month"])) for record in records],
            [
                (_("Target to date"), [record["target_to_date"] for record in records]),
                (_("Realized to date"), [record["realized_to_date"] for record in records]),
            ],
            font=self.fonts.regular,
            width=FRAME_WIDTH * 0.58,
            height=8.5 * cm,
        )
        teams = self.report.section("team_attainment")
        team_widths = self.header_widths(
            teams, total=FRAME_WIDTH * 0.38, least=1.6 * cm, first=2.6 * cm
        )
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
            % {
                "first": month_tick(str(records[0]["month"])),
                "last": month_tick(str(records[-1]["month"])),
            }
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
        figures.setStyle(grid_style(header=False))
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
            ) % {"ahead": percent_text(-gap), "research": percent_text(research)}
        return _(
            "Realized cross-sell revenue is %(gap)s below the target to date; on average, "
            "merged companies fall about %(research)s short of their cross-sell targets."
        ) % {"gap": percent_text(gap), "research": percent_text(research)}

    # Six-C heat map

    def heat_map(self) -> list:
        section = self.report.section("six_cs")
        score_columns = {*SixC.values, "composite"}
        header = [self.text(column.header, "cell_head_small") for column in section.columns]
        rows, style = [header], grid_style(header=True, zebra=False)
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
        return self.header_widths(
            section, total=FRAME_WIDTH, least=1.9 * cm, first=5 * cm, values=False
        )

    def header_widths(
        self, section: Section, *, total: float, least: float, first: float, values: bool = True
    ) -> list[float]:
        """Columns after the first as wide as their longest header word and their widest
        value (at least `least`), so that nothing breaks inside a word or a number in any
        language; the first takes the rest of `total` (at least `first`)."""
        head, cell = self.styles["cell_head_small"], self.styles["cell_number"]

        def width(text: str, style) -> float:
            return stringWidth(text, style.fontName, style.fontSize)

        widths = [
            max(
                *(width(word, head) + 14 for word in column.header.split() or ["-"]),
                *(
                    width(display_text(row[index], column), cell) + 14
                    for row in (section.rows if values else ())
                ),
                least,
            )
            for index, column in enumerate(section.columns)
            if index
        ]
        return [max(total - sum(widths), first), *widths]

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
        widths = widths or fit_widths([7 * cm, *[3 * cm] * (len(section.columns) - 1)])
        rows = [
            [
                self.text(column.header, self.head_style(column.header, width))
                for column, width in zip(section.columns, widths, strict=True)
            ]
        ]
        rows += [
            [self.value(value, column) for value, column in zip(row, section.columns, strict=True)]
            for row in section.rows
        ]
        return [self.text(title, "h2"), *self.table(rows, widths)]

    def head_style(self, header: str, width: float) -> str:
        """The smaller heading style where a word of the heading would not fit its column
        ("Реализовано" broke into "Реализова / но")."""
        style = self.styles["cell_head"]
        longest = max(
            (stringWidth(w, style.fontName, style.fontSize) for w in header.split()), default=0
        )
        return "cell_head" if longest + 12 <= width else "cell_head_small"

    def table(self, rows: list[list], widths: Sequence[float]) -> list:
        table = Table(rows, colWidths=list(widths), repeatRows=1)
        table.setStyle(grid_style(header=True))
        return [table]

    def value(self, value: Cell, column: Column) -> Paragraph:
        style = "cell_number" if column.numeric else "cell"
        return self.text(display_text(value, column), style)
