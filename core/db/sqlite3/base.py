"""Django's SQLite backend, keeping the query planner's statistics fresh.

SQLite keeps no table statistics unless asked. Without them it plans a table of
200,000 deals as if it had a handful of rows: the supervision page read every
deal of the program and took 2.4 s instead of 0.1 s. Deals and other records are
written one at a time by users, so no bulk write is there to refresh the
statistics afterwards (see `tables_analyze` for those). SQLite's own advice for
short-lived connections is to run `PRAGMA optimize` just before closing each
one: it analyses only the tables this connection's queries used whose
statistics are missing or far off, and is a no-op otherwise.

Analysed whole, not sampled: sampled statistics (`analysis_limit`) guessed about
a thousand deals per program where there were 200,000, and the plans stayed
as bad as with none. A whole ANALYZE of 400,000 deals takes about half a second,
of 3.7 million whitespace cells about 1.5 s, after the response has gone.
"""

from django.db.backends.sqlite3 import base

# `PRAGMA optimize` flags: 0x02 analyses the tables that might benefit; without 0x10,
# newer SQLite versions do not cap the rows read (the default mask samples them).
OPTIMIZE = "PRAGMA optimize=0x02"


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self) -> None:
        if self.connection is not None and not self.in_atomic_block:
            try:
                # Never wait for another writer: the page is done, the statistics can wait.
                self.connection.execute("PRAGMA busy_timeout=0")
                self.connection.execute("PRAGMA analysis_limit=0")
                self.connection.execute(OPTIMIZE)
            except base.Database.Error:
                # Busy or read-only: the next connection's close tries again.
                pass
        super()._close()
