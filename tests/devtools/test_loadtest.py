"""The load test's own arithmetic: the ledger check finds lost and extra writes; percentiles."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from devtools.loadtest.checks import loadtest_check
from devtools.loadtest.stats import percentile
from tests import factories
from tracker.models import Opportunity, OpportunityChange
from tracker.services.opportunities import opportunity_create, opportunity_update


def test_percentiles_come_from_the_response_time_histogram():
    times = Counter({10: 50, 20: 40, 300: 10})

    assert percentile(times, 0.50) == 10
    assert percentile(times, 0.90) == 20
    assert percentile(times, 0.95) == 300
    assert percentile(Counter(), 0.95) == 0


@pytest.fixture
def started():
    return timezone.now() - timedelta(seconds=1)


@pytest.fixture
def logged(merger, rep, rep_user, acquired):
    """An opportunity logged through the service, and moved on once."""
    stages = [factories.StageFactory(merger=merger, name=f"Stage {n}") for n in range(2)]
    opportunity = opportunity_create(
        actor=rep_user,
        merger=merger,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=acquired),
        owner=rep,
        stage=stages[0],
        expected_close=timezone.localdate() + timedelta(days=30),
        customer_need="Remote monitoring",
    )
    moved = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=1,
        changes={"stage": stages[1]},
    )
    return moved, stages


def ledger_of(opportunity, stage) -> list[dict]:
    return [
        {"kind": "created", "id": opportunity.pk, "version": 1},
        {"kind": "updated", "id": opportunity.pk, "version": 2, "stage": stage.pk},
    ]


def test_writes_that_match_their_ledger_pass(logged, started):
    opportunity, stages = logged

    result = loadtest_check(ledger=ledger_of(opportunity, stages[1]), started=started)

    assert result["problems"] == []
    assert (result["created"], result["updated"]) == (1, 1)


def test_a_confirmed_update_missing_from_the_database_is_found(logged, started):
    opportunity, stages = logged
    ledger = [
        *ledger_of(opportunity, stages[1]),
        {"kind": "updated", "id": opportunity.pk, "version": 3, "stage": stages[0].pk},
    ]

    problems = loadtest_check(ledger=ledger, started=started)["problems"]

    assert any("version 2 after 2 confirmed updates" in problem for problem in problems)


def test_a_write_no_client_was_told_about_is_found(logged, started, merger, rep):
    opportunity, stages = logged
    factories.OpportunityFactory(merger=merger, owner=rep)

    problems = loadtest_check(ledger=ledger_of(opportunity, stages[1]), started=started)[
        "problems"
    ]

    assert "2 opportunities written during the run, 1 confirmed" in problems


def test_history_that_does_not_add_up_to_the_writes_is_found(logged, started):
    opportunity, stages = logged
    OpportunityChange.objects.filter(opportunity=opportunity, field="stage").delete()

    problems = loadtest_check(ledger=ledger_of(opportunity, stages[1]), started=started)[
        "problems"
    ]

    assert any("history has 1 creation, 0 stage changes" in problem for problem in problems)
    assert Opportunity.objects.count() == 1
