"""A wrong environment value stops start-up with a message that names the variable.

Every case is a `manage.py check` in its own interpreter. They are all started
together on first use: each spends most of its time importing, so running
them side by side keeps this module from dominating the suite's time.
"""

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = {
    "ALLOWED_HOSTS",
    "API_THROTTLE_ANON",
    "API_THROTTLE_TOKEN",
    "API_THROTTLE_USER",
    "BEHIND_TLS_PROXY",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "CELERY_QUEUE",
    "CELERY_RESULT_BACKEND",
    "CELERY_VISIBILITY_TIMEOUT",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DEVTOOLS",
    "EMAIL_URL",
    "IMPORT_MAX_UPLOAD_MB",
    "JOB_STALLED_AFTER_MINUTES",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_FAILURE_WINDOW_MINUTES",
    "LOGIN_LOCKOUT_MINUTES",
    "SECRET_KEY",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_AGE",
    "SITE_URL",
    "TIME_ZONE",
}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.com",
}
PASSWORD = "s3cret-password"
DEVTOOLS_INSTALLED = (
    "from django.apps import apps; print('devtools', apps.is_installed('devtools'))"
)

BAD_VALUES = {
    "unsupported-database": (
        {"DATABASE_URL": "mysql://x"},
        "DATABASE_URL must be a sqlite:// or postgres:// URL",
    ),
    "database-not-a-url": ({"DATABASE_URL": "garbage"}, "DATABASE_URL must be a URL"),
    "debug-not-a-boolean": ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    "production-without-secret-key": (
        {"DEBUG": "false", "ALLOWED_HOSTS": "example.com"},
        "SECRET_KEY must be set",
    ),
    "production-without-allowed-hosts": (
        {"DEBUG": "false", "SECRET_KEY": "x" * 60},
        "ALLOWED_HOSTS must be set",
    ),
    "unsupported-broker": (
        {"CELERY_BROKER_URL": "ftp://x"},
        "CELERY_BROKER_URL must start with one of",
    ),
    "unsupported-result-backend": (
        {"CELERY_RESULT_BACKEND": "ftp://x"},
        "CELERY_RESULT_BACKEND must start with one of",
    ),
    "unknown-email-scheme": ({"EMAIL_URL": "bogus://x"}, "EMAIL_URL"),
    "site-url-not-a-url": ({"SITE_URL": "crosssell.example.com"}, "SITE_URL must be a URL"),
    "site-url-not-http": ({"SITE_URL": "ftp://example.com"}, "SITE_URL must start with"),
    "unknown-cache-scheme": ({"CACHE_URL": "bogus://x"}, "CACHE_URL"),
    "upload-limit-not-a-number": (
        {"IMPORT_MAX_UPLOAD_MB": "abc"},
        "IMPORT_MAX_UPLOAD_MB must be a whole number",
    ),
    "negative-connection-age": ({"CONN_MAX_AGE": "-1"}, "CONN_MAX_AGE must be at least 0"),
    "zero-visibility-timeout": (
        {"CELERY_VISIBILITY_TIMEOUT": "0"},
        "CELERY_VISIBILITY_TIMEOUT must be at least 1",
    ),
    "login-limit-zero": ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT must be at least 1"),
    "unknown-time-zone": ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone"),
    "unknown-log-level": ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of"),
    "unknown-log-format": ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of"),
    "throttle-not-a-rate": ({"API_THROTTLE_USER": "lots"}, "API_THROTTLE_USER must be a rate"),
}
RUNS = {
    **{name: (["check"], variables) for name, (variables, _) in BAD_VALUES.items()},
    "url-with-password": (["check"], {"CELERY_BROKER_URL": f"ftp://user:{PASSWORD}@host/0"}),
    "development": (["check", "--fail-level", "WARNING"], {}),
    "production": (["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION),
    "development-apps": (["shell", "--no-imports", "-c", DEVTOOLS_INSTALLED], {}),
    "production-apps": (["shell", "--no-imports", "-c", DEVTOOLS_INSTALLED], PRODUCTION),
    "production-asking-for-devtools": (
        ["shell", "--no-imports", "-c", DEVTOOLS_INSTALLED],
        {**PRODUCTION, "DEVTOOLS": "true"},
    ),
}


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def _start(args: list[str], variables: dict[str, str]) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(variables)
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    started = {name: _start(args, variables) for name, (args, variables) in RUNS.items()}
    finished = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        finished[name] = Outcome(process.returncode, stdout, stderr)
    return finished


@pytest.mark.parametrize("case", BAD_VALUES)
def test_a_bad_value_stops_start_up_naming_the_variable(outcomes, case):
    outcome = outcomes[case]
    expected = BAD_VALUES[case][1]

    assert outcome.returncode != 0
    assert "ImproperlyConfigured" in outcome.stderr
    assert expected in outcome.stderr


def test_a_bad_url_is_reported_without_its_password(outcomes):
    outcome = outcomes["url-with-password"]

    assert outcome.returncode != 0
    assert "CELERY_BROKER_URL" in outcome.stderr
    assert PASSWORD not in outcome.stderr


def test_development_defaults_pass_the_checks(outcomes):
    outcome = outcomes["development"]

    assert outcome.returncode == 0, outcome.stderr


def test_documented_production_variables_pass_the_deployment_checks(outcomes):
    outcome = outcomes["production"]

    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "no issues" in outcome.stdout


@pytest.mark.parametrize(
    ("case", "installed"),
    [
        ("development-apps", True),
        ("production-apps", False),
        ("production-asking-for-devtools", True),
    ],
)
def test_the_development_tools_are_installed_only_outside_production(outcomes, case, installed):
    outcome = outcomes[case]

    assert outcome.returncode == 0, outcome.stderr
    assert f"devtools {installed}" in outcome.stdout
