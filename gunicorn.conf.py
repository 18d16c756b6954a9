"""Production defaults for `gunicorn config.wsgi`, read from the working directory.

PORT and WEB_CONCURRENCY follow the usual platform conventions; see README.md.
"""

import os
from pathlib import Path


def _whole_number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_whole_number('PORT', 8000)}"
# Two processes per core plus one keeps a core busy while another process waits on the database.
workers = _whole_number("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
threads = _whole_number("GUNICORN_THREADS", 1)
# Exports and scorecard PDFs are the slowest pages; imports run in the worker, not here.
timeout = _whole_number("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Recycling processes now and then bounds the damage of a slow memory leak.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The TLS proxy in front sets X-Forwarded-*; only trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
if Path("/dev/shm").is_dir():
    # Heartbeat files on a RAM disk: a slow or full disk must not stall the workers.
    worker_tmp_dir = "/dev/shm"
