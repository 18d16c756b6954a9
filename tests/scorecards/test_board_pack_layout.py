"""Where the board pack puts things: read back from the PDF, or measured as reportlab sets it."""

import io
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Table

from scorecards.exports.charts import spaced_labels, synergy_chart, trend_chart
from scorecards.exports.fonts import pdf_fonts
from scorecards.exports.pdf import render_pdf, segment_pages
from scorecards.exports.pdf.document import BoardPack
from scorecards.exports.pdf.layout import FRAME_WIDTH, paragraph_styles
from scorecards.exports.pdf.values import why_text
from scorecards.models import SixC
from scorecards.selectors.report import group_by_segment, scorecard_report
from tests.scorecards.export_program import MONTH, scored_program

NAMES = [f"Segment {letter}, mid-market, North America" for letter in "ABCDEFG"]
SYNERGY = "Cross-sell synergy:"


@pytest.fixture
def report(merger, rep):
    scored_program(merger, rep, NAMES)
    return scorecard_report(merger=merger, month=MONTH)


@pytest.fixture
def pages(report) -> list[list[tuple[float, str]]]:
    return _pages(report)


def _pages(report) -> list[list[tuple[float, str]]]:
    """Each page's lines of text as (height on the page, text), top first."""
    content = render_pdf(report, compress=False)
    result = []
    for page in PdfReader(io.BytesIO(content)).pages:
        lines: list[tuple[float, str]] = []

        def visit(text, cm, tm, _font, _size, lines=lines):
            if text.strip():
                # The text's baseline on the page: its text matrix in the current transform.
                lines.append((round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1), text.strip()))

        page.extract_text(visitor_text=visit)
        result.append(sorted(lines, key=lambda line: -line[0]))
    return result


def _segment_pages(pages):
    """The segment pages: those after the six-C heat map's."""
    heat_map = next(i for i, page in enumerate(pages) if any("Six Cs by" in t for _y, t in page))
    return pages[heat_map + 1 :]


def test_a_segments_synergy_sits_under_its_own_heading_not_above_the_next(pages):
    """It was printed after the segment's tables, directly above the next segment's heading,
    where it read as that segment's figure."""
    placed = 0
    for page in _segment_pages(pages):
        texts = [text for _y, text in page]
        for index, text in enumerate(texts):
            if text in NAMES:
                # Heading, summary, then the synergy line, before the six Cs and tables.
                below = texts[index + 1 : index + 4]
                assert any(line.startswith(SYNERGY) for line in below), (text, below)
                placed += 1
            if text.startswith(SYNERGY):
                assert any(name in texts[max(index - 3, 0) : index] for name in NAMES), text
    assert placed == len(NAMES)


def test_each_segments_tables_are_kept_with_a_heading_naming_the_segment(report):
    """Laid out loose, a segment's last rows ran onto the next page, alone or under the next
    segment's heading."""
    kept = [
        f
        for f in BoardPack(report, pdf_fonts()).segment_pages()
        if not isinstance(f, CondPageBreak)
    ]
    assert not any(isinstance(flowable, Table) for flowable in kept)
    groups = [flowable._content for flowable in kept if isinstance(flowable, KeepTogether)]
    assert len(groups) == len(NAMES)
    for group in groups:
        assert group[0].getPlainText() in NAMES
        assert sum(isinstance(flowable, Table) for flowable in group) == 2


def test_a_segment_longer_than_a_page_names_itself_above_its_weakest_indicators(
    report, monkeypatch
):
    # As if every segment had assessments too long for one page.
    monkeypatch.setattr(segment_pages, "FRAME_HEIGHT", 10 * cm)
    for page in _segment_pages(_pages(report)):
        texts = [text for _y, text in page]
        if "Weakest indicators" in texts:
            table = texts.index("Weakest indicators")
            assert texts[table - 1] in NAMES, texts[table - 3 : table]


def test_team_names_wrap_at_spaces_and_hyphens_never_inside_a_word():
    styles = paragraph_styles(pdf_fonts())
    width = 0.34 * FRAME_WIDTH * 0.38 - 12  # a narrow team column, less the cell's padding
    name = "Predictive-maintenance specialists"
    paragraph = Paragraph(name, styles["cell"])
    paragraph.wrap(width, 1000)
    lines = [" ".join(str(word) for word in line[1]) for line in paragraph.blPara.lines]
    assert len(lines) > 1  # the name is wider than the column
    assert lines == ["Predictive-", "maintenance", "specialists"]


def test_month_labels_under_the_trend_chart_never_touch():
    months = [f"{2025 + (m + 11) // 12}-{(m + 11) % 12 + 1:02d}" for m in range(12)]
    font = pdf_fonts().regular
    drawing = trend_chart(
        months,
        [("Target", [Decimal(n) for n in range(12)]), ("Realized", [Decimal(1)] * 12)],
        font=font,
        width=FRAME_WIDTH * 0.58,
        height=240,
    )
    chart = drawing.contents[0]
    names = chart.categoryAxis.categoryNames
    slot = chart.width / len(names)
    shown = [index for index, name in enumerate(names) if name]
    assert names[-1] == "2026-11" and len(shown) >= 4
    for left, right in pairwise(shown):
        assert (right - left) * slot > stringWidth(names[left], font, 7) + 2


def test_labels_under_the_synergy_bars_wrap_rather_than_run_together():
    """In Russian "Прогноз, нижний", "Прогноз, ожидаемый", "Прогноз, верхний" ran into
    one another under the board pack's first chart."""
    font = pdf_fonts().regular
    labels = ["Цель на дату", "Реализовано", "Прогноз, нижний", "Прогноз, ожидаемый"]
    labels.append("Прогноз, верхний")
    drawing = synergy_chart(
        labels,
        [Decimal(n) for n in (5, 4, 6, 7, 8)],
        font=font,
        width=FRAME_WIDTH - 11.5 * cm,
        height=8 * cm,
    )
    chart = drawing.contents[0]
    slot = chart.width / len(labels)
    names = chart.categoryAxis.categoryNames
    assert [name.replace("\n", " ") for name in names] == labels
    for name in names:
        assert max(stringWidth(line, font, 7) for line in name.split("\n")) < slot
    assert names[1] == "Реализовано"  # one that fits stays on one line


def test_labels_that_fit_are_all_shown():
    assert spaced_labels(["a", "b", "c"], slot=50, font="Helvetica", size=7) == ["a", "b", "c"]
    assert spaced_labels(["aaaa", "bbbb", "cccc"], slot=12, font="Helvetica", size=7) == [
        "aaaa",
        "",
        "cccc",
    ]


def test_the_why_column_ends_the_explanation_before_the_weakest_indicator():
    record = {"explanation": "4/5: whitespace is 13% of revenue", "weakest": "Whitespace"}
    text = why_text({**record, "weakest_score": Decimal("3")})
    assert text == "4/5: whitespace is 13% of revenue. Weakest indicator: Whitespace, 3/5."
    ended = why_text({**record, "explanation": "Done.", "weakest_score": Decimal("3")})
    assert ended.startswith("Done. Weakest")


def test_the_c_column_of_the_weakest_indicators_fits_every_cs_name_whole(report):
    """ "Взаимодополняемость" was broken inside the word in a fixed 3.2 cm column."""
    with translation.override("ru"):
        pack = BoardPack(report, pdf_fonts())
        records = group_by_segment(report.section("indicators"))[NAMES[0]]
        weak = [{**record, "score": Decimal(1)} for record in records]
        [_spacer, table] = pack.indicator_table(weak)
        style = pack.styles["cell"]
        longest = max(stringWidth(str(label), style.fontName, 8) for _c, label in SixC.choices)
    assert table._colWidths[1] >= longest + 12
    assert sum(table._colWidths) == pytest.approx(FRAME_WIDTH)


@pytest.mark.parametrize("language", ["en", "ru", "it", "zh-hans"])
def test_the_team_tables_headings_and_amounts_fit_their_columns_whole(report, language):
    """Russian headings broke inside words ("Реализова / но"); English amounts then broke
    inside the number ("2,731,50 / 0") once the columns followed the headings."""
    with translation.override(language):
        pack = BoardPack(report, pdf_fonts())
        teams = report.section("team_attainment")
        widths = pack.header_widths(
            teams, total=FRAME_WIDTH * 0.38, least=1.6 * cm, first=2.6 * cm
        )
        head, cell = pack.styles["cell_head_small"], pack.styles["cell_number"]
        for index, column in enumerate(teams.columns[1:], start=1):
            words = [stringWidth(w, head.fontName, head.fontSize) for w in column.header.split()]
            values = [
                stringWidth(pack.value(row[index], column).text, cell.fontName, cell.fontSize)
                for row in teams.rows
            ]
            assert widths[index] >= max(words + values) + 12, column.header


@pytest.mark.parametrize(
    ("language", "written"), [("en", "1,250,000"), ("ru", "1\xa0250\xa0000"), ("it", "1.250.000")]
)
def test_the_trend_charts_amounts_are_written_in_the_packs_language(language, written):
    with translation.override(language):
        drawing = trend_chart(
            ["2026-10", "2026-11"],
            [("Target", [Decimal("1250000"), Decimal("2500000")])],
            font=pdf_fonts().regular,
            width=300,
            height=200,
        )
        chart = drawing.contents[0]
        assert chart.valueAxis.labelTextFormat(1_250_000.4) == written


@pytest.mark.parametrize(("language", "month"), [("en", "May 2026"), ("ru", "Май 2026")])
def test_the_trend_charts_months_are_named_in_the_packs_language(report, language, month):
    """The ticks read "2026-05", the rows' code, under a Russian pack's chart."""
    with translation.override(language):
        flowables = BoardPack(report, pdf_fonts()).trend_page()
    charts = [
        item
        for flowable in flowables
        for item in _drawings(flowable)
        if hasattr(item, "categoryAxis")
    ]
    names = [name for chart in charts for name in chart.categoryAxis.categoryNames if name]
    assert month in names
    assert not [name for name in names if name[:4].isdigit()]
    heading = flowables[0].text
    assert month in heading
    assert "2026-05" not in heading


def _drawings(flowable):
    """The charts a flowable holds, through the tables and groups around them."""
    if hasattr(flowable, "contents"):
        yield from flowable.contents
    for attribute in ("_content", "_cellvalues"):
        for item in getattr(flowable, attribute, None) or []:
            for inner in item if isinstance(item, list | tuple) else [item]:
                yield from _drawings(inner)
