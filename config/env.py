"""Reads settings from the environment and stops start-up on a wrong value.

Every error names the variable, so that a bad deployment fails at once with a
message an operator can act on instead of somewhere deep in a request.
"""

import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def read(name: str, parse: Callable[..., Any], **kwargs: Any) -> Any:
    return _parsed(name, lambda: parse(name, **kwargs))


def _parsed(name: str, parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error
    except (ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"{name} has an invalid value: {error}") from error


def read_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def read_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from error
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def _scheme(name: str, url: str) -> str:
    # Only the scheme is ever echoed: the rest of a URL may hold a password.
    if "://" not in url:
        raise ImproperlyConfigured(f"{name} must be a URL such as scheme://host/path")
    return url.split("://", 1)[0].lower()


def read_database(name: str, default: str) -> dict[str, Any]:
    url = env.str(name, default=default).strip()
    scheme = _scheme(name, url)
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must be a sqlite:// or postgres:// URL, not a {scheme}:// one"
        )
    return _parsed(name, lambda: env.db_url_config(url))


def read_url(name: str, default: str, schemes: set[str]) -> str:
    url = env.str(name, default=default).strip()
    if url and _scheme(name, url) not in schemes:
        allowed = ", ".join(sorted(f"{s}://" for s in schemes))
        raise ImproperlyConfigured(
            f"{name} must start with one of {allowed}, not {_scheme(name, url)}://"
        )
    return url


_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
    "EMAIL_FILE_PATH": "file_path",
}


def read_mailer(name: str, default: str) -> dict[str, Any]:
    """One entry of Django's MAILERS setting from an smtp://, consolemail:// ... URL."""
    url = env.str(name, default=default).strip()
    _scheme(name, url)
    config = _parsed(name, lambda: env.email_url_config(url))
    options = {
        option: config[key]
        for key, option in _MAILER_OPTIONS.items()
        if config.get(key) not in (None, "")
    }
    if options.get("file_path") and not options["file_path"].startswith("/"):
        # filemail:///var/mail parses as a relative path.
        options["file_path"] = "/" + options["file_path"]
    return {"BACKEND": config["EMAIL_BACKEND"], "OPTIONS": options}


def read_choice(name: str, default: str, choices: set[str]) -> str:
    value = env.str(name, default=default).strip().upper() or default
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {value!r}")
    return value


def read_time_zone(name: str, default: str) -> str:
    value = env.str(name, default=default).strip() or default
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as UTC or Europe/Paris, not {value!r}"
        )
    return value


_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def read_rate(name: str, default: str) -> str:
    value = env.str(name, default=default).strip() or default
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 60/minute (per second, minute, hour or day), "
            f"not {value!r}"
        )
    return value
