"""The setup checklist follows the data, reads in a fixed number of queries and never writes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import MatchCandidate
from tests import factories
from tracker.models import SynergyTarget
from tracker.selectors.setup import State, setup_checklist

WRITES = ("INSERT", "UPDATE", "DELETE")


def states(merger) -> dict[str, str]:
    return {step.key: step.state for step in setup_checklist(merger=merger).steps}


def test_a_new_program_starts_at_its_companies(merger):
    checklist = setup_checklist(merger=merger)
    assert set(states(merger).values()) == {State.TODO}
    assert checklist.next_step.key == "program"
    assert checklist.done_count == 0 and not checklist.complete


def _full_program(merger, acquirer, acquired, rep):
    """Every step's data, as sales ops would have set it up."""
    sensors = factories.ProductFactory(company=acquirer)
    analytics = factories.ProductFactory(company=acquired)
    segment = factories.SegmentFactory(merger=merger)
    for company, product in ((acquirer, sensors), (acquired, analytics)):
        account = factories.UnifiedAccountFactory(merger=merger, segment=segment)
        record = factories.SourceAccountFactory(company=company, unified=account)
        factories.HoldingFactory(account=record, product=product)
    factories.ProductMappingFactory(merger=merger, source=sensors, target=analytics)
    factories.stages_of(merger, "identified", "won", "lost")
    SynergyTarget.objects.create(merger=merger, month=merger.day_one, cross_sell=Decimal("1"))
    factories.QuotaFactory(rep=rep, period_start=timezone.localdate().replace(day=1))
    return segment


def test_every_step_follows_its_data(merger, acquirer, acquired, rep):
    _full_program(merger, acquirer, acquired, rep)
    checklist = setup_checklist(merger=merger)
    assert checklist.complete, [(s.key, str(s.state)) for s in checklist.required]
    assert {s.key: s.state for s in checklist.steps if s.optional} == {
        "core_win_rates": State.TODO,
        "comp_plans": State.TODO,
    }


def test_a_match_waiting_for_review_keeps_matching_open(merger, acquirer, acquired, rep):
    _full_program(merger, acquirer, acquired, rep)
    left, right = (
        factories.SourceAccountFactory(company=company) for company in (acquirer, acquired)
    )
    MatchCandidate.objects.create(merger=merger, left=left, right=right, score=Decimal("70"))
    checklist = setup_checklist(merger=merger)
    assert states(merger)["matching"] == State.STARTED
    assert checklist.nearly_complete and not checklist.complete
    assert "1 pair waits" in next(s.detail for s in checklist.steps if s.key == "matching")


def test_one_company_imported_is_started(merger, acquirer, acquired):
    factories.SourceAccountFactory(company=acquirer)
    assert states(merger)["accounts"] == State.STARTED


def test_the_checklist_reads_the_same_queries_whatever_the_size(merger, acquirer, acquired, rep):
    segment = _full_program(merger, acquirer, acquired, rep)
    with CaptureQueriesContext(connection) as few:
        setup_checklist(merger=merger)
    for _ in range(10):
        account = factories.UnifiedAccountFactory(merger=merger, segment=segment)
        factories.SourceAccountFactory(company=acquirer, unified=account)
        factories.TeamFactory(merger=merger)
    SynergyTarget.objects.create(merger=merger, month=dt.date(2026, 5, 1), cross_sell=Decimal("5"))
    with CaptureQueriesContext(connection) as many:
        setup_checklist(merger=merger)
    assert len(many) == len(few)
    assert not [q for q in many.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.parametrize("url_name", ["accounts:home", "tracker:setup"])
def test_sales_ops_sees_the_checklist_with_links(client, ops_user, merger, url_name):
    client.force_login(ops_user)
    page = client.get(reverse(url_name)).content.decode()
    assert "Program and legacy companies" in page
    assert reverse("accounts:imports") in page
    assert reverse("tracker:targets") in page


def test_other_roles_do_not_get_the_checklist(client, rep_user, merger):
    client.force_login(rep_user)
    assert "Set up the program" not in client.get(reverse("accounts:home")).content.decode()
    assert client.get(reverse("tracker:setup")).status_code == 403
