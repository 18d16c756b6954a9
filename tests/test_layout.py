"""The layout every page shares (login, navigation, scripts and static assets), and the
layout of the code: which layer may name which."""

import ast
import importlib
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from core.access import RULES, Action, Role
from core.web import nav_sections
from tests import factories

PAGES = [
    "accounts:home",
    "accounts:account_list",
    "accounts:whitespace",
    "tracker:pipeline",
    "tracker:quotas",
    "scorecards:scorecard",
    "scorecards:dashboard",
]
ROLE_FIXTURES = {
    Role.REP: "rep_user",
    Role.LEADER: "leader_user",
    Role.EXECUTIVE: "executive_user",
    Role.OPS: "ops_user",
}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.stylesheets: list[str] = []
        self.h1_count = 0
        self.nav_links: list[str] = []
        self.html_lang: str | None = None
        self.has_main = False
        self.ids: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "script":
            self.scripts.append(attributes)
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "main":
            self.has_main = attributes.get("id") == "main"
        elif tag == "nav" and "site-nav" in (attributes.get("class") or ""):
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self.nav_links.append(attributes.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False


def parse(response) -> _PageParser:
    parser = _PageParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def account(merger, acquirer):
    account = factories.UnifiedAccountFactory(merger=merger, name="Northwind Mills")
    factories.SourceAccountFactory(company=acquirer, unified=account)
    return account


def _all_pages(account) -> list[str]:
    return [reverse(name) for name in PAGES] + [
        reverse("accounts:account_detail", args=[account.pk])
    ]


def test_no_page_has_an_inline_script(client, ops_user, account):
    """The CSP allows scripts from this site only: every script has a src or is JSON data."""
    pages = _all_pages(account)
    client.force_login(ops_user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for script in parse(response).scripts:
            assert script.get("src") or script.get("type") == "application/json", url


def test_login_page_has_no_inline_script_and_one_heading(client, db):
    page = parse(client.get(reverse("login")))
    assert page.scripts
    assert all(script.get("src") for script in page.scripts)
    assert page.h1_count == 1
    assert page.nav_links == []


def test_every_page_is_accessible_html(client, rep_user, account):
    client.force_login(rep_user)
    for url in _all_pages(account):
        page = parse(client.get(url))
        assert page.html_lang, url
        assert page.h1_count == 1, url
        assert page.has_main, url
        assert len(page.ids) == len(set(page.ids)), url
    body = client.get(reverse("accounts:home")).content.decode()
    assert 'href="#main"' in body  # skip link


def test_scripts_and_styles_come_from_static_not_a_cdn(client, rep_user, account):
    client.force_login(rep_user)
    response = client.get(reverse("accounts:home"))
    page = parse(response)
    sources = [s["src"] for s in page.scripts if s.get("src")] + page.stylesheets
    assert sources
    assert all(src.startswith(static("")) for src in sources)
    assert f'data-plotly-src="{static("vendor/plotly.min.js")}"' in response.content.decode()


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, db):
    # Without it a browser requests /favicon.ico, gets a 404 and logs a console error.
    body = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}"' in body
    assert finders.find("img/favicon.svg")


def test_plotly_and_the_app_assets_are_in_the_static_files():
    for path in ("vendor/plotly.min.js", "js/charts.js", "css/app.css"):
        assert finders.find(path), path
    with open(finders.find("vendor/plotly.min.js"), encoding="utf-8") as bundle:
        assert "plotly.js" in bundle.read(400)


def test_palette_defines_company_and_six_c_colours():
    with open(finders.find("css/app.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    for name in ("acquirer", "acquired"):
        assert f"--color-{name}:" in css
    for c in ("complementarity", "connection", "capacity", "capability", "compensation"):
        assert f"--c-{c}:" in css
    assert "--c-commitment:" in css
    assert "@media print" in css


def test_chart_data_cannot_close_its_script_element(client, rep_user, merger):
    hostile = "</script><script>alert(1)</script>"
    factories.UnifiedAccountFactory(merger=merger, name=hostile)
    client.force_login(rep_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert 'data-chart="status-chart"' in body
    assert hostile not in body


@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_the_sections_the_role_may_view(client, request, role):
    client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
    links = parse(client.get(reverse("accounts:home"))).nav_links
    expected = [
        reverse(s.url_name) for s in nav_sections() if role in RULES[(s.resource, Action.VIEW)]
    ]
    assert links == expected


def test_navigation_hides_a_section_the_role_may_not_view(client, rep_user, monkeypatch):
    monkeypatch.setitem(RULES, ("quota", Action.VIEW), frozenset({Role.LEADER}))
    client.force_login(rep_user)
    links = parse(client.get(reverse("accounts:home"))).nav_links
    assert reverse("tracker:quotas") not in links
    assert reverse("tracker:pipeline") in links


def test_navigation_is_empty_without_a_role(client, merger):
    user = factories.UserFactory(username="no_role")
    factories.MembershipFactory(merger=merger, user=user)
    client.force_login(user)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 403
    assert parse(response).nav_links == []


def test_header_shows_username_role_and_a_logout_form(client, leader_user):
    client.force_login(leader_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert "leader" in body
    assert "Sales leader" in body
    assert f'method="post" action="{reverse("logout")}"' in body
    assert "csrfmiddlewaretoken" in body


def test_login_with_valid_credentials_opens_home(client, rep_user):
    response = client.post(reverse("login"), {"username": "rep", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200


def test_login_returns_to_the_page_asked_for(client, rep_user):
    target = reverse("tracker:pipeline")
    response = client.post(
        f"{reverse('login')}?next={target}", {"username": "rep", "password": "pw", "next": target}
    )
    assert response["Location"] == target


def test_login_with_a_wrong_password_shows_an_error(client, rep_user):
    response = client.post(reverse("login"), {"username": "rep", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, rep_user):
    client.force_login(rep_user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("accounts:home")).status_code == 302


def test_messages_are_shown_in_the_layout(client, rep_user, merger):
    client.force_login(rep_user)
    response = client.post(reverse("accounts:program_switch"), {"merger": merger.pk}, follow=True)
    assert 'class="messages"' in response.content.decode()
    assert merger.name in response.content.decode()


def test_csp_header_forbids_inline_scripts(client, rep_user):
    client.force_login(rep_user)
    csp = client.get(reverse("accounts:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]


# Layering

ROOT = Path(settings.BASE_DIR)
PRODUCT_APPS = ("core", "accounts", "tracker", "scorecards", "config")
# The one place the product names the development tools: their conditional INSTALLED_APPS entry.
DEVTOOLS_SWITCH = ROOT / "config" / "settings.py"


def names_devtools(source: str) -> list[int]:
    """Lines that import `devtools` or name it in a string (an import by name, a command)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            modules = [node.value]
        else:
            continue
        if any(module == "devtools" or module.startswith("devtools.") for module in modules):
            lines.append(node.lineno)
    return lines


def test_the_devtools_check_finds_an_import_and_a_name():
    source = 'import devtools.demo\nfrom devtools.bench import suite\napps = ["devtools"]\n'
    assert names_devtools(source) == [1, 2, 3]
    assert names_devtools("import devtoolsx\nhelp = 'devtools are for developers'\n") == []


def test_product_apps_never_import_the_development_tools():
    """Production leaves `devtools` out of INSTALLED_APPS: nothing in the product may need it."""
    found = {
        str(path.relative_to(ROOT)): lines
        for app in PRODUCT_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if (lines := names_devtools(path.read_text()))
    }
    assert len(found.pop(str(DEVTOOLS_SWITCH.relative_to(ROOT)), [])) == 1
    assert not found


def test_the_generators_building_blocks_are_pure():
    """devtools.world is plain data and functions on a seeded Random: no database, no app."""
    allowed = {"random", "re", "unicodedata", "math", "collections", "dataclasses", "datetime"}
    allowed |= {"decimal", "devtools"}
    # The hand-written words are data files in the package, read with the standard library.
    allowed |= {"pathlib", "tomllib", "typing"}
    for path in sorted((ROOT / "devtools" / "world").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            roots = {module.split(".")[0] for module in modules}
            assert roots <= allowed, (path.name, roots - allowed)
            assert not any(
                m.startswith("devtools.") and not m.startswith("devtools.world") for m in modules
            ), path.name


# One way to do each thing: rules the code keeps, read from its source.

TOOLING = {"migrations"}


def _product_sources() -> dict[str, str]:
    root = Path(settings.BASE_DIR)
    sources = {}
    for app in PRODUCT_APPS:
        for path in (root / app).rglob("*.py"):
            if not TOOLING & set(path.relative_to(root).parts):
                sources[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    return sources


def _holding(needle: str, *, allowed: set[str] = frozenset()) -> list[str]:
    return sorted(
        p for p, text in _product_sources().items() if needle in text and p not in allowed
    )


def test_a_page_names_its_navigation_section_where_it_declares_its_access():
    # program_view(..., section=...) or ProgramAccessMixin.section, never each context.
    assert _holding('"active_section"', allowed={"core/context_processors.py"}) == []


def test_month_arithmetic_is_relativedelta_not_written_by_hand():
    assert _holding("def add_months", allowed={"tracker/pipeline_math.py"}) == []
    assert _holding("% 12 + 1") == []


def test_percentages_are_rounded_in_one_place():
    assert _holding("* 100).quantize", allowed={"accounts/percent.py"}) == []


def test_bulk_row_writes_go_through_the_one_writer():
    # accounts.services.bulk_rows: COPY on PostgreSQL, executemany elsewhere. The whitespace
    # refresh fills a temporary table of its own.
    writers = {"accounts/services/bulk_rows.py", "accounts/services/whitespace.py"}
    assert _holding(".executemany(", allowed=writers) == []
    assert _holding("COPY {", allowed=writers) == []


def test_country_names_come_from_the_cldr_data():
    assert _holding('"deutschland"') == []


def test_one_poller_follows_background_jobs():
    scripts = sorted(
        p.name for p in (Path(settings.BASE_DIR) / "static" / "js").glob("*progress*")
    )
    assert scripts == ["job_progress.js"]


@pytest.mark.parametrize(
    "viewset",
    ["CompanyViewSet", "SegmentViewSet", "ProductViewSet", "UnifiedAccountViewSet"],
)
def test_reference_records_are_written_and_deleted_by_their_services(viewset):
    from rest_framework.serializers import ModelSerializer

    from accounts.api import views
    from accounts.api.viewsets import ProgramModelViewSet

    view = getattr(views, viewset)
    serializer = view.serializer_class
    assert view.destroy_record is not ProgramModelViewSet.destroy_record
    assert serializer.create is not ModelSerializer.create
    assert serializer.update is not ModelSerializer.update


def test_dashboard_series_are_typed_frozen_values():
    from dataclasses import fields, is_dataclass

    from scorecards.selectors.dashboard import Dashboard

    series = {"impact", "funnel", "segment_direction", "attainment_teams", "attainment_reps"}
    hints = typing.get_type_hints(Dashboard)
    for name in series & {f.name for f in fields(Dashboard)}:
        kind = hints[name]
        assert is_dataclass(kind) and kind.__dataclass_params__.frozen, name


# The layers of the code, lowest first: a module may name its own layer and those
# below it, never one above (config and development tooling stand above them all).
LAYERS = ("core", "accounts", "tracker", "scorecards")


def _modules(package: str) -> list[tuple[str, Path]]:
    """(dotted name, path) of the package's modules; migrations are Django's, not ours."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        found.append((".".join(parts), path))
    return found


def _imported(module: str, path: Path, tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an import statement names, anywhere in the file (functions too),
    with `from a import b` counted as both a and a.b, relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.append((node.lineno, base))
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return names


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant, docstrings included (a dotted path there is a reference too)."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _url_prefixes(app: str) -> set[str]:
    """The first path segment of each page an app serves, e.g. "/pipeline/"."""
    urls = importlib.import_module(f"{app}.urls")
    prefixes = set()
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        first = route.split("/", 1)[0]
        if first and "<" not in first and not first.startswith("^"):
            prefixes.add(f"/{first}/")
    return prefixes


def _higher_names(layer: int) -> list[tuple[str, re.Pattern]]:
    """What a module of this layer must not say: higher apps' labels as module paths
    ("tracker.models"), URL names ("tracker:pipeline"), or their pages' paths."""
    names = []
    for app in LAYERS[layer + 1 :]:
        names.append((app, re.compile(rf"^{app}$|\b{app}[.:][a-z_]")))
        if app != "core":
            for prefix in _url_prefixes(app):
                names.append((app, re.compile(re.escape(prefix))))
    return names


def test_no_lower_layer_imports_a_higher_one():
    upward = []
    for layer, package in enumerate(LAYERS):
        higher = LAYERS[layer + 1 :]
        for module, path in _modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, name in _imported(module, path, tree):
                if name.split(".")[0] in higher:
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert upward == []


def test_no_lower_layer_names_a_higher_one_in_a_string():
    # Registration (roles, navigation, panels, readers) lets the higher app hand its
    # names down at start-up; a hard-coded one breaks when the higher app changes.
    named = []
    for layer, package in enumerate(LAYERS):
        higher = _higher_names(layer)
        for _module, path in _modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, text in _strings(tree):
                for app, pattern in higher:
                    if pattern.search(text):
                        named.append(f"{path.relative_to(ROOT)}:{line} names {app}: {text[:60]!r}")
    assert named == []


def test_the_layer_rules_see_imports_inside_functions_and_strings():
    source = 'def f():\n    from tracker.models import Team\n    return "/pipeline/new/"\n'
    tree = ast.parse(source)
    assert (2, "tracker.models") in _imported("accounts.x", ROOT / "accounts/x.py", tree)
    assert (3, "/pipeline/new/") in _strings(tree)
    assert "/pipeline/" in _url_prefixes("tracker")


# Loops still to be mended; the set only shrinks (a mended one fails the test until removed).
KNOWN_IMPORT_LOOPS: set[frozenset[str]] = set()


def _import_loops(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[frozenset[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while not group or module not in group:
                group.add(stack.pop())
            if len(group) > 1:
                loops.append(frozenset(group))

    for module in graph:
        if module not in index:
            visit(module)
    return loops


def test_the_loop_finder_finds_a_loop_and_only_loops():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _import_loops(graph) == [frozenset({"a", "b", "c"})]


def test_no_two_modules_of_an_app_import_each_other():
    """Not even through an import inside a function: a loop hidden there still ties the two
    modules into one job, and breaks as soon as someone hoists the import."""
    loops = set()
    for package in LAYERS:
        modules = dict(_modules(package))
        graph = {
            module: {
                name
                for _line, name in _imported(module, path, ast.parse(path.read_text("utf-8")))
                if name in modules and name != module
            }
            for module, path in modules.items()
        }
        loops |= set(_import_loops(graph))
    assert loops - KNOWN_IMPORT_LOOPS == set()
    assert KNOWN_IMPORT_LOOPS - loops == set(), "mended: remove from KNOWN_IMPORT_LOOPS"


def _is_tasks(name: str) -> bool:
    return "tasks" in name.split(".")


def _is_service(name: str) -> bool:
    return "services" in name.split(".")


def test_no_service_imports_a_task_module():
    """Services announce what changed (signals); each app's tasks.py enqueues in answer.

    Tasks call services, so a service that imported a task module would close a
    cycle, however deep inside a function the import hides.
    """
    found = []
    for package in LAYERS:
        for module, path in _modules(package):
            if not _is_service(module):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(ROOT)}:{line} imports {name}"
                for line, name in _imported(module, path, tree)
                if _is_tasks(name)
            ]
    assert found == []


def test_task_modules_import_services_openly_and_enqueue_through_the_core_queue():
    """No import hidden in a task's body, and no task module sends without core.task_queue."""
    found = []
    for package in LAYERS:
        for module, path in _modules(package):
            if not _is_tasks(module):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            top_level = {id(node) for node in tree.body}
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top_level:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports inside a body")
                if isinstance(node, ast.Attribute) and node.attr == "on_commit":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} calls on_commit")
    assert found == []


def test_core_has_no_models():
    assert not (ROOT / "core" / "models.py").exists()
    assert not (ROOT / "core" / "migrations").exists()


def _templates(app: str) -> list[Path]:
    """An app's templates: in the project's templates/<app>/ and in its own templates/."""
    return sorted(
        path
        for folder in (ROOT / "templates" / app, ROOT / app / "templates")
        for path in folder.rglob("*.html")
    )


def test_no_template_of_a_lower_app_links_to_a_higher_one():
    """A lower app's page reaches a higher app's page through {{ links.key }}, which the
    higher app registers (core.links), never through its URL name or path."""
    named = []
    for layer, app in enumerate(LAYERS):
        higher = [
            (other, re.compile(rf"""{{%\s*url\s+['"]{other}:""")) for other in LAYERS[layer + 1 :]
        ]
        higher += [
            (other, re.compile(re.escape(f'"{prefix}')))
            for other in LAYERS[layer + 1 :]
            if other != "core"
            for prefix in _url_prefixes(other)
        ]
        for path in _templates(app):
            text = path.read_text(encoding="utf-8")
            named += [
                f"{path.relative_to(ROOT)} names {other}"
                for other, pattern in higher
                if pattern.search(text)
            ]
    assert named == []
