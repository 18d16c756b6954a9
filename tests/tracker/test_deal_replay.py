"""Replaying deals to an instant, on plain values."""

from datetime import UTC, date, datetime
from decimal import Decimal

from tracker.deal_replay import Change, DealState, replay

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _deal(**values) -> DealState:
    row = {
        "id": 1,
        "account_id": 10,
        "product_id": 20,
        "owner_id": 30,
        "segment_id": 40,
        "stage_id": 2,
        "outcome": "won",
        "kind": "cross_sell",
        "direction": "a_to_b",
        "probability": 100,
        "amount": Decimal("900"),
        "expected_close": date(2026, 4, 30),
        "closed_on": date(2026, 4, 2),
        "created_at": datetime(2026, 2, 1, tzinfo=UTC),
        "progressed_at": datetime(2026, 4, 2, tzinfo=UTC),
    }
    return DealState(**(row | values))


def _replay(deals, changes, at, progressed=None):
    return replay(
        deals, changes, at=at, stage_outcomes={1: "open", 2: "won"}, progressed=progressed or {}
    )


def test_changes_after_the_instant_are_undone_newest_first():
    later = datetime(2026, 4, 2, tzinfo=UTC)
    changes = [
        Change(1, "stage", "Proposal (#1)", later),
        Change(1, "probability", "50", later),
        Change(1, "closed_on", "", later),
        Change(1, "amount", "700.00", datetime(2026, 3, 15, tzinfo=UTC)),
        Change(1, "amount", "500.00", datetime(2026, 3, 10, tzinfo=UTC)),
    ]
    moved = datetime(2026, 2, 20, tzinfo=UTC)
    [state] = _replay([_deal()], changes, T0, progressed={1: moved}).states
    assert (state.stage_id, state.outcome, state.probability) == (1, "open", 50)
    assert (state.amount, state.closed_on, state.progressed_at) == (Decimal("500.00"), None, moved)


def test_a_deal_created_later_did_not_exist_and_odd_values_are_reported():
    created_later = _deal(id=2, created_at=datetime(2026, 3, 5, tzinfo=UTC))
    odd = Change(1, "owner", "someone without an id", datetime(2026, 3, 9, tzinfo=UTC))
    result = _replay([_deal(), created_later], [odd], T0)
    assert [state.id for state in result.states] == [1]
    assert result.unreadable == [odd]
    assert result.states[0].owner_id == 30
    # No recorded move up to the instant: the deal last moved when it was created.
    assert result.states[0].progressed_at == datetime(2026, 2, 1, tzinfo=UTC)
