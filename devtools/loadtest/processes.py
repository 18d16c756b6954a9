"""The processes of a load test: a fresh database, gunicorn, a Celery worker and locust."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_SECONDS = 60
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def database_recreate(*, server: str, name: str) -> None:
    """Drops and creates `name` on the PostgreSQL server at `server` (a postgres:// URL)."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(*, server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def queue_delete(*, broker: str, queue: str) -> None:
    """Removes what is left of the run's own queue (nothing, unless the run broke off)."""
    redis.Redis.from_url(broker).delete(queue)


def static_files_stale() -> bool:
    """Whether pages with DEBUG off need `collectstatic` first (it takes a minute).

    The manifest must be newer than every file of the project's static folder.
    """
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(
        path.stat().st_mtime > built
        for folder in settings.STATICFILES_DIRS
        for path in Path(folder).rglob("*")
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(args: list[str], env: dict[str, str]) -> None:
    """Runs a management command in the load test's settings; its output only if it fails."""
    # seed_demo and the check are development tools, which production settings leave out.
    env = {**env, "DEVTOOLS": "true"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def gunicorn_start(*, env: dict[str, str], port: int, workers: int, log: Path):
    return start(
        [str(BIN / "gunicorn"), "config.wsgi"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)},
        log,
    )


def worker_start(*, env: dict[str, str], log: Path) -> subprocess.Popen:
    return start(
        [
            str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        ],
        env,
        log,
    )  # fmt: skip


def wait_until_ready(*, port: int, worker_log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if _answers(f"http://127.0.0.1:{port}/health/") and " ready." in _text(worker_log):
            return
        time.sleep(0.5)
    raise RuntimeError("gunicorn or the worker did not start; see their logs")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _text(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def locust_run(
    *, env: dict[str, str], host: str, users: int, spawn_rate: int, seconds: int, stats: Path
) -> int:
    """Runs locust headless to the end; its exit code (non-zero on any failed request)."""
    args = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE),
        "--headless", "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{seconds}s", "--stop-timeout", "30", "--host", host,
        # locust adds the .json itself.
        "--json-file", str(stats.with_suffix("")), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process group (gunicorn's workers, the worker's pool), then wait."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
