"""The per-segment pages of the board pack."""

from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from scorecards.exports.charts import six_c_chart
from scorecards.exports.pdf.layout import FRAME_HEIGHT, FRAME_WIDTH
from scorecards.exports.pdf.values import (
    assessment_text,
    c_score_text,
    indicator_value_text,
    money_text,
    score_text,
    why_text,
)
from scorecards.models import SixC
from scorecards.selectors.report import Cell, group_by_segment

WEAKEST_INDICATORS = 6
# Indicators scoring 4 or 5 are at or near target: not worth a board member's attention.
WEAK_BELOW = Decimal("4")


def _height(flowables: list) -> float:
    """The height the flowables take one under the other at the frame's width."""
    return sum(
        flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1]
        + flowable.getSpaceBefore()
        + flowable.getSpaceAfter()
        for flowable in flowables
    )


class SegmentPages:
    """A page per segment: its six Cs, why each scored so, the weakest indicators
    and its synergy. Mixed into BoardPack, whose `text` and `table` it uses."""

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
            # A segment that does not fit whole in what is left of the page starts the next
            # one: its tables never continue alone under another segment's, or on a page
            # without its heading. Only a segment longer than a page is split.
            segment = [
                *self.segment_page(record, synergy.get(name)),
                *self.explanation_table(explanations.get(name, [])),
            ]
            weakest = self.indicator_table(indicators.get(name, []))
            if _height([*segment, *weakest]) <= FRAME_HEIGHT:
                story += [CondPageBreak(9 * cm), KeepTogether([*segment, *weakest])]
            else:
                # Too long for a page (long assessments): the weakest indicators go on
                # under the segment's name, so that they never read as another segment's.
                story += [CondPageBreak(9 * cm), KeepTogether(segment)]
                story += [KeepTogether([self.text(name, "h2"), *weakest])] if weakest else []
        return story

    def segment_page(self, record: dict[str, Cell], synergy: dict[str, Cell] | None) -> list:
        """The heading, the summary and the segment's synergy under it, and the six-C bars."""
        labels = [str(label) for _value, label in SixC.choices]
        chart = six_c_chart(
            labels,
            [record.get(c) for c in SixC.values],
            font=self.fonts.regular,
            width=FRAME_WIDTH,
            # Low enough that a segment's six Cs and both its tables fit on one page.
            height=3.6 * cm,
            not_scored=_("not scored"),
        )
        return [
            self.text(record["segment"], "h1"),
            self.text(self.segment_summary(record)),
            *self.segment_synergy(synergy),
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
        columns = [
            (_("C"), "cell"),
            (_("Score"), "cell_number"),
            (_("Why"), "cell"),
            (_("Leader's assessment"), "cell"),
        ]
        body = [
            [record["c"], c_score_text(record["score"]), why_text(record), assessment_text(record)]
            for record in records
        ]
        # Without an assessment the column stays, narrow, and the Why text takes its room:
        # fewer lines, so that a segment fits its page.
        assessed = any(record.get("assessed_by") for record in records)
        assessment = FRAME_WIDTH - 18.3 * cm if assessed else 3.2 * cm
        widths = [4 * cm, 1.8 * cm, FRAME_WIDTH - 5.8 * cm - assessment, assessment]
        return self.text_table(columns, body, widths)

    def indicator_table(self, records: list[dict[str, Cell]]) -> list:
        scored = [
            record
            for record in records
            if record["score"] is not None and record["score"] < WEAK_BELOW
        ]
        weakest = sorted(scored, key=lambda record: record["score"])[:WEAKEST_INDICATORS]
        if not weakest:
            return []
        columns = [
            (_("Weakest indicators"), "cell"),
            (_("C"), "cell"),
            (_("Value"), "cell_number"),
            (_("Score"), "cell_number"),
            (_("Thresholds (score: value)"), "cell"),
        ]
        body = [
            [
                record["indicator"],
                record["c"],
                indicator_value_text(record),
                score_text(record["score"]),
                record["threshold"],
            ]
            for record in weakest
        ]
        # The C and the thresholds as wide as their longest text (a C's name never broken),
        # the indicator's name the rest.
        style = self.styles["cell"]

        def widest(texts) -> float:
            return max(stringWidth(str(t), style.fontName, style.fontSize) for t in texts) + 14

        c = max(widest(label for _value, label in SixC.choices), 2.4 * cm)
        thresholds = min(max(widest(row[-1] for row in body), 4 * cm), FRAME_WIDTH - 17.2 * cm)
        widths = [FRAME_WIDTH - 4.2 * cm - c - thresholds, c, 2.4 * cm, 1.8 * cm, thresholds]
        return [Spacer(1, 0.3 * cm), *self.text_table(columns, body, widths)]

    def text_table(self, columns: list[tuple[str, str]], body: list[list], widths: list) -> list:
        """A table of text: `columns` gives each column's heading and the style of its cells."""
        rows = [[self.text(heading, "cell_head") for heading, _style in columns]]
        styles = [style for _heading, style in columns]
        rows += [[self.text(v, s) for v, s in zip(values, styles, strict=True)] for values in body]
        return self.table(rows, widths)

    def segment_synergy(self, record: dict[str, Cell] | None) -> list:
        if record is None:
            return []
        sentence = _(
            "Cross-sell synergy: %(realized)s realized against a target to date of "
            "%(target)s; forecast %(low)s to %(high)s (%(currency)s)."
        ) % {
            "realized": money_text(record["realized"]),
            "target": money_text(record["target_to_date"]),
            "low": money_text(record["forecast_low"]),
            "high": money_text(record["forecast_high"]),
            "currency": self.report.currency,
        }
        return [Spacer(1, 0.1 * cm), self.text(sentence, "muted")]
