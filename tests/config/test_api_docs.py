"""The OpenAPI schema validates, and the docs page runs under our Content Security Policy."""

import re

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client


def test_the_schema_validates_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    text = schema.read_text()
    assert "/api/v1/opportunities/{id}/reopen/:" in text
    assert "'409':" in text


def test_the_schema_is_served(db):
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_the_docs_page_loads_every_script_from_our_own_origin(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]

    # No inline script: CSP would block it.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'href="([^"]+)"', html)
    assert len(sources) >= 5
    for url in sources:
        assert url.startswith("/"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url


def test_the_docs_start_up_script_is_javascript_from_our_origin(db):
    html = Client().get("/api/docs/").content.decode()
    [script_url] = [u for u in re.findall(r'<script src="([^"]+)"', html) if "script" in u]
    response = Client().get(script_url.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content
    assert b"/api/schema/" in response.content
