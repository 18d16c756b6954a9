"""The SQLite backend leaves the planner statistics of the tables it used behind it."""

import sqlite3
import time

import pytest
from django.conf import settings

from core.db.sqlite3.base import DatabaseWrapper


def _database(path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE deal (id INTEGER PRIMARY KEY, owner INTEGER, updated INTEGER)")
    raw.execute("CREATE INDEX deal_owner ON deal (owner)")
    raw.executemany(
        "INSERT INTO deal (owner, updated) VALUES (?, ?)", [(i % 50, i) for i in range(5000)]
    )
    raw.commit()
    raw.close()


def _statistics(path) -> list[tuple[str, str, str]]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall()
    except sqlite3.OperationalError:  # no statistics table: nothing was ever analysed
        return []
    finally:
        raw.close()


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    # These tests open their own file databases, not the test database.
    with django_db_blocker.unblock():
        yield


def _wrapper(path) -> DatabaseWrapper:
    return DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="stats")


def _one_owners_deals_read(path) -> DatabaseWrapper:
    """A connection to a new program file that has read one owner's deals, by its index."""
    _database(path)
    database = _wrapper(path)
    with database.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM deal WHERE owner = 3")
    return database


def test_closing_a_connection_analyses_the_tables_its_queries_used(tmp_path):
    path = tmp_path / "program.sqlite3"
    database = _one_owners_deals_read(path)
    assert _statistics(path) == []
    database.close()
    [(table, index, stat)] = _statistics(path)
    assert (table, index) == ("deal", "deal_owner")
    # Analysed whole, not sampled: 5,000 rows, 100 per owner.
    assert stat == "5000 100"


def test_a_connection_that_read_nothing_leaves_no_statistics(tmp_path):
    path = tmp_path / "program.sqlite3"
    _database(path)
    database = _wrapper(path)
    database.ensure_connection()
    database.close()
    assert _statistics(path) == []


def test_a_locked_database_neither_fails_nor_holds_up_closing(tmp_path):
    path = tmp_path / "program.sqlite3"
    database = _one_owners_deals_read(path)
    writer = sqlite3.connect(path)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        database.close()
        # The optimize gives way at once instead of waiting out the busy timeout.
        assert time.monotonic() - started < 1
    finally:
        writer.rollback()
        writer.close()
    assert database.connection is None
    assert _statistics(path) == []


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite settings"
)
def test_sqlite_settings_use_this_backend():
    assert settings.DATABASES["default"]["ENGINE"] == "core.db.sqlite3"
