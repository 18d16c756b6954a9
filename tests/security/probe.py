"""Send one request as one persona and say what it amounted to: allowed, forbidden, not found.

Each request runs in a savepoint that is rolled back, so that a write one
persona is allowed (a delete, a confirm) never changes what the next one meets.
"""

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client

ALLOWED = "allowed"
FORBIDDEN = "forbidden"
NOT_FOUND = "not found"

# Reached the view: a page, a redirect after a write, or a refusal of the (empty) input.
REACHED = {200, 201, 202, 204, 302, 303, 400, 409}


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict | None = None) -> HttpResponse:
    with transaction.atomic():
        if method in ("PUT", "PATCH"):
            body = json.dumps(data or {})
            response = client.generic(method, url, body, content_type="application/json")
        elif method == "POST":
            response = client.post(url, data or {})
        else:
            response = client.generic(method, url)
        transaction.set_rollback(True)
    return response


def is_login_redirect(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(
        f"{resolve_url(settings.LOGIN_URL)}?next="
    )


def outcome(response: HttpResponse, *, api: bool) -> str:
    """What the response means, or a description of an unexpected one."""
    status = response.status_code
    if is_login_redirect(response) or status == 403 or (api and status == 401):
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status in REACHED:
        return ALLOWED
    return f"unexpected {status}"
