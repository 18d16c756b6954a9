"""Inserts and updates of many rows at once, for imports of 100,000 rows and more.

Django's bulk_create and bulk_update build the SQL value by value (and
bulk_update a CASE per field), which dominates the time of a large import.
Here PostgreSQL gets COPY (into the table, or into a temporary table that one
UPDATE ... FROM then applies) and SQLite multi-row INSERTs and executemany.
Values are converted as the model's fields would convert them, defaults and
auto timestamps are applied, and the database still enforces every constraint.
"""

from collections.abc import Callable, Sequence
from itertools import batched
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone

BATCH = 1000

type Convert = Callable[[Any], Any]


def rows_insert(*, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Inserts rows given as {attname: value}; absent fields take their default."""
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {f.attname: _default(f, now) for f in fields}
    convert = _row_converter(fields, connection)
    values = (convert([row.get(f.attname, defaults[f.attname]) for f in fields]) for row in rows)
    table, columns = _quoted(connection, model, fields)
    # COPY goes through psycopg's own cursor: its errors are turned into Django's here.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            _copy(cursor, table, columns, values)
        else:
            placeholders = "({})".format(", ".join(["%s"] * len(fields)))
            size = max(1, min(BATCH, _max_params(connection) // len(fields)))
            for batch in batched(values, size):
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES "
                    + ", ".join([placeholders] * len(batch)),
                    [param for row in batch for param in row],
                )
    return len(rows)


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


def _copy(cursor: Any, table: str, columns: str, values: Any) -> None:
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


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
    """Drivers take text, integers and booleans as they are; the rest goes through the field."""
    plain = models.CharField | models.TextField | models.IntegerField | models.BooleanField
    converting = [
        (index, field)
        for index, field in enumerate(fields)
        if not isinstance(field, plain | models.ForeignKey)
    ]

    def convert(row: list) -> list:
        for index, field in converting:
            row[index] = field.get_db_prep_save(row[index], connection)
        return row

    return convert


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
