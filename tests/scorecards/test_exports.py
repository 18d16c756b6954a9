"""The three renderings of a scorecard report, opened and read back."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from scorecards.exports.cells import export_filename, neutralise, typed_value
from scorecards.exports.csv import render_csv
from scorecards.exports.fonts import pdf_fonts
from scorecards.exports.pdf import render_pdf
from scorecards.exports.xlsx import render_xlsx
from scorecards.selectors.report import Column, ColumnType, scorecard_report
from tests.scorecards.export_program import MONTH, scored_program

HOSTILE = '=HYPERLINK("http://evil.example","Click")'
NAMES = [
    "Food & beverage",
    HOSTILE,
    "-5 Retail",
    "@Utilities",
    "Москва Телеком",
    "北京 Industrial",
]
PLAIN_NAMES = ["Food & beverage", "-5 Retail", "@Utilities"]


@pytest.fixture
def report(merger, rep):
    scored_program(merger, rep, NAMES)
    return scorecard_report(merger=merger, month=MONTH)


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_gets_an_apostrophe(trigger):
    assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"


def test_numbers_are_never_neutralised_even_when_negative():
    change = Column("change", "Change", ColumnType.SCORE)
    assert typed_value(Decimal("-0.5"), change) == Decimal("-0.50")
    assert typed_value("-0.5", Column("note", "Note")) == "'-0.5"


def test_filename_names_the_program_and_the_month(report):
    assert export_filename(report, "xlsx") == "sensa-predikt-scorecard-2026-05.xlsx"
    assert export_filename(report, "pdf").endswith("-2026-05.pdf")


# CSV


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _long(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def test_csv_is_one_long_tidy_table_holding_every_section(report):
    rows = _csv_rows(render_csv(report))

    assert rows[0] == [
        "month", "section", "section_title", "row", "subject",
        "measure", "measure_label", "type", "unit", "value",
    ]  # fmt: skip
    assert {len(row) for row in rows} == {10}
    values = _long(rows)
    assert {v["section"] for v in values} == {
        section.key for section in report.sections if section.rows
    }
    six_cs = [v for v in values if v["section"] == "six_cs" and v["measure"] == "composite"]
    assert len(six_cs) == len(NAMES)
    assert "Москва Телеком" in {v["subject"] for v in six_cs}
    assert {v["month"] for v in values} == {"2026-05-01"}


def test_csv_neutralises_formulas_and_keeps_numbers_plain(report):
    rows = _csv_rows(render_csv(report))

    cells = [cell for row in rows for cell in row]
    assert f"'{HOSTILE}" in cells
    assert "'-5 Retail" in cells and "'@Utilities" in cells
    assert not [cell for cell in cells if cell[:1] in {"=", "@", "+"}]
    values = _long(rows)
    food = next(
        v
        for v in values
        if (v["section"], v["subject"], v["measure"]) == ("six_cs", "Food & beverage", "composite")
    )
    assert Decimal(food["value"]) >= 1 and food["unit"] == "score 1-5"
    month = next(v for v in values if (v["section"], v["measure"]) == ("program", "month"))
    assert (month["subject"], month["value"]) == ("Sensa + Predikt", "2026-05-01")
    realized = next(v for v in values if (v["section"], v["measure"]) == ("program", "realized"))
    assert realized["unit"] == report.currency


# XLSX


def test_xlsx_has_one_sheet_per_section_with_a_frozen_bold_header(report):
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))

    assert workbook.sheetnames == [section.title for section in report.sections]
    assert "Sensa + Predikt" in workbook.properties.title
    for section, sheet in zip(report.sections, workbook.worksheets, strict=True):
        assert sheet.freeze_panes == "A2"
        header = [cell.value for cell in sheet[1]]
        assert header == [column.header for column in section.columns]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.max_row == len(section.rows) + 1
        assert sheet.column_dimensions["A"].width >= 8


def test_xlsx_numbers_are_numeric_cells_with_formats(report):
    sheet = load_workbook(io.BytesIO(render_xlsx(report)))["Program scorecard"]
    cells = {header.value: cell for header, cell in zip(sheet[1], sheet[2], strict=True)}

    realized = cells["Realized"]
    assert realized.data_type == "n"
    assert isinstance(realized.value, int | float)
    assert realized.number_format == "#,##0.00"
    assert cells["Gap to target"].number_format == "0.0%"
    # Six segments won 48,000 against 40,000 due: ahead of target.
    assert cells["Gap to target"].value == pytest.approx(-0.2)
    assert cells["Months since Day 1"].value == 5
    assert cells["Month"].is_date

    six_cs = load_workbook(io.BytesIO(render_xlsx(report)))["Six Cs by segment"]
    assert six_cs["B2"].data_type == "n" and six_cs["B2"].number_format == "0.00"


def test_xlsx_neutralises_formulas(report):
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]

    assert not [cell for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert f"'{HOSTILE}" in texts
    assert "'-5 Retail" in texts
    assert "北京 Industrial" in texts


# PDF


def test_pdf_board_pack_names_program_segments_and_cs(report):
    content = render_pdf(report, compress=False)

    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    for text in ["Sensa + Predikt", "Six Cs by segment", "Program scorecard", "May 2026"]:
        assert text.encode() in content
    for name in PLAIN_NAMES:
        assert name.encode() in content
    for label in ["Complementarity", "Connection", "Commitment", "Weakest indicators"]:
        assert label.encode() in content
    pages = int(re.search(rb"/Count (\d+)", content).group(1))
    # Cover, two program pages, the heat map and one page per segment.
    assert pages >= 4 + len(NAMES)
    assert b"Page 2" in content


def test_pdf_sets_cyrillic_and_chinese_names_in_fonts_that_have_them(report):
    content = render_pdf(report, compress=False)

    assert pdf_fonts().regular != "Helvetica"  # DejaVu and WenQuanYi Micro Hei ship with the app
    assert b"DejaVuSans" in content
    # 北京 is set in the embedded Chinese font, not left to the viewer.
    assert b"WenQuanYiMicroHei" in content
    assert b"STSong-Light" not in content


def test_chinese_pack_is_set_in_the_embedded_chinese_font_and_stays_small(report):
    with translation.override("zh-hans"):
        content = render_pdf(report)
        assert pdf_fonts().regular == "WenQuanYiMicroHei"

    assert b"WenQuanYiMicroHei" in content
    # Subset on embedding: the 1.3 MB font adds only the glyphs the pack uses.
    assert len(content) < 400_000
    # Digits and Latin letters drawn straight on the page (page numbers, chart axes)
    # have glyphs too, not only the Chinese.
    with translation.override("zh-hans"):
        page_two = gettext("Page %(number)d") % {"number": 2}
    second = PdfReader(io.BytesIO(content)).pages[1].extract_text()
    assert page_two in second and "\x00" not in second


def test_compressed_pdf_is_a_pdf_too(report):
    content = render_pdf(report)
    assert content.startswith(b"%PDF-")
    assert len(content) < len(render_pdf(report, compress=False))


def test_a_c_without_data_reads_not_scored_in_every_format(report):
    # Connection has no data in this program: a blank score cell, never a 1.
    content = render_pdf(report, compress=False)
    assert b"not scored" in content
    assert b"Weakest indicator:" in content
    text = render_csv(report).decode("utf-8-sig")
    assert ",not scored" in text
    assert "import CRM accounts with their relationship data" in text
