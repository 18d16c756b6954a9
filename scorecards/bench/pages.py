"""Server time and query count of pages, as a signed-in user of one program sees them.

Each page is requested once to warm caches (and to let a first viewer's lazy
work, such as scoring an unscored month, happen), once under query capture to
count queries, then timed: the median of the timed runs is reported. Requests
go through the whole Django stack (middleware, view, template) with DEBUG off,
as in production; only the network is missing.
"""

import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class PageTiming:
    median_ms: float | None
    queries: int | None
    status: int | None
    error: str = ""
    # CPU time of this process: on a busy machine, the part of the wall time that is ours
    # (with SQLite the database works in this process too).
    cpu_ms: float | None = None
    # The warm-up request: what a first viewer waits for while caches fill.
    first_ms: float | None = None


def page_time(*, username: str, url: str, runs: int, uncached: bool = False) -> PageTiming:
    """With `uncached`, the page's own result cache is off: every request computes."""
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    no_cache = {"DASHBOARD_CACHE_SECONDS": 0} if uncached else {}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, **no_cache):
        try:
            return _timed(client, url, runs)
        except Exception as error:  # a broken page is a result, not the end of the report
            return PageTiming(None, None, None, f"{type(error).__name__}: {error}"[:200])


def _timed(client: Client, url: str, runs: int) -> PageTiming:
    started = time.perf_counter()
    warm = client.get(url)
    first = [time.perf_counter() - started]
    if warm.status_code != 200:
        return PageTiming(None, None, warm.status_code, f"HTTP {warm.status_code}")
    # The log keeps at most 9,000 queries; a full one would count this request as none.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Counted now: the next request's start clears the log the capture reads from.
    queries = len(captured)
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return PageTiming(
        _median_ms(wall), queries, 200, cpu_ms=_median_ms(cpu), first_ms=_median_ms(first)
    )


def _median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)
