"""Personas: one user per role, all members of one program, and an outsider."""

import fcntl
import os

import pytest
from django.utils import translation

from config.celery import app as celery_app
from core.access import Role
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every persona gets a password; the production hasher makes that a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # The language middleware leaves the last request's language active in the thread,
    # so a test would otherwise read the strings of whichever test ran before it.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_dashboards(settings):
    # Tests change data and look again at once; test_dashboard_selector covers the cache.
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def merger(db):
    return factories.MergerFactory(name="Sensa + Predikt")


@pytest.fixture
def acquirer(merger):
    return factories.CompanyFactory(
        merger=merger, name="Sensa Instruments", short_name="Sensa", role="acquirer"
    )


@pytest.fixture
def acquired(merger):
    return factories.CompanyFactory(
        merger=merger, name="Predikt Analytics", short_name="Predikt", role="acquired"
    )


def _member(merger, username: str, role: Role):
    user = factories.UserFactory(username=username, role=role)
    factories.MembershipFactory(merger=merger, user=user)
    return user


@pytest.fixture
def leader_user(merger):
    return _member(merger, "leader", Role.LEADER)


@pytest.fixture
def team(merger, leader_user):
    return factories.TeamFactory(merger=merger, name="Central", leader=leader_user)


@pytest.fixture
def rep_user(merger):
    return _member(merger, "rep", Role.REP)


@pytest.fixture
def rep(merger, rep_user, team, acquirer):
    return factories.RepFactory(merger=merger, user=rep_user, team=team, company=acquirer)


@pytest.fixture
def other_rep(merger, acquired):
    user = _member(merger, "other_rep", Role.REP)
    other_team = factories.TeamFactory(merger=merger, name="East")
    return factories.RepFactory(merger=merger, user=user, team=other_team, company=acquired)


@pytest.fixture
def executive_user(merger):
    return _member(merger, "executive", Role.EXECUTIVE)


@pytest.fixture
def ops_user(merger):
    return _member(merger, "ops", Role.OPS)


@pytest.fixture
def outsider_user(db):
    """A rep of another program: must never see this program's objects."""
    other = factories.MergerFactory(name="Another deal")
    return _member(other, "outsider", Role.REP)


# Fixtures through which a test reaches the database (pytest-django's and ours build on
# them). Not django_db_blocker: every test has it, through pytest-django's autouse fixtures.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
    | {"live_server", "django_db_setup"}
)


def pytest_itemcollected(item):
    """Mark the tests that share the broker, and those that reach no database.

    A test without database access behaves the same on SQLite and PostgreSQL;
    the PostgreSQL step of .ci/run leaves it to the SQLite one.
    """
    if item.get_closest_marker("broker") or "tests/faults/" in item.nodeid:
        item.add_marker(pytest.mark.shares_broker)
    if not _may_reach_the_database(item):
        item.add_marker(pytest.mark.without_database)


def _may_reach_the_database(item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("broker"):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    # `request` in the test's own arguments: it may look a database fixture up at run time.
    own_arguments = set(getattr(getattr(item, "_fixtureinfo", None), "argnames", ()))
    return bool(fixtures & DATABASE_FIXTURES) or "request" in own_arguments


@pytest.fixture(autouse=True)
def _one_broker_test_at_a_time(request, tmp_path_factory):
    """The `broker` tests and tests/faults share a Redis database and a worker queue:
    under pytest-xdist, a lock shared by its processes runs them one after the other."""
    if "PYTEST_XDIST_WORKER" not in os.environ or not request.node.get_closest_marker(
        "shares_broker"
    ):
        yield
        return
    # Every xdist process has its own base folder inside one parent of this run.
    lock = tmp_path_factory.getbasetemp().parent / "broker-tests.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that flush the database last, the `broker` tests among them.

    The flush after a transactional test also empties the rows that data
    migrations create (role groups). pytest-django already runs such tests
    after the `db` ones, but before tests that reach the database only through
    a fixture they look up at run time; those must not follow a flush either.
    """
    items.sort(key=_flushes_database)


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
    fixtures = getattr(item, "fixturenames", ())
    return (
        transactional
        or item.get_closest_marker("broker") is not None
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request, settings):
    """Run Celery tasks eagerly unless a test is about the broker.

    With CELERY_BROKER_URL set (the PostgreSQL + Redis CI run) nothing but the
    `broker` tests starts a worker, so the rest of the suite must not queue
    tasks that no one would consume.
    """
    if not settings.CELERY_BROKER_URL or request.node.get_closest_marker("broker"):
        yield
        return
    settings.CELERY_TASK_ALWAYS_EAGER = True
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
