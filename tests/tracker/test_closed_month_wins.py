"""A closed month's wins have one definition (closed_month_wins): the wins page, the board
pack's top wins, the dashboard and the wins API show them as they stood at the month's
end, whatever was edited since; a range over open months adds their live wins."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from scorecards.selectors.board_pack import top_wins_section
from tests import factories
from tracker.models import MonthlySnapshot, Opportunity, Stage
from tracker.services.opportunities import (
    opportunity_delete,
    opportunity_reopen,
    opportunity_update,
)
from tracker.services.snapshots import snapshot_freeze

MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)
API = "/api/v1/wins/"


@pytest.fixture
def won_stage(merger):
    return factories.stages_of(merger, "identified", "won")["won"]


def win(merger, rep, stage, *, on, amount):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=rep.company),
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal(amount),
        closed_on=on,
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )


def edit(actor, deal, **changes):
    deal = Opportunity.objects.get(pk=deal.pk)
    return opportunity_update(
        actor=actor, opportunity=deal, expected_version=deal.version, changes=changes
    )


@pytest.fixture
def may_closed(merger, rep, won_stage):
    """Two May wins (5,000 on the 20th and 3,000 on the 10th), May frozen."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    raised = win(merger, rep, won_stage, on=date(2026, 5, 20), amount="5000")
    win(merger, rep, won_stage, on=date(2026, 5, 10), amount="3000")
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    return raised


def api(user, **query):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(API, query)
    assert response.status_code == 200
    return response.json()


def test_a_reassigned_win_shows_its_rep_at_the_close_everywhere(
    client, merger, rep, ops_user, executive_user, may_closed
):
    other = factories.RepFactory(merger=merger, company=rep.company)
    edit(ops_user, may_closed, owner=other)
    client.force_login(executive_user)

    page = client.get(reverse("tracker:wins"), {"month": "2026-05"}).context["wins"]
    dashboard = client.get(reverse("scorecards:dashboard"), {"month": "2026-05"})
    board = top_wins_section(merger=merger, month=MAY).rows
    feed = api(executive_user, merger=merger.pk, closed_from="2026-05-01", closed_to="2026-05-31")

    raised = may_closed.pk
    assert [w.rep for w in page if w.opportunity_id == raised] == [str(rep)]
    assert [w.rep for w in dashboard.context["dashboard"].wins if w.opportunity_id == raised] == [
        str(rep)
    ]
    assert board[0][2] == str(rep)
    assert [w["rep"] for w in feed if w["opportunity"] == raised] == [str(rep)]


def test_the_api_answers_a_closed_range_with_the_frozen_wins(
    merger, rep, won_stage, ops_user, executive_user, may_closed
):
    edit(ops_user, may_closed, amount=Decimal("8000"))
    late = win(merger, rep, won_stage, on=date(2026, 5, 25), amount="9000")
    late.created_at = timezone.now()
    late.save(update_fields=["created_at"])
    frozen_at = MonthlySnapshot.objects.get(merger=merger, month=MAY).frozen_at

    feed = api(executive_user, merger=merger.pk, closed_from="2026-05-01", closed_to="2026-05-31")

    assert [(w["closed_on"], w["amount"]) for w in feed] == [
        ("2026-05-20", "5000.00"),
        ("2026-05-10", "3000.00"),
    ]
    assert {w["frozen_at"] for w in feed} == {frozen_at.isoformat().replace("+00:00", "Z")}


def test_a_range_over_closed_and_open_months_is_frozen_then_live(
    merger, rep, won_stage, ops_user, executive_user, may_closed
):
    """From the 15th of closed May into June (open): May's frozen wins of those days, then
    June's live ones; a deal reopened after May's close still counts in May."""
    june = win(merger, rep, won_stage, on=date(2026, 6, 3), amount="7000")
    reopened = Opportunity.objects.get(pk=may_closed.pk)
    opportunity_reopen(actor=ops_user, opportunity=reopened, expected_version=reopened.version)

    feed = api(executive_user, merger=merger.pk, closed_from="2026-05-15", closed_to="2026-06-30")

    assert [(w["opportunity"], w["amount"], w["frozen_at"] is None) for w in feed] == [
        (june.pk, "7000.00", True),
        (may_closed.pk, "5000.00", False),
    ]
    newest = api(executive_user, merger=merger.pk, limit=1)
    assert [w["opportunity"] for w in newest] == [june.pk]


def test_the_api_query_count_does_not_grow_with_a_closed_months_wins(
    merger, rep, won_stage, executive_user
):
    merger.day_one = date(2026, 1, 1)
    merger.save()

    def queries() -> int:
        MonthlySnapshot.objects.filter(merger=merger, month=MAY).delete()
        snapshot_freeze(merger_id=merger.pk, month=MAY)
        with CaptureQueriesContext(connection) as captured:
            api(executive_user, merger=merger.pk, closed_from="2026-05-01", closed_to="2026-06-30")
        return len(captured)

    win(merger, rep, won_stage, on=date(2026, 5, 3), amount="1000")
    queries()  # the first request of a session reads more than the figures
    one = queries()
    for day in range(4, 12):
        other = factories.RepFactory(merger=merger)
        win(merger, other, won_stage, on=date(2026, 5, day), amount="1000")
        win(merger, other, won_stage, on=date(2026, 6, day), amount="1000")
    assert queries() == one


def test_a_win_deleted_after_the_close_stays_in_its_month_everywhere(
    client, merger, ops_user, executive_user, may_closed
):
    """The month's total kept it, so its list keeps it too: its count and its sum agree."""
    deleted = Opportunity.objects.get(pk=may_closed.pk)
    deleted.customer_need = "Remote monitoring"
    deleted.save(update_fields=["customer_need"])
    opportunity_delete(actor=ops_user, opportunity=deleted, expected_version=deleted.version)
    client.force_login(executive_user)

    page = client.get(reverse("tracker:wins"), {"month": "2026-05"}).context
    dashboard = client.get(reverse("scorecards:dashboard"), {"month": "2026-05"})
    board = top_wins_section(merger=merger, month=MAY).rows
    feed = api(executive_user, merger=merger.pk, closed_from="2026-05-01", closed_to="2026-05-31")

    listed = [(w.opportunity_id, w.amount, w.customer_need) for w in page["wins"]]
    assert listed[0] == (deleted.pk, Decimal("5000.00"), "Remote monitoring")
    assert (page["totals"].won_count, page["totals"].won_amount) == (2, Decimal("8000.00"))
    assert sum(w.amount for w in page["wins"]) == page["totals"].won_amount
    shown = dashboard.context["dashboard"].wins
    assert [w.amount for w in shown] == [Decimal("5000.00"), Decimal("3000.00")]
    assert [row[5] for row in board] == [Decimal("5000.00"), Decimal("3000.00")]
    assert [w["amount"] for w in feed] == ["5000.00", "3000.00"]
