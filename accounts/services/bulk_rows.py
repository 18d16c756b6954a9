"""Inserts and updates of many rows at once, for imports of 100,000 rows and more.

Django's bulk_create and bulk_update build the SQL value by value (and
bulk_update a CASE per field), which dominates the time of a large import.
Here PostgreSQL gets COPY (into the table, or into a temporary table that one
UPDATE ... FROM then applies) and SQLite multi-row INSERTs and executemany.
Values are converted as the model's fields would convert them, defaults and
auto timestamps are applied, and the database still enforces every constraint.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC
from itertools import batched
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

BATCH = 1000

type Convert = Callable[[Any], Any]
_PLAIN = models.CharField | models.TextField | models.IntegerField | models.BooleanField


def rows_insert(*, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Inserts rows given as {attname: value}; absent fields take their default."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {f.attname: _default(f, now) for f in fields}
    names = [f.attname for f in fields]
    values = ([row.get(name, defaults[name]) for name in names] for row in rows)
    return rows_write(model=model, names=names, rows=values)


def rows_write(
    *, model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Inserts rows of values for the attnames `names`, read as they come, so that a
    million rows need not be held at once.

    The primary key may be among the names (the caller chose the ids) or not (the
    database assigns them). Fields not named take their default; auto timestamps, now.
    """
    connection = connections[router.db_for_write(model)]
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    named = [by_name[name] for name in names]
    rest = [f for f in by_name.values() if f.attname not in names and not f.primary_key]
    now = timezone.now()
    fixed = [_default(f, now) for f in rest]
    convert = _row_converter([*named, *rest], connection)
    values = (convert([*row, *fixed]) for row in rows)
    table, columns = _quoted(connection, model, [*named, *rest])
    written = 0
    # COPY goes through psycopg's own cursor: its errors are turned into Django's here.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            return _copy(cursor, table, columns, values)
        width = len(named) + len(rest)
        placeholders = "({})".format(", ".join(["%s"] * width))
        for batch in batched(values, max(1, min(BATCH, _max_params(connection) // width))):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "
                + ", ".join([placeholders] * len(batch)),
                [param for row in batch for param in row],
            )
            written += len(batch)
    return written


def rows_update(
    *,
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[tuple[int, dict[str, Any]]],
) -> int:
    """Sets the named fields of each row given as (pk, {attname: value})."""
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    convert = _row_converter(fields, connection)
    values = ([*convert([data[f.attname] for f in fields]), pk] for pk, data in rows)
    table, _columns = _quoted(connection, model, fields)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    # One transaction: the staging table lives until its commit (ON COMMIT DROP), which
    # in autocommit would come right after the CREATE.
    with (
        transaction.atomic(using=connection.alias),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
    ):
        if connection.vendor == "postgresql":
            _update_from_copy(cursor, connection, model, fields, values)
        else:
            assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"
            for batch in batched(values, BATCH):
                cursor.executemany(sql, batch)
    return len(rows)


def _copy(cursor: Any, table: str, columns: str, values: Iterable[list]) -> int:
    written = 0
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)
            written += 1
    return written


def _update_from_copy(
    cursor: Any, connection: Any, model: type[models.Model], fields: list, values: Any
) -> None:
    quote = connection.ops.quote_name
    staging = quote(f"import_update_{model._meta.db_table}")
    definitions = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    # Dropped here on success; a failed transaction's rollback removes it as well.
    cursor.execute(
        f"CREATE TEMPORARY TABLE {staging} ({definitions}, _pk bigint PRIMARY KEY) ON COMMIT DROP"
    )
    columns = ", ".join(quote(f.column) for f in fields)
    _copy(cursor, staging, f"{columns}, _pk", values)
    assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in fields)
    cursor.execute(
        f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "
        f"FROM {staging} AS s WHERE t.{quote(model._meta.pk.column)} = s._pk"
    )
    cursor.execute(f"DROP TABLE {staging}")


def _quoted(connection: Any, model: type[models.Model], fields: list) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)


def _max_params(connection: Any) -> int:
    return connection.features.max_query_params or 65535


def _default(field: models.Field, now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def _row_converter(fields: list, connection: Any) -> Callable[[list], list]:
    """Each value as its field would send it to the driver. Drivers take text, integers
    and booleans as they are; on SQLite, decimals, dates and aware datetimes take
    Django's conversion without its path, which would otherwise take most of a large
    write."""
    converting = [
        (index, _converter(field, connection))
        for index, field in enumerate(fields)
        if not isinstance(field, _PLAIN | models.ForeignKey)
    ]

    def convert(row: list) -> list:
        for index, to_db in converting:
            if row[index] is not None:
                row[index] = to_db(row[index])
        return row

    return convert


def _converter(field: models.Field, connection: Any) -> Convert:
    if connection.vendor == "sqlite" and settings.USE_TZ:
        if isinstance(field, models.DecimalField):
            return lambda value: value
        if isinstance(field, models.DateTimeField):
            return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(field, models.DateField):
            return lambda value: value.isoformat()
    return lambda value: field.get_db_prep_save(value, connection)


# Changed rows below which autovacuum's own ANALYZE is soon enough.
ANALYZE_MIN_ROWS = 1000


def tables_analyze(models_: Sequence[type[models.Model]]) -> None:
    """Fresh planner statistics for tables that just took many rows.

    Autovacuum analyses a table only some time after large writes commit; until
    then PostgreSQL plans a million-row table as if it were empty, and a query
    that takes a second can take minutes. SQLite keeps no statistics unless
    asked; there the tables are analysed whole, as the backend's `PRAGMA optimize`
    does when a connection closes (core/db/sqlite3): sampled statistics misled
    its planner as much as none.
    """
    for model in models_:
        connection = connections[router.db_for_write(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute(f"ANALYZE {table}")
