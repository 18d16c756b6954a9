"""Liveness and readiness for load balancers and uptime monitors.

Answers without a login and never echoes a URL, host or message from a failed
check: a failure is named by its exception class only, because driver messages
can carry credentials.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

OK = "ok"
NOT_CONFIGURED = "not configured"
TIMEOUT_SECONDS = 2


def _failure(error: Exception) -> str:
    return f"error: {type(error).__name__}"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not ready", whatever the driver
        return _failure(error)
    return OK


def broker_status() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return NOT_CONFIGURED
    options = {"socket_connect_timeout": TIMEOUT_SECONDS, "socket_timeout": TIMEOUT_SECONDS}
    try:
        with Connection(url, connect_timeout=TIMEOUT_SECONDS, transport_options=options) as conn:
            conn.ensure_connection(max_retries=0)
    except Exception as error:  # any failure means "not ready", whatever the transport
        return _failure(error)
    return OK


@never_cache
@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
