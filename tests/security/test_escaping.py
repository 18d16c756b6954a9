"""Names that carry markup are shown as text on every page, in every chart and API page.

Account, product, segment, team, rep, company and program names come from CRM
exports and forms; every one of them here is a script or an image with a
handler. Every page of the access matrix is rendered with them, by sales ops
(who see every page) and by a rep (whose own pages differ).
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from scorecards.models import ExportJob
from scorecards.services.exports import export_run
from tests.security.markup import json_script_bodies, scripts_a_browser_would_run
from tests.security.probe import client_for
from tests.security.test_access_matrix import CHECKED, EXPECTED, url_of
from tests.security.world import World, world_build

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, IMAGE)
RAW_MARKERS = ("<script>alert", "<img src=x")

GET_PAGES = sorted(
    name
    for name, rule in EXPECTED.items()
    if name in CHECKED and rule.method == "GET" and not CHECKED[name].is_api
)
GET_API = sorted(
    name
    for name, rule in EXPECTED.items()
    if name in CHECKED and rule.method == "GET" and CHECKED[name].is_api
)


def hostile(kind: str) -> str:
    """Each kind of name gets one of the payloads, the same one every time."""
    return f"{kind} {PAYLOADS[sum(map(ord, kind)) % len(PAYLOADS)]}"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(settings, tmp_path, merger, acquirer, acquired, team, rep, rep_user) -> World:
    settings.MEDIA_ROOT = tmp_path
    merger.name = f"Program {SCRIPT}"
    merger.save()
    for company, payload in ((acquirer, SCRIPT), (acquired, IMAGE)):
        company.name = f"{company.name} {payload}"
        company.save()
    team.name = f"Team {IMAGE}"
    team.save()
    rep_user.first_name, rep_user.last_name = SCRIPT, IMAGE
    rep_user.save()
    return world_build(
        merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep, name=hostile
    )


def _assert_shown_as_text(page: str, url: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in page, f"{url} shows {marker!r} unescaped"
    found = scripts_a_browser_would_run(page)
    assert not found.inline_scripts, f"{url}: {found.inline_scripts}"
    assert not found.handlers, f"{url}: {found.handlers}"
    for body in json_script_bodies(page):
        assert "<" not in body, f"{url}: a chart's JSON holds a raw '<'"


@pytest.mark.parametrize("name", GET_PAGES)
def test_pages_show_hostile_names_as_text(name, world, ops_user, rep_user):
    url = url_of(CHECKED[name], EXPECTED[name], world)
    personas = [ops_user] + ([rep_user] if EXPECTED[name].rep == "allowed" else [])
    for user in personas:
        response = client_for(user).get(url)
        assert response.status_code in (200, 302), url
        if response.get("Content-Type", "").startswith("text/html"):
            _assert_shown_as_text(response.content.decode(), url)


def test_the_hostile_names_reach_the_pages(world, ops_user):
    """Guards the test above: the names are on the pages, escaped."""
    client = client_for(ops_user)
    page = client.get(
        url_of(CHECKED["accounts:account_detail"], EXPECTED["accounts:account_detail"], world)
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img src=x" in page


def test_charts_carry_hostile_names_without_markup(world, ops_user):
    page = client_for(ops_user).get(reverse("accounts:whitespace")).content.decode()
    bodies = json_script_bodies(page)
    escaped = ("\\u003cscript\\u003e", "\\u003cimg")
    assert any(marker in body.lower() for body in bodies for marker in escaped)


@pytest.mark.parametrize("name", GET_API)
def test_the_browsable_api_shows_hostile_names_as_text(name, world, ops_user):
    url = url_of(CHECKED[name], EXPECTED[name], world)
    response = client_for(ops_user).get(url, {"merger": world.merger.pk}, HTTP_ACCEPT="text/html")
    # Some reports need more parameters; their refusal is a page too.
    assert response.status_code in (200, 400), url
    if response.get("Content-Type", "").startswith("text/html"):
        _assert_shown_as_text(response.content.decode(), url)


@pytest.mark.parametrize("name", GET_API)
def test_api_answers_are_json_not_markup(name, world, ops_user):
    url = url_of(CHECKED[name], EXPECTED[name], world)
    response = client_for(ops_user).get(url, HTTP_ACCEPT="application/json")
    content_type = response.get("Content-Type", "")
    assert not content_type.startswith("text/html"), url


def test_the_pdf_board_pack_takes_hostile_names_as_text(world, ops_user):
    job = ExportJob.objects.create(
        merger=world.merger, month=world.score.month, format="pdf", requested_by=ops_user
    )

    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.SUCCEEDED, job.message
