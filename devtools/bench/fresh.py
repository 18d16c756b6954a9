"""A freshly created PostgreSQL database for one benchmark: no rows, no statistics.

An import measured on the benchmark's own database meets tables that the
large program filled and PostgreSQL has statistics for; a new installation
has neither, and that is where an import once took minutes instead of seconds.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def fresh_database() -> Iterator[str]:
    """Points the default connection at a new, migrated database, dropped afterwards."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        raise RuntimeError("A fresh database is created on PostgreSQL only.")
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    name = f"{original}_fresh_{os.getpid()}"
    keys = ("HOST", "PORT", "USER", "PASSWORD")
    server = {key.lower(): settings_dict.get(key) or None for key in keys}
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    connection.close()
    settings_dict["NAME"] = name
    try:
        call_command("migrate", interactive=False, verbosity=0)
        yield name
    finally:
        connection.close()
        settings_dict["NAME"] = original
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(server: dict, *statements: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        for statement in statements:
            conn.execute(statement)
