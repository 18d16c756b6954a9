"""Real Chromium for the journeys that matter, against Django's live test server.

The whole directory skips itself when no Chromium is installed (Debian's
`chromium` package, or CHROMIUM_PATH), so `make test` stays meaningful on a
machine without one. A journey fails on any JavaScript console error, uncaught
exception or server error, and leaves a full-page screenshot behind when it
fails.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from core.access import GROUP_NAMES

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a 2-core machine that also runs the live server in-process.
TIMEOUT_MS = 15_000

_saved_screenshots: list[Path] = []
# "<journey>: <seconds> s" lines that timed journeys report, printed at the end of the run.
journey_times: list[str] = []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per journey module (about a second to start).

    Not per session: while Playwright runs, its event loop is running in this
    thread, and tests collected after the journeys must not find it there.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser journeys need Chromium at {CHROMIUM} "
            "(apt-get install chromium, or set CHROMIUM_PATH)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop running in this thread; the
        # test's own database writes are plain synchronous code all the same.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def _role_groups(browser, transactional_db) -> None:
    """The data migration's role groups, which an earlier flush may have emptied.

    Asks for the browser first, so that without Chromium a test skips before
    it touches the database.
    """
    for name in GROUP_NAMES.values():
        Group.objects.get_or_create(name=name)


@pytest.fixture(autouse=True)
def _uploads_and_exports_in_tmp(settings, tmp_path) -> None:
    # The live server runs in this process, so it stores files where the test says.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def page(browser, live_server, request) -> Iterator[Any]:
    """A fresh browser context per test, failing it on any console error."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1366, "height": 900},
        locale="en-GB",
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text} ({_where(message)})")
            if message.type == "error"
            else None
        ),
    )
    tab.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    tab.on(
        "response",
        lambda response: (
            problems.append(f"server error {response.status} on {response.url}")
            if response.status >= 500
            else None
        ),
    )
    yield tab
    if problems and not tab.is_closed():
        _screenshot(tab, request.node.name)
    context.close()
    if problems:
        pytest.fail("the browser reported errors:\n" + "\n".join(problems), pytrace=False)


def _where(message: Any) -> str:
    location = message.location or {}
    return f"{location.get('url', '?')}:{location.get('lineNumber', '?')}"


def _screenshot(tab: Any, test_name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test_name)}.png"
    tab.screenshot(path=str(path), full_page=True)
    _saved_screenshots.append(path)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    tab = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.failed and report.when == "call" and tab is not None and not tab.is_closed():
        try:
            path = _screenshot(tab, item.name)
        except Exception as error:  # a crashed page must not hide the test's own failure
            report.sections.append(("screenshot", f"could not be saved: {error}"))
        else:
            report.sections.append(("screenshot", str(path)))
    return report


def pytest_terminal_summary(terminalreporter) -> None:
    if journey_times:
        terminalreporter.section("timed journeys")
        for line in journey_times:
            terminalreporter.write_line(line)
    if _saved_screenshots:
        terminalreporter.section("browser screenshots")
        for path in _saved_screenshots:
            terminalreporter.write_line(f"saved {path}")
