"""Server time and query count of pages, as a signed-in user of one program sees them.

Requests go through the whole Django stack (middleware, view, template) with
DEBUG off, as in production; only the network is missing. For each page, in
the same run:

- cold: every cache off (the cache backend is a dummy one, so the dashboard's
  result cache, the whitespace aggregates' cache and any other `cache.get_or_set`
  compute on every request): what the first viewer after a data change waits
  for, and what every worker of a per-process cache pays once;
- warm: the configured cache on and filled by an earlier request;
- SQL: the statements one cold request ran, captured and run again straight
  on the database driver (no ORM, no view, no template) and timed, so that the
  page's time can be read beside the time its database work takes.

Each figure is the median of the timed runs.
"""

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

# Every cache a dummy: each request computes everything (sessions live in the DB).
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Statements re-run for the SQL time: reads. A page never writes business data; its
# session and savepoint statements are left out.
READS = ("SELECT", "WITH")


@dataclass(frozen=True)
class PageTiming:
    median_ms: float | None  # cold: every cache off
    queries: int | None
    status: int | None
    error: str = ""
    # CPU time of this process: on a busy machine, the part of the wall time that is ours
    # (with SQLite the database works in this process too).
    cpu_ms: float | None = None
    # The first request of the run, caches empty.
    first_ms: float | None = None
    warm_ms: float | None = None  # the configured cache on and filled
    sql_ms: float | None = None  # the cold request's reads, re-run raw

    @property
    def sql_ratio(self) -> float | None:
        if not self.median_ms or not self.sql_ms:
            return None
        return round(self.median_ms / self.sql_ms, 2)


@dataclass
class _Captured:
    statements: list[tuple[str, Any, bool]] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)

    @property
    def reads(self) -> list[tuple[str, Any]]:
        return [
            (sql, params)
            for sql, params, many in self.statements
            if not many and sql.lstrip().upper().startswith(READS)
        ]


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _as_deployed() -> override_settings:
    return override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"])


def page_time(*, username: str, url: str, runs: int) -> PageTiming:
    client = _signed_in(username)
    with _as_deployed():
        try:
            return _timed(client, url, runs)
        except Exception as error:  # a broken page is a result, not the end of the report
            return PageTiming(None, None, None, f"{type(error).__name__}: {error}"[:200])


def _timed(client: Client, url: str, runs: int) -> PageTiming:
    with override_settings(CACHES=NO_CACHE):
        started = time.perf_counter()
        first = client.get(url)
        first_ms = _ms(time.perf_counter() - started)
        if first.status_code != 200:
            return PageTiming(None, None, first.status_code, f"HTTP {first.status_code}")
        # As a server's request does (CONN_MAX_AGE 0), the first request's connection
        # closes: on SQLite that is when the planner statistics of the tables it read are
        # refreshed (core/db/sqlite3). The test client keeps its connection open otherwise
        # (and inside a test's transaction it must stay open).
        if not connection.in_atomic_block:
            connection.close()
        captured = _Captured()
        with connection.execute_wrapper(captured):
            client.get(url)
        cold, cpu = _runs(client, url, runs)
    sql = [_sql_seconds(captured.reads) for _ in range(runs)]
    client.get(url)  # fills the configured cache
    warm, _cpu = _runs(client, url, runs)
    return PageTiming(
        _median_ms(cold),
        len(captured.statements),
        200,
        cpu_ms=_median_ms(cpu),
        first_ms=first_ms,
        warm_ms=_median_ms(warm),
        sql_ms=_median_ms(sql),
    )


def _runs(client: Client, url: str, runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return wall, cpu


def _sql_seconds(reads: list[tuple[str, Any]]) -> float:
    """The statements on the driver's own cursor, every row fetched, nothing converted."""
    connection.ensure_connection()
    # The backend's own driver cursor: it takes Django's parameter style, without
    # Django's wrapper (no query log, no execute wrappers, no conversions).
    cursor = connection.create_cursor()
    try:
        started = time.perf_counter()
        for sql, params in reads:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
        return time.perf_counter() - started
    finally:
        cursor.close()


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _median_ms(seconds: list[float]) -> float:
    return _ms(statistics.median(seconds))


def first_request_ms(*, username: str, url_name: str) -> tuple[float | None, int | None, str]:
    """One request with the configured cache as it is: (ms, queries, error)."""
    client, captured = _signed_in(username), _Captured()
    with _as_deployed(), connection.execute_wrapper(captured):
        started = time.perf_counter()
        response = client.get(reverse(url_name))
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        return None, None, f"HTTP {response.status_code}"
    return _ms(elapsed), len(captured.statements), ""


def page_queries(*, username: str, url: str) -> tuple[int | None, int]:
    """Statements of one request with every cache off, after a first one: (count, status)."""
    client, captured = _signed_in(username), _Captured()
    with _as_deployed(), override_settings(CACHES=NO_CACHE):
        # The first request may do a first viewer's lazy work (scoring an unscored month).
        client.get(url)
        with connection.execute_wrapper(captured):
            response = client.get(url)
    if response.status_code != 200:
        return None, response.status_code
    return len(captured.statements), 200
