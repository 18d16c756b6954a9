"""Who gets what from every page and endpoint, generated from the URL configuration.

EXPECTED is the one table of the expected answer of every named URL to each
persona: allowed (the view answered), forbidden (a login redirect or 401 when
anonymous, else 403) or not found (404: an object of another program). A URL
pattern without a row fails, so a new endpoint cannot ship without a rule.
Detail URLs are filled with primary keys of one fixture program; the outsider,
a member of another program, is sent the same keys.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse

from accounts.selectors.people import set_password_path
from core.access import RULES, Role
from core.api.permissions import METHOD_ACTIONS, ProgramAccess
from tests.security.probe import ALLOWED, FORBIDDEN, NOT_FOUND, client_for, outcome, send
from tests.security.routes import Route, project_routes
from tests.security.world import World, world_build

A, F, N = ALLOWED, FORBIDDEN, NOT_FOUND
PERSONAS = ("anonymous", "rep", "leader", "executive", "ops", "outsider")
PERSONA_ROLES = {
    "rep": Role.REP,
    "leader": Role.LEADER,
    "executive": Role.EXECUTIVE,
    "ops": Role.OPS,
    "outsider": Role.REP,
}

# Patterns left out of the matrix, with the reason.
EXCEPTIONS: dict[str, str] = {
    "admin": "Django's admin: staff only, by its own permission system (tests/test_admin.py).",
    "api:schema": "The OpenAPI description: no program data (tests/config/test_api_docs.py).",
    "api:docs": "The API's documentation page: no program data (tests/config/test_api_docs.py).",
}


@dataclass(frozen=True)
class Rule:
    """The expected outcome per persona; anonymous users are refused unless said otherwise.

    `obj` names the World attribute whose pk fills <pk>; `kwargs` (or a function
    of the World giving them) fills the rest; `method` is the one the view answers
    (POST-only views are probed by POST).
    """

    rep: str
    leader: str
    executive: str
    ops: str
    outsider: str
    anonymous: str = F
    method: str = "GET"
    obj: str = ""
    kwargs: dict[str, str] | Callable[[World], dict[str, str]] = field(default_factory=dict)
    data: Callable[[World], dict] | None = None

    def expected(self, persona: str) -> str:
        return getattr(self, persona)


def public(method: str = "GET") -> Rule:
    return Rule(A, A, A, A, A, anonymous=A, method=method)


def everyone(obj: str = "", **extra: Any) -> Rule:
    """Every role of the program; an object of it is not found for the outsider."""
    return Rule(A, A, A, A, N if obj else A, obj=obj, **extra)


def ops_only(obj: str = "", **extra: Any) -> Rule:
    return Rule(F, F, F, A, F, obj=obj, **extra)


def leaders(obj: str = "", **extra: Any) -> Rule:
    """Sales leaders and sales ops."""
    return Rule(F, A, F, A, F, obj=obj, **extra)


def overseers(obj: str = "", **extra: Any) -> Rule:
    """Leaders, executives and ops: reading the team's pipeline and plans."""
    return Rule(F, A, A, A, F, obj=obj, **extra)


def exporters(obj: str = "", **extra: Any) -> Rule:
    return Rule(F, A, A, A, F, obj=obj, **extra)


def matchers_view(obj: str = "", **extra: Any) -> Rule:
    """The match queue: sales ops, and executives who read it."""
    return Rule(F, F, A, A, F, obj=obj, **extra)


def target_setters(obj: str = "", **extra: Any) -> Rule:
    """Synergy targets: sales ops enters them, executives own them."""
    return Rule(F, F, A, A, F, obj=obj, **extra)


def anyone(outcome: str, **extra: Any) -> Rule:
    """The same answer to everyone, signed in or not."""
    return Rule(outcome, outcome, outcome, outcome, outcome, anonymous=outcome, **extra)


def set_password_link(world: World) -> dict[str, str]:
    return resolve(set_password_path(user=world.invitee)).kwargs


def sellers(obj: str = "", **extra: Any) -> Rule:
    """Reps (their own deals), leaders (their teams') and ops; executives read only."""
    return Rule(A, A, F, A, N if obj else A, obj=obj, **extra)


EXPECTED: dict[str, Rule] = {
    # Sign-in and operations.
    "login": public(),
    "logout": public("POST"),
    "health": public(),
    "language_switch": anyone(A, method="POST", data=lambda w: {"language": "it"}),
    # Program and accounts.
    "accounts:home": everyone(),
    "accounts:program_switch": everyone(
        method="POST", obj="merger", data=lambda w: {"merger": w.merger.pk}
    ),
    # Program setup: sales ops (and administrators) create and change programs.
    "accounts:program_create": ops_only(),
    "accounts:program_settings": ops_only(),
    "accounts:company_create": ops_only(),
    "accounts:company_update": ops_only("acquirer"),
    "accounts:company_delete": ops_only("acquired", method="POST"),
    # A person's one-time link: valid, it opens for whoever holds it; broken, for nobody.
    "accounts:set_password": anyone(A, kwargs=set_password_link),
    "accounts:account_list": everyone(),
    "accounts:account_detail": everyone("account"),
    "accounts:whitespace": everyone(),
    "accounts:overlap": everyone(),
    "accounts:product_map": everyone(),
    "accounts:product_mapping_create": ops_only(),
    "accounts:product_mapping_update": ops_only("mapping"),
    "accounts:product_mapping_delete": ops_only("mapping", method="POST"),
    # Risk screen and segments: read by everyone, set by sales ops.
    "accounts:risk_policy": everyone(),
    "accounts:segments": everyone(),
    "accounts:segment_setting_create": ops_only(kwargs={"kind": "region"}),
    "accounts:segment_setting_update": ops_only("region", kwargs={"kind": "region"}),
    "accounts:segment_setting_delete": ops_only(
        "region", method="POST", kwargs={"kind": "region"}
    ),
    "accounts:account_segment": ops_only(
        "account", method="POST", data=lambda w: {"segment": w.segment.pk}
    ),
    # Matching.
    "accounts:match_review": matchers_view(),
    "accounts:match_candidate": matchers_view("candidate"),
    "accounts:match_candidate_confirm": ops_only("candidate", method="POST"),
    "accounts:match_candidate_reject": ops_only("candidate", method="POST"),
    "accounts:match_candidates_reject": ops_only(method="POST"),
    "accounts:match_candidates_confirm": ops_only(method="POST"),
    "accounts:match_account": matchers_view("account"),
    "accounts:match_account_merge": ops_only(
        "account", method="POST", data=lambda w: {"absorb": w.other_account.pk}
    ),
    "accounts:match_source_split": ops_only("source", method="POST"),
    # Imports.
    "accounts:imports": ops_only(),
    "accounts:import_template": ops_only(kwargs={"kind": "accounts"}),
    "accounts:import_detail": ops_only("import_job"),
    "accounts:import_mapping": ops_only("import_job", method="POST"),
    "accounts:import_start": ops_only("import_job", method="POST"),
    "accounts:import_status": ops_only("import_job"),
    "accounts:import_errors": ops_only("import_job"),
    # Pipeline.
    "tracker:pipeline": everyone(),
    "tracker:rep_home": everyone(),
    "tracker:rep_home_seen": everyone(method="POST"),
    "tracker:pipeline_board": everyone(),
    # A closed month of the fixture program: not one of the outsider's program.
    "tracker:pipeline_frozen": Rule(A, A, A, A, N, kwargs={"month": "2026-03"}),
    "tracker:opportunity_create": sellers(),
    "tracker:pipeline_bulk": leaders(method="POST"),
    "accounts:activity": overseers(),
    "tracker:supervision": overseers(),
    "tracker:wins": everyone(),
    "tracker:opportunity_detail": everyone("opportunity"),
    "tracker:opportunity_edit": sellers("opportunity"),
    "tracker:opportunity_stage": sellers("opportunity", method="POST"),
    "tracker:opportunity_reopen": sellers("opportunity", method="POST"),
    "tracker:opportunity_credits": everyone("opportunity"),
    # Quotas and compensation.
    "tracker:quotas": everyone(),
    "tracker:quota_import": ops_only(),
    "tracker:quota_template": ops_only(),
    "tracker:quota_history": everyone("quota"),
    "tracker:credited_deals": everyone("rep"),
    "tracker:credited_deals_team": Rule(F, A, A, A, N, obj="team"),
    "tracker:compensation": everyone(),
    "tracker:comp_plan_create": ops_only(),
    "tracker:comp_plan_edit": ops_only("comp_plan"),
    "tracker:core_win_rates": everyone(),
    "tracker:core_win_rate_delete": ops_only("core_win_rate", method="POST"),
    "tracker:core_win_rate_import": ops_only(),
    "tracker:core_win_rate_template": ops_only(),
    "tracker:exchange_rates": everyone(),
    # Setup: people, the sales organisation, stages, certifications and targets.
    "tracker:setup": ops_only(),
    "tracker:people": ops_only(),
    "tracker:person_create": ops_only(),
    "tracker:person_add": ops_only(method="POST"),
    "tracker:person_update": ops_only("person"),
    "tracker:person_invite": ops_only("person"),
    "tracker:person_remove": ops_only("person", method="POST"),
    "tracker:org_import": ops_only(),
    "tracker:org_template": ops_only(kwargs={"kind": "teams"}),
    "tracker:teams": everyone(),
    "tracker:team_create": ops_only(),
    "tracker:team_update": ops_only("team"),
    "tracker:team_delete": ops_only("team", method="POST"),
    "tracker:reps": everyone(),
    "tracker:rep_create": ops_only(),
    "tracker:rep_update": ops_only("rep"),
    "tracker:certifications": everyone(),
    "tracker:certification_delete": ops_only("certification", method="POST"),
    "tracker:stages": everyone(),
    "tracker:stage_create": ops_only(),
    "tracker:stage_update": ops_only("stage"),
    "tracker:stage_delete": ops_only("stage", method="POST"),
    "tracker:targets": everyone(),
    "tracker:target_import": target_setters(),
    "tracker:target_template": target_setters(),
    # Scorecards and dashboards.
    "scorecards:scorecard": everyone(),
    "scorecards:scorecard_recompute": leaders(method="POST"),
    "scorecards:segment": everyone("segment"),
    "scorecards:segment_c": everyone("segment", kwargs={"c": "commitment"}),
    "scorecards:dashboard": everyone(),
    # A rep's own team: only where the program shares team figures (HIERARCHY below).
    "scorecards:team_dashboard": Rule(F, A, A, A, N, obj="team"),
    "scorecards:rep_dashboard": everyone("rep"),
    "scorecards:my_dashboard": everyone(),
    "scorecards:restatements": everyone(),
    "scorecards:exports": exporters(),
    "scorecards:export_detail": exporters("export_job"),
    "scorecards:export_status": exporters("export_job"),
    "scorecards:export_download": exporters("export_job"),
    # API: sign-in and the root.
    "api:token": public("POST"),
    "api:api-root": everyone(),
    # API: reference data.
    "api:merger-list": everyone(),
    "api:merger-detail": everyone("merger"),
    "api:company-list": everyone(),
    "api:company-detail": everyone("acquirer"),
    "api:segment-list": everyone(),
    "api:segment-detail": everyone("segment"),
    "api:account-list": everyone(),
    "api:account-detail": everyone("account"),
    "api:product-list": everyone(),
    "api:product-detail": everyone("product"),
    # API: analysis.
    "api:overlap-list": everyone(),
    "api:overlap-accounts": everyone(),
    "api:product-map-list": everyone(),
    "api:product-map-evidence": everyone(),
    "api:product-map-suggestions": everyone(),
    "api:product-map-detail": everyone("mapping"),
    "api:whitespace-list": everyone(),
    "api:whitespace-prefill": everyone(),
    "api:whitespace-totals": everyone(),
    "api:whitespace-detail": everyone("whitespace"),
    "api:risk-detail": everyone("account"),
    # API: matching and imports.
    "api:match-candidate-list": matchers_view(),
    "api:match-candidate-detail": matchers_view("candidate"),
    "api:match-candidate-confirm": ops_only("candidate", method="POST"),
    "api:match-candidate-reject": ops_only("candidate", method="POST"),
    "api:match-decision-list": matchers_view(),
    "api:match-decision-detail": matchers_view("decision"),
    "api:match-decision-merge": ops_only(method="POST"),
    "api:match-decision-split": ops_only(method="POST"),
    "api:source-account-list": everyone(),
    "api:source-account-detail": everyone("source"),
    "api:holding-list": everyone(),
    "api:holding-detail": everyone("holding"),
    "api:risk-policy-detail": everyone("merger"),
    "api:program-review-list": everyone(),
    "api:program-review-detail": everyone("review"),
    "api:scoring-policy-detail": everyone("merger"),
    "api:setup-detail": ops_only("merger"),
    "api:import-list": ops_only(),
    "api:import-detail": ops_only("import_job"),
    "api:import-mapping": ops_only("import_job", method="POST"),
    "api:import-problems": ops_only("import_job"),
    "api:import-start": ops_only("import_job", method="POST"),
    # API: pipeline.
    "api:opportunity-list": everyone(),
    "api:opportunity-bulk": leaders(method="POST"),
    "api:opportunity-detail": everyone("opportunity"),
    "api:opportunity-history": everyone("opportunity"),
    "api:opportunity-reopen": sellers("opportunity", method="POST"),
    "api:opportunity-credits": everyone("opportunity"),
    "api:pipeline-metrics-list": everyone(),
    "api:win-list": everyone(),
    "api:history-list": overseers(),
    "api:supervision-list": overseers(),
    "api:snapshot-list": everyone(),
    "api:snapshot-detail": everyone("snapshot"),
    # API: quotas and compensation.
    "api:quota-list": everyone(),
    "api:quota-detail": everyone("quota"),
    "api:quota-history": everyone("quota"),
    "api:quota-import-file": ops_only(method="POST"),
    "api:comp-plan-list": overseers(),
    "api:comp-plan-detail": overseers("comp_plan"),
    "api:payout-list": everyone(),
    "api:core-win-rate-list": everyone(),
    "api:core-win-rate-detail": everyone("core_win_rate"),
    "api:core-win-rate-import-file": ops_only(method="POST"),
    "api:exchange-rate-list": everyone(),
    "api:exchange-rate-detail": everyone("exchange_rate"),
    "api:exchange-rate-import-file": ops_only(method="POST"),
    # API: setup.
    "api:person-list": ops_only(),
    "api:person-detail": ops_only("membership"),
    "api:person-invite": ops_only("membership", method="POST"),
    "api:team-list": everyone(),
    "api:team-detail": everyone("team"),
    "api:rep-list": everyone(),
    "api:rep-detail": everyone("rep"),
    "api:stage-list": everyone(),
    "api:stage-detail": everyone("stage"),
    "api:certification-list": everyone(),
    "api:certification-detail": everyone("certification"),
    "api:synergy-target-list": everyone(),
    "api:synergy-target-detail": everyone("target"),
    "api:synergy-target-history": everyone(),
    "api:synergy-target-import-file": target_setters(method="POST"),
    # API: scores and dashboards.
    "api:score-list": everyone(),
    "api:score-detail": everyone("score"),
    "api:indicator-list": everyone(),
    "api:indicator-detail": everyone("indicator"),
    "api:segment-score-list": everyone(),
    "api:segment-score-detail": everyone("segment_score"),
    "api:assessment-list": everyone(),
    "api:assessment-detail": everyone("assessment"),
    "api:program-scorecard-list": everyone(),
    "api:six-c-list": everyone(),
    "api:dashboard-list": everyone(),
    # API: exports.
    "api:export-list": exporters(),
    "api:export-detail": exporters("export_job"),
    "api:export-download": exporters("export_job"),
}

ROUTES = project_routes()
CHECKED = {
    route.name: route
    for top, route in ROUTES
    if top not in EXCEPTIONS and route.name not in EXCEPTIONS
}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counts live in the cache; the matrix sends many anonymous requests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(settings, tmp_path, merger, acquirer, acquired, team, rep) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_build(merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep)


@pytest.fixture
def clients(rep_user, leader_user, executive_user, ops_user, outsider_user) -> dict[str, Client]:
    users = {
        "anonymous": None,
        "rep": rep_user,
        "leader": leader_user,
        "executive": executive_user,
        "ops": ops_user,
        "outsider": outsider_user,
    }
    return {persona: client_for(user) for persona, user in users.items()}


def url_of(route: Route, rule: Rule, world: World) -> str:
    kwargs = rule.kwargs(world) if callable(rule.kwargs) else dict(rule.kwargs)
    if "pk" in route.kwargs:
        assert rule.obj, f"{route.name} takes a pk: name the object in its rule"
        kwargs["pk"] = world.pk(rule.obj)
    missing = set(route.kwargs) - set(kwargs)
    assert not missing, f"{route.name}: no value for {sorted(missing)} in its rule"
    return reverse(route.name, kwargs=kwargs)


def test_every_rule_names_a_url_that_exists():
    stale = sorted(set(EXPECTED) - set(CHECKED))
    assert not stale, f"rules for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_each_persona_gets_what_the_table_says(name, world, clients):
    route = CHECKED[name]
    rule = EXPECTED.get(name)
    assert rule is not None, (
        f"new endpoint without a rule: {name} ({route.path}); add it to EXPECTED"
    )
    url = url_of(route, rule, world)
    data = rule.data(world) if rule.data else None
    got = {
        persona: outcome(send(clients[persona], rule.method, url, data), api=route.is_api)
        for persona in PERSONAS
    }
    wanted = {persona: rule.expected(persona) for persona in PERSONAS}
    assert got == wanted, f"{rule.method} {url}"


# Writes through the API: every unsafe method of every endpoint, as the role table says.

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Writes the matrix above does not already probe (POST-only actions are in it).
API_WRITES = sorted(
    (name, method)
    for name, route in CHECKED.items()
    if route.is_api and getattr(route.view_class, "access_resource", None)
    for method in sorted(route.methods & set(UNSAFE))
    if name not in EXPECTED or EXPECTED[name].method != method
)


def _write_action(route: Route, method: str):
    overrides = getattr(route.view_class, "access_actions", {})
    return overrides.get(route.action_for(method), METHOD_ACTIONS[method])


def test_every_api_view_asks_the_role_table():
    """A view without ProgramAccess would answer every signed-in user."""
    own_rules = {"api:token", "api:api-root"}
    unguarded = sorted(
        name
        for name, route in CHECKED.items()
        if route.is_api
        and name not in own_rules
        and ProgramAccess not in getattr(route.view_class, "permission_classes", ())
    )
    assert not unguarded


@pytest.mark.parametrize(("name", "method"), API_WRITES)
def test_api_writes_follow_the_role_table(name, method, world, clients):
    route = CHECKED[name]
    rule = EXPECTED[name]
    url = url_of(route, rule, world)
    roles = RULES.get((route.view_class.access_resource, _write_action(route, method)), set())
    for persona in ("rep", "leader", "executive", "ops", "outsider"):
        got = outcome(send(clients[persona], method, url), api=True)
        if PERSONA_ROLES[persona] not in roles:
            wanted = FORBIDDEN
        elif persona == "outsider" and "pk" in route.kwargs:
            wanted = NOT_FOUND
        else:
            wanted = ALLOWED
        assert got == wanted, f"{persona}: {method} {url}"
    assert outcome(send(clients["anonymous"], method, url), api=True) == FORBIDDEN


# CSRF: no page accepts a form post without the token.

PAGES = sorted(name for name, route in CHECKED.items() if not route.is_api)


@pytest.mark.parametrize("name", PAGES)
def test_page_posts_without_a_csrf_token_are_refused(name, world, ops_user):
    route = CHECKED[name]
    client = Client(enforce_csrf_checks=True)
    client.force_login(ops_user)
    response = client.post(url_of(route, EXPECTED[name], world), {})
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_api_writes_with_a_session_need_the_csrf_token(world, ops_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ops_user)
    response = client.post(reverse("api:segment-list"), {"merger": world.merger.pk, "name": "X"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# Quotas and attainment follow the team hierarchy, and the program decides whether
# reps see their whole team's. Rows: (URL name, object, program shares team figures)
# and what each persona gets. The rep persona sells in the leader's team ("Central");
# "teammate" sells there too, "other" in a team the leader does not lead.
HIERARCHY: dict[tuple[str, str, bool], tuple[str, str, str, str, str]] = {
    # (rep, leader, executive, ops, outsider)
    ("tracker:quota_history", "own_quota", False): (A, A, A, A, N),
    ("tracker:quota_history", "teammate_quota", False): (F, A, A, A, N),
    ("tracker:quota_history", "teammate_quota", True): (A, A, A, A, N),
    ("tracker:quota_history", "other_quota", True): (F, F, A, A, N),
    ("api:quota-detail", "teammate_quota", False): (F, A, A, A, N),
    ("api:quota-detail", "teammate_quota", True): (A, A, A, A, N),
    ("api:quota-detail", "other_quota", True): (F, F, A, A, N),
    ("api:quota-history", "teammate_quota", False): (F, A, A, A, N),
    ("api:quota-history", "other_quota", False): (F, F, A, A, N),
    ("tracker:credited_deals_team", "team", False): (F, A, A, A, N),
    ("tracker:credited_deals_team", "team", True): (A, A, A, A, N),
    ("tracker:credited_deals_team", "other_team", True): (F, F, A, A, N),
    ("tracker:credited_deals", "teammate", False): (F, A, A, A, N),
    ("tracker:credited_deals", "teammate", True): (A, A, A, A, N),
    ("tracker:credited_deals", "other", True): (F, F, A, A, N),
    ("scorecards:rep_dashboard", "teammate", False): (F, A, A, A, N),
    ("scorecards:rep_dashboard", "teammate", True): (A, A, A, A, N),
    ("scorecards:rep_dashboard", "other", True): (F, F, A, A, N),
    ("scorecards:team_dashboard", "team", False): (F, A, A, A, N),
    ("scorecards:team_dashboard", "team", True): (A, A, A, A, N),
    ("scorecards:team_dashboard", "other_team", True): (F, F, A, A, N),
}


@pytest.fixture
def hierarchy(merger, team, rep, acquirer, acquired):
    from tests import factories

    teammate = factories.RepFactory(merger=merger, team=team, company=acquirer)
    other_team = factories.TeamFactory(merger=merger, name="East")
    other = factories.RepFactory(merger=merger, team=other_team, company=acquired)
    return {
        "own_quota": factories.QuotaFactory(rep=rep),
        "teammate_quota": factories.QuotaFactory(rep=teammate),
        "other_quota": factories.QuotaFactory(rep=other),
        "teammate": teammate,
        "other": other,
        "team": team,
        "other_team": other_team,
    }


@pytest.mark.parametrize(("name", "obj", "shared"), sorted(HIERARCHY))
def test_quotas_and_attainment_follow_the_team_hierarchy(
    name, obj, shared, merger, hierarchy, clients
):
    merger.reps_see_team_attainment = shared
    merger.save()
    url = reverse(name, kwargs={"pk": hierarchy[obj].pk})
    got = {
        persona: outcome(send(clients[persona], "GET", url), api=name.startswith("api:"))
        for persona in ("rep", "leader", "executive", "ops", "outsider")
    }
    wanted = dict(
        zip(
            ("rep", "leader", "executive", "ops", "outsider"),
            HIERARCHY[(name, obj, shared)],
            strict=True,
        )
    )
    assert got == wanted, f"GET {url} (team figures shared with reps: {shared})"


@pytest.mark.parametrize(
    ("persona", "shared", "seen"),
    [
        ("rep", False, {"own_quota"}),
        ("rep", True, {"own_quota", "teammate_quota"}),
        ("leader", False, {"own_quota", "teammate_quota"}),
        ("executive", False, {"own_quota", "teammate_quota", "other_quota"}),
    ],
)
def test_quota_lists_and_metrics_hold_only_what_the_hierarchy_shows(
    persona, shared, seen, merger, hierarchy, clients
):
    merger.reps_see_team_attainment = shared
    merger.save()
    client = clients[persona]

    listed = client.get(reverse("api:quota-list"), {"merger": merger.pk}).json()
    rows = client.get(reverse("api:pipeline-metrics-list"), {"merger": merger.pk, "by": "rep"})

    ids = {item["id"] for item in listed["results"]}
    assert ids == {hierarchy[name].pk for name in seen}
    rep_keys = {row["key"] for row in rows.json()["rows"]}
    assert rep_keys <= {str(hierarchy[name].rep_id) for name in seen}
