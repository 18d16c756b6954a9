"""Ids chosen before the rows are written, so that later rows can point at them.

The rows go through the imports' bulk writer (accounts.services.bulk_rows), as
plain tuples with their primary key: no model instance, no ids read back.
Sequences are moved past the chosen ids afterwards, so that later inserts by the
application get fresh ones.
"""

from collections.abc import Sequence

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max


class IdRange:
    """Hands out consecutive ids above everything already in a table."""

    def __init__(self, model: type[models.Model]) -> None:
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self, count: int) -> range:
        ids = range(self.next, self.next + count)
        self.next += count
        return ids


def sequences_reset(models_: Sequence[type[models.Model]]) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids did not move."""
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def tables_vacuum(models_: Sequence[type[models.Model]]) -> None:
    """Visibility maps and statistics as autovacuum leaves them some time after a build.

    Without a vacuum no page of a freshly written table is marked all-visible,
    so PostgreSQL cannot answer from a covering index alone and reads the
    table; a server with autovacuum off would keep measuring that state. Runs
    outside a transaction only (VACUUM refuses one), and on PostgreSQL only.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
