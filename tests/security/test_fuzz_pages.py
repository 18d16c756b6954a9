"""Generated query strings for every page and generated files for every upload: no 500.

The API has schemathesis (tests/api); pages and uploads get the same treatment
here, in the ordinary suite (SQLite, and PostgreSQL in CI's PostgreSQL step,
where a NUL character or an out-of-range number reaches a real database).
Hypothesis draws query parameters from the names the views read plus random
ones, with hostile values (NUL, integers past 64 bits, year 1 and year 9999,
impossible dates and periods, control characters), and files from CSV rows
(any delimiter, a byte-order mark, NUL bytes, ragged rows) and Excel sheets.
Fixed seeds and a few examples each keep the run short and repeatable.
"""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.security.probe import client_for
from tests.security.test_access_matrix import CHECKED, EXPECTED, url_of
from tests.security.world import World, world_build

SEED = 20261206
PAGE_EXAMPLES = 2
UPLOAD_EXAMPLES = 8
fuzzing = settings(
    max_examples=PAGE_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Query parameters the pages read (filters, periods, paging, searches).
NAMES = (
    "q",
    "page",
    "month",
    "period",
    "user",
    "version",
    "teams",
    "team",
    "status",
    "preview",
    "limit",
    "kind",
    "direction",
    "by",
    "account",
    "segment",
    "company",
    "product_family",
    "sort",
    "source",
    "target",
    "relation",
    "owner",
    "stage",
    "rep",
    "year",
    "from",
    "to",
    "candidates_only",
    "scope",
)
HOSTILE = (
    "\x00",
    "a\x00b",
    "0001-01",
    "9999-12",
    "0000-00",
    "2026-13",
    "2026-Q5",
    "2026-Q0",
    "0001-Q1",
    "9999-Q4",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e400",
    "NaN",
    "inf",
    "1.5",
    "",
    " ",
    "'",
    '"',
    "<script>",
    "%",
    "\\",
    "true",
    "null",
    "[]",
    "😀",
    "\u202e",
    "x" * 3000,
)
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: f"{day:%Y-%m}"),
    st.text(max_size=12),
)
queries = st.dictionaries(
    keys=st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=6)),
    values=st.lists(values, min_size=1, max_size=2),
    max_size=4,
)
PERSONAS = ("ops", "leader", "rep")
# Asked of every page besides the generated queries: the edges that once gave 500s.
EDGES = (
    {"month": "0001-01", "period": "0001-Q1", "page": "99999999999999999999", "year": "0"},
    {"month": "9999-12", "period": "9999-Q4", "page": "-1", "from": "0001-01-01"},
    dict.fromkeys(NAMES, "99999999999999999999"),
)

PAGES = sorted(
    name
    for name, route in CHECKED.items()
    if not route.is_api and name in EXPECTED and EXPECTED[name].method == "GET"
)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(settings, tmp_path, merger, acquirer, acquired, team, rep) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_build(merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep)


@pytest.fixture
def clients(ops_user, leader_user, rep_user):
    users = {"ops": ops_user, "leader": leader_user, "rep": rep_user}
    return {persona: client_for(user) for persona, user in users.items()}


def _without_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} for {what}"


def test_every_get_page_is_fuzzed():
    assert len(PAGES) > 50, PAGES


# One test for every page, so that the program is built once (a few seconds a page).
def test_no_query_string_makes_a_page_fail(world, clients):
    for name in PAGES:
        _fuzz_page(url_of(CHECKED[name], EXPECTED[name], world), clients)


def _fuzz_page(url: str, clients: dict) -> None:
    @seed(SEED)
    @fuzzing
    @given(query=queries, persona=st.sampled_from(PERSONAS))
    @example(query=EDGES[0], persona="ops")
    @example(query=EDGES[1], persona="leader")
    @example(query=EDGES[2], persona="rep")
    def probe(query, persona):
        with transaction.atomic():
            response = clients[persona].get(url, query)
            transaction.set_rollback(True)
        _without_server_error(response, f"GET {url} {query!r} as {persona}")

    probe()


# Uploads

cells = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=15),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda day: day.isoformat()),
)
HEADERS = (
    "crm_id",
    "name",
    "website",
    "country",
    "employees",
    "is_customer",
    "code",
    "list_price",
    "account_crm_id",
    "product_code",
    "annual_revenue",
    "since",
    "rep",
    "period",
    "core",
    "cross_sell",
    "team",
    "parent",
    "leader",
    "username",
    "email",
    "month",
    "company",
    "target",
    "won",
    "lost",
)
headers = st.lists(
    st.one_of(st.sampled_from(HEADERS), st.text(max_size=8)), min_size=1, max_size=8
)


@st.composite
def csv_files(draw) -> bytes:
    header = draw(headers)
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return out.getvalue().encode(encoding, errors="replace")


def _storable(text: str) -> str:
    """Text openpyxl can write (it refuses control characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


excel_values = st.one_of(
    st.none(),
    st.text(max_size=15).map(_storable),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
)


@st.composite
def xlsx_files(draw) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([_storable(name) for name in draw(headers)])
    for row in draw(st.lists(st.lists(excel_values, max_size=9), max_size=6)):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


files = st.one_of(
    csv_files().map(lambda data: ("export.csv", data)),
    xlsx_files().map(lambda data: ("export.xlsx", data)),
    st.binary(max_size=200).map(lambda data: ("export.csv", data)),
    st.binary(max_size=200).map(lambda data: ("export.xlsx", b"PK\x03\x04" + data)),
)


def _upload_forms(world: World) -> dict[str, tuple[str, dict, tuple[str, ...]]]:
    """Each upload page: its URL, its other fields, and the names of its file fields."""
    kinds = ("accounts", "products", "install_base")
    return {
        "crm import": (
            reverse("accounts:imports"),
            {"company": world.acquirer.pk, "kind": kinds},
            ("file",),
        ),
        "quota import": (reverse("tracker:quota_import"), {}, ("file",)),
        "target import": (reverse("tracker:target_import"), {}, ("file",)),
        "core win rate import": (
            reverse("tracker:core_win_rate_import"),
            {"action": ("check", "import")},
            ("file",),
        ),
        "org import": (reverse("tracker:org_import"), {}, ("teams", "reps")),
    }


UPLOADS = ("crm import", "quota import", "target import", "core win rate import", "org import")


@pytest.mark.parametrize("upload", UPLOADS)
def test_no_generated_file_makes_an_upload_fail(upload, world, clients):
    url, fields, file_fields = _upload_forms(world)[upload]
    _fuzz_upload(url, fields, file_fields, clients["ops"])


def _fuzz_upload(url: str, fields: dict, file_fields: tuple[str, ...], client) -> None:
    @seed(SEED)
    @settings(fuzzing, max_examples=UPLOAD_EXAMPLES)
    @given(
        named_files=st.lists(files, min_size=len(file_fields), max_size=len(file_fields)),
        choices=st.fixed_dictionaries(
            {
                name: st.sampled_from(value if isinstance(value, tuple) else (value,))
                for name, value in fields.items()
            }
        ),
    )
    def probe(named_files, choices):
        data = dict(choices)
        for field, (name, content) in zip(file_fields, named_files, strict=True):
            data[field] = SimpleUploadedFile(name, content)
        with transaction.atomic():
            response = client.post(url, data)
            transaction.set_rollback(True)
        _without_server_error(response, f"POST {url} {[n for n, _c in named_files]}")

    probe()
