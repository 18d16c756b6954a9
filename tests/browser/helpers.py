"""What every journey does in the browser: log in, wait for charts."""

import re
from typing import Any

from playwright.sync_api import expect

# tests.factories.UserFactory gives every user this password.
PASSWORD = "pw"
CHART_TIMEOUT_MS = 20_000


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Through the real login page, as a person would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".user-badge__name")).to_have_text(username)


def expect_chart_drawn(page: Any, chart_id: str) -> Any:
    """Plotly has drawn the chart: its SVG is in the container, the fallback text gone."""
    container = page.locator(f"#{chart_id}")
    expect(container.locator("svg.main-svg").first).to_be_visible(timeout=CHART_TIMEOUT_MS)
    expect(container).to_have_class(re.compile(r"(^|\s)js-plotly-plot(\s|$)"))
    expect(container.locator(".chart__fallback")).to_have_count(0)
    return container
