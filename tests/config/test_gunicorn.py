import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **variables: str) -> dict:
    for name in ("PORT", "WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_gunicorn_binds_the_platform_port_and_worker_count(monkeypatch):
    config = load(monkeypatch, PORT="9123", WEB_CONCURRENCY="3")

    assert config["bind"] == "0.0.0.0:9123"
    assert config["workers"] == 3


def test_gunicorn_defaults_to_port_8000_and_workers_per_core(monkeypatch):
    config = load(monkeypatch)

    assert config["bind"] == "0.0.0.0:8000"
    assert config["workers"] >= 3


def test_gunicorn_refuses_a_port_that_is_not_a_number(monkeypatch):
    with pytest.raises(SystemExit, match="PORT must be a whole number"):
        load(monkeypatch, PORT="http")
