import os
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://:s3cret-password@127.0.0.1:1/0"


def test_health_answers_without_a_login_when_no_broker_is_configured(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured"}


def test_health_is_never_cached(client):
    response = client.get(reverse("health"))

    assert "no-cache" in response["Cache-Control"]


def test_unreachable_broker_makes_health_fail_without_leaking_its_url(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    assert "s3cret" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_database_failure_makes_health_fail(client, settings):
    settings.CELERY_BROKER_URL = ""
    failing = mock.MagicMock(side_effect=OperationalError("password=hunter2 refused"))

    with mock.patch("config.health.connection.cursor", failing):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
    assert "hunter2" not in response.content.decode()


@pytest.mark.broker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL not set")
def test_health_reports_a_reachable_broker(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
