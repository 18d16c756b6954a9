"""Fault tests: real worker processes, a Redis of their own, connections cut on purpose.

They need PostgreSQL (a worker process must share the test database, which
SQLite in memory cannot) and Redis (CELERY_BROKER_URL); the PostgreSQL + Redis
step of .ci/run has both. Each test's database is transactional, so that the
worker, on its own connection, sees what the test committed.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# A database of the broker's Redis that nothing else uses: the tests empty it.
FAULTS_REDIS_DB = 9
WAIT_SECONDS = 60


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: worker, broker and database faults (PostgreSQL and Redis)"
    )


def _skip_reason() -> str:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "fault tests need PostgreSQL: set DATABASE_URL=postgres://..."
    if not BROKER_URL.startswith("redis"):
        return "fault tests need Redis: set CELERY_BROKER_URL=redis://..."
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    for item in items:
        if "tests/faults/" not in item.nodeid:
            continue
        item.add_marker(pytest.mark.faults)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


# The test database, as a URL another process can use


def database_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def sql(statement: str, *args) -> list[tuple]:
    """Runs SQL on a connection of its own, outside the test's."""
    url = database_url().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, args)
        return cursor.fetchall() if cursor.description else []


def writing_backends() -> list[int]:
    """Other sessions of the test database in a transaction that has written rows
    and waits, uncommitted: a worker paused mid-import."""
    rows = sql(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
        "AND state = 'idle in transaction'"
    )
    return [pid for (pid,) in rows]


def wait_for(what: str, check: Callable[[], object], seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# Brokers


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


@contextmanager
def broker_for_this_process(url: str) -> Iterator[None]:
    """Sends this process's tasks to `url` (Celery reads CELERY_BROKER_URL before its conf)."""
    conf = celery_app.conf
    before = os.environ.get("CELERY_BROKER_URL"), conf.broker_url, conf.result_backend

    def forget_connections() -> None:
        # Pools are kept per broker URL; the app only has to look them up again.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.__dict__.pop("backend", None)
        celery_app._local.__dict__.pop("backend", None)

    forget_connections()
    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url = conf.result_backend = url
    try:
        yield
    finally:
        forget_connections()
        env, conf.broker_url, conf.result_backend = before
        if env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = env


@pytest.fixture
def faults_broker() -> Iterator[str]:
    """A Redis database of the CI broker, emptied, and this process sending to it."""
    url = _with_db(BROKER_URL, FAULTS_REDIS_DB)
    redis.Redis.from_url(url).flushdb()
    with broker_for_this_process(url):
        yield url
    redis.Redis.from_url(url).flushdb()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, with an append-only file, so it can be restarted."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--save", "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for("redis-server", self.answers, 10)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)  # writes the append-only file, then exits
        self.process.wait(timeout=10)
        self.process = None

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def queued(self) -> int:
        return redis.Redis(port=self.port).llen("celery")


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


# Worker processes


class Worker:
    """`celery worker` in a process of its own, on the test database."""

    def __init__(self, broker: str, log: Path, env: dict[str, str]) -> None:
        self.broker, self.log, self.env = broker, log, env
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker,
            "CELERY_RESULT_BACKEND": self.broker,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **self.env,
        }
        name = f"faults-{uuid.uuid4().hex[:8]}@%h"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    CELERY, "-A", "tests.faults.worker_app", "worker",
                    "--pool", "solo", "--concurrency", "1", "-n", name,
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "--loglevel", "INFO",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for("the worker to start", lambda: " ready." in self.output())
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, its database session dies with it."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def workers(tmp_path) -> Iterator[Callable[..., Worker]]:
    """Starts workers for a test and stops whatever is left of them after it."""
    started: list[Worker] = []

    def start(broker: str, **env: str) -> Worker:
        worker = Worker(broker, tmp_path / f"worker-{len(started)}.log", env)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()
        # Shown by pytest when the test fails.
        print(f"--- {worker.log.name} ---\n{worker.output()[-6000:]}")


@pytest.fixture
def media(settings, tmp_path):
    """Uploads and exports in a folder the worker processes are told about."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
