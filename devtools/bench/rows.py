"""Writes many rows with the ids chosen here, so that later rows can point at them.

Model instances and bulk_create would spend most of a large build building SQL
value by value and reading ids back. Here rows are plain tuples with their
primary key: PostgreSQL gets COPY, SQLite executemany in batches, and the
database still checks every constraint. Sequences are moved past the chosen
ids afterwards, so later inserts by the application get fresh ones.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC
from itertools import batched
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max
from django.utils import timezone

BATCH = 10_000
_PLAIN = models.CharField | models.TextField | models.IntegerField | models.BooleanField


class IdRange:
    """Hands out consecutive ids above everything already in a table."""

    def __init__(self, model: type[models.Model]) -> None:
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self, count: int) -> range:
        ids = range(self.next, self.next + count)
        self.next += count
        return ids


def rows_write(*, model: type[models.Model], names: str, rows: Iterable[Sequence[Any]]) -> int:
    """Inserts rows of values for the space-separated attnames `names` (the pk among them,
    or not).

    Fields not named take their Python default (auto timestamps: now); a primary
    key not named is assigned by the database.
    """
    # The connection itself, not the thread-local proxy: it is asked once per value.
    connection = connections[DEFAULT_DB_ALIAS]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    attnames = names.split()
    named = [fields[name] for name in attnames]
    # An unnamed primary key is left to the database.
    rest = [f for name, f in fields.items() if name not in attnames and not f.primary_key]
    now = timezone.now()
    fixed = [_db_value(f, _default(f, now), connection) for f in rest]
    converting = [(i, _converter(f, connection)) for i, f in enumerate(named) if not _plain(f)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in [*named, *rest])

    def values() -> Iterable[list[Any]]:
        for row in rows:
            out = list(row)
            for index, convert in converting:
                if out[index] is not None:
                    out[index] = convert(out[index])
            out.extend(fixed)
            yield out

    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values():
                    copy.write_row(row)
                    written += 1
        else:
            marks = ", ".join(["%s"] * (len(named) + len(rest)))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for batch in batched(values(), BATCH):
                cursor.executemany(sql, batch)
                written += len(batch)
    return written


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


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """What the field would send the driver; on SQLite the common types without Django's path.

    Django hands SQLite decimals as they are, dates as ISO text and aware
    datetimes as naive UTC text; doing that directly saves most of a large build.
    """
    if connection.vendor == "sqlite" and settings.USE_TZ:
        if isinstance(field, models.DecimalField):
            return lambda value: value
        if isinstance(field, models.DateTimeField):
            return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(field, models.DateField):
            return lambda value: value.isoformat()
    return lambda value: field.get_db_prep_save(value, connection)


def _plain(field: models.Field) -> bool:
    return isinstance(field, _PLAIN | models.ForeignKey) or field.primary_key


def _default(field: models.Field, now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def _db_value(field: models.Field, value: Any, connection: Any) -> Any:
    return value if value is None or _plain(field) else field.get_db_prep_save(value, connection)
