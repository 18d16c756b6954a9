"""A month's shares of credit, and each rep's credit added up from them: no database."""

from datetime import date, datetime
from decimal import Decimal

from tracker.deal_figures import credit_lines, credited_by_rep, credited_of
from tracker.deal_replay import DealState
from tracker.figures import LOST, WON

JUNE, LAST = date(2026, 6, 1), date(2026, 6, 30)
AT = datetime(2026, 6, 1)


def deal(pk, owner, amount, *, outcome=WON, closed_on=date(2026, 6, 10)):
    return DealState(
        id=pk,
        account_id=1,
        product_id=1,
        owner_id=owner,
        segment_id=None,
        stage_id=1,
        outcome=outcome,
        kind="cross_sell",
        direction="a_to_b",
        probability=100,
        amount=Decimal(amount),
        expected_close=closed_on,
        closed_on=closed_on,
        created_at=AT,
        progressed_at=AT,
    )


def test_each_realized_deal_credits_its_split_lines_or_its_owner_and_its_overlay():
    states = [
        deal(1, 7, "100.01"),
        deal(2, 7, "10.01"),
        deal(3, 7, "999", outcome=LOST),
        deal(4, 7, "999", closed_on=date(2026, 7, 1)),
        deal(5, 7, "50"),
    ]
    splits = {
        1: [(8, "split", Decimal("50")), (9, "split", Decimal("50"))],
        2: [(9, "split", Decimal("50")), (7, "split", Decimal("50"))],
        5: [(8, "overlay", Decimal("10"))],
    }

    lines = credit_lines(states, splits=splits, closed_from=JUNE, closed_to=LAST)

    assert [(line.opportunity_id, line.rep_id, line.kind) for line in lines] == [
        (1, 8, "split"),
        (1, 9, "split"),
        (2, 9, "split"),
        (2, 7, "split"),
        (5, 7, "owner"),
        (5, 8, "overlay"),
    ]
    # Rounded once per rep: 50.005 + 5.005 is 55.01, where each share rounded would
    # make 55.02.
    assert credited_of(lines) == {8: Decimal("55.01"), 9: Decimal("55.01"), 7: Decimal("55.01")}
    assert credited_by_rep(states, splits=splits, closed_from=JUNE, closed_to=LAST) == (
        credited_of(lines)
    )
