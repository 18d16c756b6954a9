"""An executive opens the program scorecard and downloads it as XLSX and as PDF."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories
from tests.browser.data import deal, first_of_month, monthly_targets, sales_stages
from tests.browser.helpers import expect_chart_drawn, login

pytestmark = pytest.mark.browser

PROGRAM = "Sensa + Predikt"


@pytest.fixture
def board_month(merger, acquired, rep):
    """Two segments and one cross-sell win last month against a 10,000 monthly target."""
    today = timezone.localdate()
    last_month = first_of_month(today, 1)
    merger.day_one = first_of_month(today, 6)
    merger.save(update_fields=["day_one"])
    stages = sales_stages(merger)
    analytics = factories.ProductFactory(company=acquired, name="Predictive maintenance")
    mining = factories.SegmentFactory(merger=merger, name="Mining")
    utilities = factories.SegmentFactory(merger=merger, name="Utilities")
    common = {"owner": rep, "product": analytics}
    deal(
        merger,
        account="Acme Mining",
        segment=mining,
        stage=stages["Closed won"],
        amount="40000",
        closed_on=last_month + dt.timedelta(days=9),
        **common,
    )
    deal(
        merger,
        account="Delta Water",
        segment=utilities,
        stage=stages["Proposal"],
        **common,
        amount="55000",
    )
    monthly_targets(merger, today=today, amount="10000")
    return last_month


def export(page, month: dt.date, fmt: str, tmp_path):
    """Asks for the file on the scorecard's export panel and downloads it from the job page."""
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Scorecards").click()
    panel = page.locator("section", has=page.get_by_role("heading", name="Export the scorecard"))
    panel.get_by_label("Month").fill(f"{month:%Y-%m}")
    panel.get_by_label("Format").select_option(label=fmt)
    panel.get_by_role("button", name="Export").click()

    kind = fmt.split()[0]
    expect(
        page.get_by_role("heading", name=f"Scorecard of {month:%B %Y} ({kind})")
    ).to_be_visible()
    expect(page.locator("[data-job-label]")).to_have_text("Ready")
    link = page.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    with page.expect_download() as started:
        link.click()
    download = started.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def test_an_executive_reads_the_scorecard_and_downloads_it_as_xlsx_and_pdf(
    page, executive_user, board_month, tmp_path
):
    login(page, "executive")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Scorecards").click()
    expect(page.get_by_role("heading", name="Cross-sell scorecard")).to_be_visible()
    picker = page.get_by_role("search", name="Month")
    picker.get_by_label("Month").select_option(f"{board_month:%Y-%m}")
    picker.get_by_role("button", name="Show").click()

    expect(page.locator(".page-header__meta")).to_contain_text(f"{PROGRAM} · {board_month:%B %Y}")
    facts = page.locator("section[aria-labelledby='synergy-title'] dl.facts")
    expect(facts.locator("div", has_text="Cross-sell target to date").locator("dd")).to_have_text(
        "60,000"
    )
    expect(facts.locator("div", has_text="Realized").locator("dd")).to_have_text("40,000")
    expect(facts.locator("div", has_text="Gap to target").locator("dd").first).to_have_text(
        "33.3%"
    )
    expect_chart_drawn(page, "scorecard-heatmap")
    six_cs = page.locator("section[aria-labelledby='six-c-title']")
    expect(six_cs.get_by_role("row", name=re.compile("^Mining"))).to_be_visible()
    expect(six_cs.get_by_role("row", name=re.compile("^Utilities"))).to_be_visible()

    workbook_path = export(page, board_month, "XLSX workbook", tmp_path)
    assert workbook_path.suffix == ".xlsx"
    workbook = load_workbook(workbook_path, read_only=True)
    assert PROGRAM in workbook.properties.title
    header, values = workbook["Program scorecard"].iter_rows(max_row=2, values_only=True)
    program = dict(zip(header, values, strict=True))
    assert program["Program"] == PROGRAM
    assert (program["Target to date"], program["Realized"]) == (60000, 40000)
    segments = workbook["Six Cs by segment"].iter_rows(min_row=2, max_col=1, values_only=True)
    assert sorted(name for (name,) in segments) == ["Mining", "Utilities"]
    # The executive sections come from the same row source as the PDF's pages.
    assert {"Realized against target", "Quota attainment by team", "Top wins"} <= set(
        workbook.sheetnames
    )

    pdf_path = export(page, board_month, "PDF board pack", tmp_path)
    assert pdf_path.suffix == ".pdf"
    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert PROGRAM in text
    assert f"{board_month:%B %Y}" in text
    assert "Mining" in text
    for heading in ("Realized against target", "Quota attainment by team", "Risks and asks"):
        assert heading in text
    # Each chart and table of the pack says the period it covers.
    assert f"Quota attainment by team, {board_month:%B %Y}" in " ".join(text.split())

    csv_path = export(page, board_month, "CSV table for BI tools", tmp_path)
    assert csv_path.suffix == ".csv"
    header, *rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert header[:2] == ["month", "section"] and header[-1] == "value"
    realized = {
        row[header.index("measure")]: row[header.index("value")]
        for row in rows
        if row[header.index("section")] == "program"
    }
    assert Decimal(realized["realized"]) == 40000
