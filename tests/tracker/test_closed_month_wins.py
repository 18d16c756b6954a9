"""A closed month's wins have one definition (closed_month_wins): the wins page, the board
pack's top wins, the dashboard and the wins API show them as they stood at the month's
end, whatever was edited since; a range over open months adds their live wins."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from scorecards.selectors.board_pack import top_wins_section
from tests import factories
from tracker.models import Opportunity, Stage
from tracker.services.opportunities import opportunity_update
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

    raised = may_closed.pk
    assert [w.rep for w in page if w.opportunity_id == raised] == [str(rep)]
    assert [w.rep for w in dashboard.context["dashboard"].wins if w.opportunity_id == raised] == [
        str(rep)
    ]
    assert board[0][2] == str(rep)
