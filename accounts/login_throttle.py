"""Repeated failed sign-ins lock out the username, and the address they came from, for a while.

Every password check of the project goes through `ThrottledModelBackend`: the
login page, the API token endpoint and the admin's login. After
LOGIN_FAILURE_LIMIT failures for one username within
LOGIN_FAILURE_WINDOW_MINUTES, that username is refused for
LOGIN_LOCKOUT_MINUTES, even with the right password, so that guessing cannot
go on at speed. An address gets ADDRESS_FACTOR times as many failures before
it is locked: a whole office signs in from one address, while one address
trying many usernames is password spraying. A successful sign-in clears the
username's count; the address keeps its count, or one valid account would let
an attacker reset it between guesses.

Counts live in the default cache, so all web processes share them only when
CACHE_URL points at a shared cache (Redis) in production.
"""

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import ngettext

from core.events import event_log

ADDRESS_FACTOR = 4
_PREFIX = "login-throttle"


def client_address(request: Any) -> str:
    """The client's address; behind the TLS proxy, the one the proxy says it served.

    Only the last X-Forwarded-For entry is the proxy's own word; earlier ones
    come from the client and can be anything.
    """
    meta = getattr(request, "META", {}) if request is not None else {}
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return meta.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, what: str, value: str) -> str:
    # Hashed: usernames are user input, and cache backends limit key characters.
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]
    return f"{_PREFIX}:{kind}:{what}:{digest}"


def _limits() -> dict[str, int]:
    limit = settings.LOGIN_FAILURE_LIMIT
    return {"username": limit, "address": limit * ADDRESS_FACTOR}


def login_lockout_seconds(*, username: str, address: str) -> int:
    """Seconds until the username or the address may try again; 0 when neither is locked."""
    now = time.time()
    until = [
        cache.get(_key("lock", "username", username)) if username else None,
        cache.get(_key("lock", "address", address)),
    ]
    return max((int(value - now) + 1 for value in until if value and value > now), default=0)


def login_failure_record(*, username: str, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_MINUTES * 60
    lockout = settings.LOGIN_LOCKOUT_MINUTES * 60
    for what, value in (("username", username), ("address", address)):
        if not value:
            continue
        counter = _key("count", what, value)
        cache.add(counter, 0, timeout=window)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=window)
            count = 1
        if count >= _limits()[what]:
            cache.set(_key("lock", what, value), time.time() + lockout, timeout=lockout)
            cache.delete(counter)
            event_log(
                "login.locked",
                level=logging.WARNING,
                by=what,
                subject=value,
                failures=count,
                minutes=settings.LOGIN_LOCKOUT_MINUTES,
            )


def login_failures_reset(*, username: str) -> None:
    cache.delete_many([_key("count", "username", username), _key("lock", "username", username)])


def lockout_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's password check, refused while locked; counts failures and clears on success."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username if username is not None else kwargs.get("username", "")
        name = name or ""
        address = client_address(request)
        if login_lockout_seconds(username=name, address=address):
            # Stops every backend: not even the right password opens a locked account.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=name, address=address)
        else:
            login_failures_reset(username=name)
        return user
