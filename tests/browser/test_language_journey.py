"""An executive whose browser speaks Russian reads the scorecard and exports the board pack,
then switches to Chinese and exports it again: pages, files and fonts follow the language."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import PASSWORD, expect_chart_drawn
from tests.browser.test_scorecard_export_journey import board_month  # noqa: F401 (fixture)

# The board month of the export journey: two segments, a win and monthly targets.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("board_month")]


def words(language: str, *english: str) -> list[str]:
    with translation.override(language):
        return [gettext(text) for text in english]


def sign_in(page) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill("executive")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator(".auth-card button[type=submit]").click()
    expect(page.locator(".user-badge__name")).to_have_text("executive")


def export_pdf(page, language: str, tmp_path):
    scorecards, panel_title, export, ready, download = words(
        language, "Scorecards", "Export the scorecard", "Export", "Ready", "Download"
    )
    page.locator(".site-nav").get_by_role("link", name=scorecards).click()
    panel = page.locator("section", has=page.get_by_role("heading", name=panel_title))
    panel.locator("select[name=format]").select_option("pdf")
    panel.get_by_role("button", name=export, exact=True).click()
    expect(page.locator("[data-job-label]")).to_have_text(ready)
    with page.expect_download() as started:
        page.get_by_role("link", name=download).click()
    path = tmp_path / f"{language}-{started.value.suggested_filename}"
    started.value.save_as(path)
    return PdfReader(path)


def test_a_russian_executive_reads_and_exports_in_russian_then_switches_to_chinese(
    browser,
    live_server,
    executive_user,
    tmp_path,
):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("response", lambda r: errors.append(r.url) if r.status >= 500 else None)

    page.goto("/login/")
    [log_in] = words("ru", "Log in")
    expect(page.get_by_role("heading", name=log_in)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    sign_in(page)

    scorecards, heading = words("ru", "Scorecards", "Cross-sell scorecard")
    page.locator(".site-nav").get_by_role("link", name=scorecards).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect_chart_drawn(page, "scorecard-heatmap")
    # Amounts as Russian groups them: 40 000, not 40,000.
    expect(page.locator("section[aria-labelledby='synergy-title'] dl.facts")).to_contain_text(
        re.compile("40\u00a0000|40 000")
    )

    pack = export_pdf(page, "ru", tmp_path)
    text = " ".join(p.extract_text() for p in pack.pages)
    [program_scorecard] = words("ru", "Program scorecard")
    assert program_scorecard != "Program scorecard" and program_scorecard in text

    page.locator("#language-switcher-select").select_option("zh-hans")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    pack = export_pdf(page, "zh-hans", tmp_path)
    text = " ".join(p.extract_text() for p in pack.pages)
    [program_scorecard] = words("zh-hans", "Program scorecard")
    assert program_scorecard in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for p in pack.pages
        for font in (p["/Resources"].get("/Font") or {}).values()
    }
    assert any("WenQuanYiMicroHei" in name for name in fonts)

    context.close()
    assert not errors
