"""Django's SQLite backend, keeping the query planner's statistics fresh.

SQLite keeps no table statistics unless asked. Without them it plans a table of
200,000 deals as if it had a handful of rows, and a page that takes 60 ms can
take over a second. Deals and other records are written one at a time by
users, so no bulk write is there to refresh the statistics afterwards (see
`tables_analyze` for those). SQLite's own advice for short-lived connections is
to run `PRAGMA optimize` just before closing each one: it analyses only the
tables this connection's queries used whose statistics are missing or far off,
and is a no-op otherwise. `analysis_limit` bounds the rows it reads per index.
"""

from django.db.backends.sqlite3 import base

# Rows read per index by an ANALYZE that `PRAGMA optimize` runs (SQLite's advice:
# 100 to 1,000; more gives the planner truer figures on skewed tables).
ANALYSIS_LIMIT = 1000


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self) -> None:
        if self.connection is not None and not self.in_atomic_block:
            try:
                # Never wait for another writer: the page is done, the statistics can wait.
                self.connection.execute("PRAGMA busy_timeout=0")
                self.connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
            except base.Database.Error:
                # Busy or read-only: the next connection's close tries again.
                pass
        super()._close()
