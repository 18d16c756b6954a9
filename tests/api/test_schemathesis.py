"""The API keeps its published contract for every role, whatever a client sends.

Schemathesis reads /api/schema/ from the application itself and generates
requests for every operation: valid ones and deliberately broken ones. Each is
sent in-process with the API token of one persona of a small demo program (or
none, or a member without a role). No answer may be a server error, every
status code and content type must be one the schema lists for the operation,
and every body must match the schema of its status code.

The schema lists the error answers of program endpoints by rule (see
accounts/api/schema.py); `test_every_documented_refusal_is_real` then asks for
each such answer on purpose, so the schema lists none the API never gives.

Bounded: a fixed seed and a few examples per operation and persona, so a run
is repeatable and takes a few minutes.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import (
    ExchangeRate,
    LegacyCompany,
    Product,
    ProgramMembership,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.services.imports import import_job_create
from config.api_urls import router
from config.wsgi import application
from core.api.schema import OBJECT_PARAMETERS, UNCHECKED_PARAMETERS
from devtools.demo.plan import DEFAULT_SEED, demo_plan
from devtools.demo.seed import demo_merger, demo_seed
from scorecards.models import ExportJob
from tracker.models import Opportunity, Rep, Stage
from tracker.services.opportunities import opportunity_create

pytestmark = [pytest.mark.fuzz]

SEED = 20260101
MAX_EXAMPLES = 6
# Today for the demo program: far enough after its Day 1 for every screen to have data.
TODAY = dt.date(2026, 11, 15)
PERSONAS = ("rep", "leader", "executive", "ops")
ROLELESS = "no-role"
ANONYMOUS = "anonymous"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MISSING_ID = 2_000_000_000
# The descriptions accounts/api/schema.py gives the answers it lists by rule.
BY_RULE = {
    "401": "Not authenticated.",
    "403": "The user's role does not allow this.",
    "400": "Invalid input, by field.",
    "404": "No such object in your programs.",
    "409": "Other records still use it.",
}

config = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)
bounded = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in schema.raw_schema["paths"].items()
    for method, operation in methods.items()
    if method in {"get", "post", "put", "patch", "delete"}
]


@pytest.fixture(autouse=True)
def _connection_kept_across_requests():
    """Requests run inside the test's transaction, as Django's test client runs them.

    A WSGI request closes the connection when it ends; inside a transaction that
    would throw away the demo program and every later request's view of it.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """The demo program, written once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_seed(plan=demo_plan(seed=DEFAULT_SEED, scale=0.02, today=TODAY), password="x")
            users = {
                user.username: user
                for user in get_user_model().objects.filter(username__in=PERSONAS)
            }
            roleless = get_user_model().objects.create_user(ROLELESS, password="x")
            ProgramMembership.objects.create(merger=demo_merger(), user=roleless)
            users[ROLELESS] = roleless
            _jobs(ops=users["ops"])
            _an_open_deal_of(users["rep"])
            yield {name: Token.objects.create(user=user).key for name, user in users.items()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _an_open_deal_of(rep_user) -> None:
    """The rep's own open opportunity, which every persona may read: a small demo may
    give the rep none."""
    merger = demo_merger()
    rep = Rep.objects.get(merger=merger, user=rep_user)
    if Opportunity.objects.filter(owner=rep, outcome="open").exists():
        return
    taken = Opportunity.objects.filter(merger=merger, outcome="open").values("account_id")
    account = (
        UnifiedAccount.objects.filter(merger=merger, recommendation="sell")
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )
    opportunity_create(
        actor=rep_user,
        merger=merger,
        account=account,
        product=Product.objects.filter(company=rep.company, is_active=True).order_by("pk").first(),
        owner=rep,
        stage=Stage.objects.filter(merger=merger, outcome="open").order_by("order").first(),
        expected_close=TODAY + dt.timedelta(days=60),
        customer_need="Fuzzing needs one open deal of the rep's own",
    )


def _jobs(*, ops) -> None:
    """An upload and an export waiting in a queue, and an exchange rate: the demo
    program, kept in one currency, has none of them."""
    merger = demo_merger()
    company = LegacyCompany.objects.filter(merger=merger).order_by("pk").first()
    upload = SimpleUploadedFile("accounts.csv", b"Account ID,Account Name\n1,Acme\n")
    import_job_create(
        merger=merger, company=company, kind="accounts", uploaded_file=upload, actor=ops
    )
    ExportJob.objects.create(merger=merger, month=TODAY.replace(day=1), format="csv")
    ExchangeRate.objects.create(
        merger=merger, currency="EUR", month=TODAY.replace(day=1), rate=Decimal("1.08")
    )


@pytest.fixture(scope="module")
def demo_ids(tokens) -> dict[str, int]:
    """One object of the demo program per API resource, and the program's own ids.

    The rep's own open opportunity and quota, so that every persona may read them.
    """
    merger = demo_merger()
    ids = {"merger": merger.pk}
    for prefix, viewset, _basename in router.registry:
        rows = viewset.queryset.model.objects.filter(
            **{getattr(viewset, "merger_lookup", "merger"): merger.pk}
        )
        if prefix == "opportunities":
            rows = rows.filter(owner__user__username="rep", outcome="open")
        elif prefix == "quotas":
            rows = rows.filter(rep__user__username="rep")
        first = rows.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            ids[prefix] = first
    cell = WhitespaceCell.objects.filter(merger=merger).order_by("pk").first()
    ids.update(segment=ids["segments"], account=cell.account_id, product=cell.product_id)
    return ids


def _point_at_demo(case, ids: dict[str, int]) -> None:
    """Valid requests name the demo program's objects; random ids would only find nothing."""
    meta = case.meta
    if "id" in (case.path_parameters or {}) and not meta.is_negative_at(ParameterLocation.PATH):
        resource = _resource(case.path)
        if resource in ids:
            case.path_parameters["id"] = ids[resource]
    if case.query and not meta.is_negative_at(ParameterLocation.QUERY):
        for name in OBJECT_PARAMETERS & set(case.query):
            case.query[name] = ids[name]
    body = case.body
    positive_body = not meta.is_negative_at(ParameterLocation.BODY)
    if isinstance(body, dict) and positive_body and "merger" in body:
        body["merger"] = ids["merger"]


def _resource(path: str) -> str:
    """/api/v1/<resource>/..."""
    return path.split("/")[3]


def _call_and_check(case, persona: str, tokens: dict[str, str], ids: dict[str, int]) -> None:
    _point_at_demo(case, ids)
    headers = {"Authorization": f"Token {tokens[persona]}"} if persona in tokens else {}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@bounded
def test_every_answer_keeps_the_published_contract(case, persona, tokens, demo_ids, db):
    _call_and_check(case, persona, tokens, demo_ids)


@pytest.mark.parametrize("persona", [ROLELESS, ANONYMOUS])
@schema.parametrize()
@settings(bounded, max_examples=2)
def test_refusals_keep_the_published_contract(case, persona, tokens, demo_ids, db):
    _call_and_check(case, persona, tokens, demo_ids)


# Every refusal the schema lists by rule, asked for on purpose


class Probe:
    """Requests for one operation, as a given persona, at the demo program's objects."""

    def __init__(self, method: str, path: str, operation: dict, tokens, ids) -> None:
        self.method, self.operation, self.tokens = method, operation, tokens
        self.url = path.replace("{id}", str(ids.get(_resource(path), MISSING_ID)))
        self.query = {
            p["name"]: ids.get(p["name"]) or _valid_value(p)
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }

    def send(self, persona: str | None, *, url=None, query=None, body=None, content_type=None):
        client = APIClient()
        if persona is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[persona]}")
        url = url or self.url
        if self.method in {"GET", "DELETE"}:
            return client.generic(self.method, url, QUERY_STRING=_encode(query or self.query))
        body = b"{" if body is None else body
        content_type = content_type or "application/json"
        url = f"{url}?{_encode(query or self.query)}"
        return client.generic(self.method, url, body, content_type=content_type)

    def first_reached(self, **request) -> int:
        """The answer to the first persona whose role lets it ask."""
        statuses = [self.send(persona, **request).status_code for persona in PERSONAS]
        return next((status for status in statuses if status != 403), 403)

    def checked_query(self) -> dict:
        parameters = self.operation.get("parameters", [])
        names = [p["name"] for p in parameters if p["in"] == "query"]
        return {name: "\x00" for name in names if name not in UNCHECKED_PARAMETERS}

    def body_content_type(self) -> str:
        return next(iter(self.operation.get("requestBody", {}).get("content", {})), "")


def _valid_value(parameter: dict):
    schema = parameter.get("schema", {})
    return (schema.get("enum") or [1])[0]


def _encode(query: dict) -> str:
    return urlencode(query)


def _documented_by_rule(operation: dict) -> list[str]:
    responses = operation["responses"]
    return [
        code
        for code, text in BY_RULE.items()
        if responses.get(code, {}).get("description") == text
    ]


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    OPERATIONS,
    ids=[f"{method} {path}" for method, path, _ in OPERATIONS],
)
def test_every_documented_refusal_is_real(method, path, operation, tokens, demo_ids, db):
    probe = Probe(method, path, operation, tokens, demo_ids)
    given = {}
    for code in _documented_by_rule(operation):
        if code == "401":
            given[code] = probe.send(None).status_code
        elif code == "403":
            given[code] = probe.send(ROLELESS).status_code
        elif code == "404":
            given[code] = probe.first_reached(**_missing(probe, path))
        elif code == "400":
            given[code] = probe.first_reached(**_invalid(probe, method))
        elif code == "409":
            given[code] = probe.send("ops").status_code
    assert given == {code: int(code) for code in given}


def _missing(probe: Probe, path: str) -> dict:
    """A request naming an object or a page that the user's programs do not have."""
    if "{id}" in path:
        return {"url": path.replace("{id}", str(MISSING_ID))}
    names = {p["name"] for p in probe.operation.get("parameters", [])}
    if "page" in names:
        return {"query": {**probe.query, "page": MISSING_ID}}
    return {"query": {**probe.query, **dict.fromkeys(OBJECT_PARAMETERS & names, MISSING_ID)}}


def _invalid(probe: Probe, method: str) -> dict:
    """A request with a NUL in every checked query parameter, or a body no parser reads."""
    if method in {"GET", "DELETE"}:
        return {"query": {**probe.query, **probe.checked_query()}}
    content_type = probe.body_content_type()
    if content_type.startswith("multipart/"):
        # A boundary that never appears: the parser gives up on the body.
        return {"body": b"no parts", "content_type": content_type}
    return {"body": b"{", "content_type": "application/json"}
