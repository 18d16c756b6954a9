"""A closed month's kept shares of credit add up to its frozen rep and team lines, and a
share that no longer does is reported."""

from datetime import date
from decimal import Decimal

import pytest

from scorecards.reconcile.closed_months import check_closed_months_credit_as_frozen
from tests import factories
from tests.tracker.test_credited_deals import credit, win
from tracker.models import CreditSplit, SnapshotCredit
from tracker.services.snapshots import snapshot_freeze

JUNE = date(2026, 6, 1)


@pytest.fixture
def june(merger, rep, other_rep):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    won = factories.stages_of(merger, "identified", "won")["won"]
    shared = win(merger, rep, won, on=date(2026, 6, 10), amount="100.01")
    credit(shared, rep, CreditSplit.Kind.SPLIT, "50")
    credit(shared, other_rep, CreditSplit.Kind.SPLIT, "50")
    win(merger, other_rep, won, on=date(2026, 6, 11), amount="10.01")
    return snapshot_freeze(merger_id=merger.pk, month=JUNE)


def test_a_freshly_frozen_months_shares_add_up_to_its_lines(merger, june):
    assert june.credits.count() == 3
    assert list(check_closed_months_credit_as_frozen(merger, [JUNE])) == []


def test_a_share_that_no_longer_adds_up_is_reported(merger, rep, june):
    SnapshotCredit.objects.filter(snapshot=june, rep_id=rep.pk).update(percent=Decimal("40"))

    found = {
        m.what: (m.expected, m.found) for m in check_closed_months_credit_as_frozen(merger, [JUNE])
    }

    assert found[f"2026-06 rep {rep} shares of credit"] == (Decimal("50.01"), Decimal("40.00"))
    assert f"2026-06 team {rep.team.name} shares of credit" in found
