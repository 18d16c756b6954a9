"""Every main page, as every role, at 1280 and 1440 px: nothing sticks out, no table clips.

A small demo program (the seed's names, segments and products, a twentieth of its
volume) gives the pages realistic text: long account and segment names, a dozen
numeric columns, thirty products. On each page the layout check below runs in the
browser: the page must not scroll sideways, no element may stick out of its
parent, and at 1440 px no table may need sideways scrolling inside its card. The
whitespace grid is the one table meant to scroll (thirty to sixty product
columns, with a sticky header and account column); it says so with `data-wide`.
Tables in a closed "View data" disclosure are not drawn and are not checked.
"""

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from accounts.views.product_map import RESOURCE as PRODUCT_MAP_RESOURCE
from core.access import Action, allowed
from devtools.demo.plan import DEFAULT_SEED, demo_plan
from devtools.demo.seed import demo_seed
from tests.browser.conftest import SCREENSHOTS, journey_times
from tests.browser.helpers import PASSWORD, expect_chart_drawn, login

pytestmark = pytest.mark.browser

# Narrow first: charts drawn at 1280 px fit a wider page while they redraw.
WIDTHS = (1280, 1440)
# Whoever the role, these pages are linked from the sections or a section's sub-navigation.
# Path: the resource whose view rule opens it (core.access.RULES).
EXTRA_PAGES = {
    "/": "merger",
    "/overlap/": "account",
    "/product-map/": PRODUCT_MAP_RESOURCE,
    "/pipeline/supervision/": "supervision",
    "/pipeline/wins/": "opportunity",
}
ROLES = ("rep", "leader", "leader.elena.ward", "executive", "ops")

LAYOUT_PROBLEMS_JS = """
(strict) => {
  const problems = [];
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 50);
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${classes} "${text}"`;
  };
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px in ${doc.clientWidth} px`);
  }
  const hidden = (el) => el.closest('details:not([open]), [hidden], .visually-hidden') !== null;
  if (strict) {
    for (const wrap of document.querySelectorAll('main .table-wrap')) {
      if (hidden(wrap) || wrap.closest('[data-wide]')) continue;
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        const what = describe(wrap.querySelector('caption') || wrap);
        problems.push(
          `a table needs sideways scrolling (${wrap.scrollWidth} px in ${wrap.clientWidth} px): `
            + what
        );
      }
    }
  }
  // Inside a .table-wrap the card scrolls; a chart's SVG is Plotly's to lay out.
  const skip = '.table-wrap, .chart__plot, svg, script, style, select, [data-wide]';
  const closed = 'details:not([open]) > :not(summary), [hidden]';
  const visit = (parent) => {
    const style = getComputedStyle(parent);
    const clips = style.overflowX !== 'visible';
    const inline = ['inline', 'contents'].includes(style.display);
    const outer = parent.getBoundingClientRect();
    for (const el of parent.children) {
      if (problems.length > 10) return;
      if (el.matches(skip) || el.matches(closed)) continue;
      const box = el.getBoundingClientRect();
      const past = Math.max(box.right - outer.right, outer.left - box.left);
      if (!clips && !inline && box.width && box.height && past > 1) {
        const by = Math.round(past);
        problems.push(`${describe(el)} sticks out of ${describe(parent)} by ${by} px`);
      }
      visit(el);
    }
  };
  visit(document.querySelector('main'));
  return problems;
}
"""


@pytest.fixture
def demo_program(transactional_db) -> None:
    """The demo program at a twentieth of its volume, its logins' password the tests' one."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_seed(
            plan=demo_plan(seed=DEFAULT_SEED, scale=0.05, today=timezone.localdate()),
            password=PASSWORD,
        )


def _problems(page: Any, *, strict: bool) -> list[str]:
    return page.evaluate(LAYOUT_PROBLEMS_JS, strict)


def _pages_of(page: Any, username: str) -> list[str]:
    """The sections this role sees, the other pages its rules open, and one account's page.

    A page the role may not open is not opened, so that the browser logs no error for it;
    the access matrix tests say who sees what.
    """
    nav = page.locator("nav.site-nav a")
    paths = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
    user = get_user_model().objects.get(username=username)
    extra = [path for path, rule in EXTRA_PAGES.items() if allowed(user, Action.VIEW, rule)]
    page.goto("/accounts/")
    account = page.locator("main table a[href^='/accounts/']").first
    return [*dict.fromkeys([*paths, *extra, account.get_attribute("href")])]


def _shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"layout_{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path))
    return path


def _check_the_check(page: Any) -> None:
    """The check finds an element and a table made too wide on purpose (else it proves nothing)."""
    page.evaluate(
        """() => {
          const wide = document.createElement('div');
          wide.style.width = '4000px';
          wide.textContent = 'too wide';
          document.querySelector('main').appendChild(wide);
          const wrap = document.createElement('div');
          wrap.className = 'table-wrap';
          wrap.innerHTML = '<table class="table"><caption>Wide table</caption>'
            + '<tr><td style="min-width: 3000px">cell</td></tr></table>';
          document.querySelector('main').appendChild(wrap);
        }"""
    )
    found = " | ".join(_problems(page, strict=True))
    assert "too wide" in found
    assert "the page scrolls sideways" in found
    assert "Wide table" in found
    assert _problems(page, strict=False) != []


def test_every_main_page_fits_at_1280_and_1440_px_for_every_role(page, demo_program):
    started = time.monotonic()
    failures: list[str] = []
    visited = 0
    shot: set[str] = set()
    for role in ROLES:
        page.context.clear_cookies()
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        login(page, role, PASSWORD)
        for path in _pages_of(page, role):
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(path)
            assert response is not None and response.ok, f"{role} {path}: {response}"
            visited += 1
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                problems = _problems(page, strict=width >= 1440)
                name = f"{role}_{width}_{path.strip('/').replace('/', '_') or 'home'}"
                if problems:
                    failures.append(f"{name} ({_shot(page, name)}): " + "; ".join(problems))
                elif width == WIDTHS[-1] and path not in shot:
                    shot.add(path)  # one picture of each page, at 1440 px
                    _shot(page, name)
    journey_times.append(
        f"layout of {visited} pages x {len(WIDTHS)} widths: {time.monotonic() - started:.1f} s"
    )
    assert visited >= 40
    assert not failures, "\n".join(failures)
    _check_the_check(page)


# Each chart drawn whole: its titles, tick and radar labels inside the chart, its legend
# clear of the modebar and of the axis text, and a bar chart's bars at least 14 px each.
CHART_PROBLEMS_JS = """
() => {
  const problems = [];
  const crosses = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    const texts = plot.querySelectorAll(
      '.g-xtitle text, .g-ytitle text, .g-y2title text, .angularaxistick text, .legendtext');
    for (const text of texts) {
      const box = text.getBoundingClientRect();
      if (box.top < svg.top - 1 || box.bottom > svg.bottom + 1
          || box.left < svg.left - 1 || box.right > svg.right + 1) {
        problems.push(`${plot.id}: "${text.textContent.slice(0, 40)}" is cut at the edge`);
      }
    }
    const entries = [...plot.querySelectorAll('.legend .traces')];
    const modebar = plot.querySelector('.modebar');
    const axisText = plot.querySelectorAll('.g-xtitle text, .g-ytitle text, .xtick text');
    for (const entry of entries) {
      const box = entry.getBoundingClientRect();
      if (modebar && crosses(box, modebar.getBoundingClientRect())) {
        problems.push(`${plot.id}: a legend entry runs under the toolbar`);
      }
      for (const text of axisText) {
        if (crosses(box, text.getBoundingClientRect())) {
          problems.push(`${plot.id}: the legend covers "${text.textContent.slice(0, 30)}"`);
        }
      }
    }
    const bars = plot.querySelectorAll('.barlayer .point').length / plot.data.length;
    const area = plot.querySelector('.nsewdrag');
    const high = area ? area.getBoundingClientRect().height : Infinity;
    const horizontal = bars && plot.data[0].orientation === 'h';
    if (high < 120 || (horizontal && high < 14 * bars)) {
      problems.push(`${plot.id}: a plot ${Math.round(high)} px high for ${bars} bars`);
    }
  }
  for (const heading of document.querySelectorAll('main h3')) {
    const before = heading.previousElementSibling;
    if (before && before.matches('.table-wrap, .chart')) {
      const gap = heading.getBoundingClientRect().top - before.getBoundingClientRect().bottom;
      if (gap < 16) problems.push(`"${heading.textContent.trim()}" is ${gap} px under the table`);
    }
  }
  return problems;
}
"""


def test_charts_fit_their_russian_labels_and_legends(page, demo_program):
    """Russian titles and labels are the longest: cut titles, a radar label past the edge,
    a legend under the toolbar or over an axis title, squeezed bars were seen there."""
    login(page, "executive", PASSWORD)
    page.select_option("#language-switcher-select", "ru")
    page.locator("form.language-switcher button").click()
    page.wait_for_load_state("networkidle")
    failures = []
    for path in ("/dashboards/", "/overlap/", "/scorecards/"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            page.wait_for_load_state("networkidle")
            for chart in page.locator(".chart__plot").all():
                expect_chart_drawn(page, chart.get_attribute("id"))
            time.sleep(1)  # the charts' fitting pass redraws what it had to make room for
            problems = page.evaluate(CHART_PROBLEMS_JS)
            if problems:
                name = f"charts_{width}_{path.strip('/')}"
                failures.append(f"{name} ({_shot(page, name)}): " + "; ".join(problems))
    assert not failures, "\n".join(failures)


def test_the_russian_payout_table_fits_its_card(page, demo_program):
    """Its President's Club badges ("План по кросс-продажам не выполнен") on one line
    pushed the compensation table past its card at 1280 and at 1440 px."""
    login(page, "ops", PASSWORD)
    page.select_option("#language-switcher-select", "ru")
    page.locator("form.language-switcher button").click()
    page.wait_for_load_state("networkidle")
    # Last month is over: its badges say "not met" in full, as a running month's do not.
    ended = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    url = f"/compensation/?period={ended}"
    page.goto(url)
    assert "План по кросс-продажам не выполнен" in page.locator("main table").inner_text()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert _problems(page, strict=True) == [], width
