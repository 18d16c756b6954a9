"""Database functions the ORM lacks, written with each backend's native SQL.

Django's TruncMonth runs a Python function per row on SQLite; over the 200k
opportunities of a large program that alone costs a dashboard its budget.
"""

from django.db.models import DateField, FloatField, Func


class MonthStart(Func):
    """The first day of a date's month, as a date."""

    arity = 1
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            # As a timestamp without time zone: the session's zone must not move the day.
            template="CAST(DATE_TRUNC('month', CAST(%(expressions)s AS timestamp)) AS date)",
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s, 'start of month')"
        )


class DaysBetween(Func):
    """Whole days from the date of a timestamp to a later date, as a number.

    The timestamp's date is taken in UTC, the zone the database session runs in.
    """

    arity = 2
    output_field = FloatField()

    def __init__(self, *, start: str, end: str, **extra) -> None:
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"({end[0]} - CAST({start[0]} AS date))", (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"(julianday({end[0]}) - julianday(date({start[0]})))", (*end[1], *start[1])
