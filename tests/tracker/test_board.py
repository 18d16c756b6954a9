"""The pipeline board: columns per open stage, bounded cards, one click to move a deal on."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.history import field_lines
from tracker.models import Opportunity, Stage
from tracker.selectors.board import pipeline_board
from tracker.selectors.pipeline import opportunities_for_list

BOARD = reverse("tracker:pipeline_board")


@pytest.fixture
def stages(merger, acquired):
    return factories.stages_of(merger, "identified", "proposal", "commit", "won", "lost")


def _deals(merger, owner, stage, count, **extra):
    company = merger.companies.get(role="acquired")
    return [
        factories.OpportunityFactory(
            merger=merger,
            owner=owner,
            stage=stage,
            product=factories.ProductFactory(company=company),
            **extra,
        )
        for _ in range(count)
    ]


def test_the_board_has_a_column_per_open_stage_with_counts_and_bounded_cards(merger, rep, stages):
    _deals(merger, rep, stages["identified"], 5)
    _deals(merger, rep, stages["proposal"], 2)
    _deals(merger, rep, stages["won"], 1, closed_on="2026-01-05")

    columns = pipeline_board(
        merger_id=merger.pk,
        opportunities=opportunities_for_list(merger_id=merger.pk),
        per_column=3,
    )

    assert [c.stage.name for c in columns] == ["Identified", "Proposal", "Negotiation"]
    assert [(c.count, len(c.cards), c.more) for c in columns] == [(5, 3, 2), (2, 2, 0), (0, 0, 0)]
    assert columns[0].amount == sum(
        o.amount for o in Opportunity.objects.filter(stage=stages["identified"])
    )
    assert [c.next_stage.name for c in columns] == ["Proposal", "Negotiation", "Closed won"]


def test_the_board_page_reads_in_a_constant_number_of_queries(
    client, leader_user, merger, rep, other_rep, stages
):
    client.force_login(leader_user)
    _deals(merger, rep, stages["identified"], 2)
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    _deals(merger, rep, stages["identified"], 30)
    _deals(merger, rep, stages["proposal"], 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(BOARD)

    assert response.status_code == 200
    assert len(many) == len(few)
    assert "20 more deals" in response.content.decode()


def _move_form(body: str, account_name: str) -> dict[str, str]:
    card = re.search(rf">{re.escape(account_name)}</a>.*?</li>", body, flags=re.S).group(0)
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', card))


def test_a_rep_moves_a_card_on_from_the_board_and_comes_back_to_it(
    client, rep_user, merger, rep, stages
):
    account = factories.UnifiedAccountFactory(merger=merger, name="Board Mining")
    (deal,) = _deals(merger, rep, stages["commit"], 1, account=account)
    client.force_login(rep_user)

    body = client.get(BOARD + "?q=Board").content.decode()
    response = client.post(
        reverse("tracker:opportunity_stage", args=[deal.pk]), _move_form(body, "Board Mining")
    )

    assert response.status_code == 302 and response["Location"] == BOARD + "?q=Board"
    deal.refresh_from_db()
    assert deal.outcome == Stage.Outcome.WON  # the last open stage moves on to won
    assert field_lines(deal, field="stage")


def test_the_board_moves_a_deal_to_any_column_as_a_drop_does(
    client, rep_user, merger, rep, stages
):
    account = factories.UnifiedAccountFactory(merger=merger, name="Drop Corp")
    (deal,) = _deals(merger, rep, stages["identified"], 1, account=account)
    client.force_login(rep_user)
    form = _move_form(client.get(BOARD).content.decode(), "Drop Corp")

    client.post(
        reverse("tracker:opportunity_stage", args=[deal.pk]),
        {**form, "stage": stages["commit"].pk},
    )

    deal.refresh_from_db()
    assert deal.stage == stages["commit"]


def test_a_rep_sees_only_their_own_cards_and_an_executive_cannot_move_any(
    client, rep_user, executive_user, merger, rep, other_rep, stages
):
    mine = factories.UnifiedAccountFactory(merger=merger, name="Mine Ltd")
    theirs = factories.UnifiedAccountFactory(merger=merger, name="Theirs Ltd")
    _deals(merger, rep, stages["identified"], 1, account=mine)
    _deals(merger, other_rep, stages["identified"], 1, account=theirs)

    client.force_login(rep_user)
    body = client.get(BOARD).content.decode()
    assert "Mine Ltd" in body and "Theirs Ltd" not in body

    client.force_login(executive_user)
    body = client.get(BOARD).content.decode()
    assert "Mine Ltd" in body and "Theirs Ltd" in body
    assert "board-card__move" not in body and "draggable" not in body


def test_a_stale_card_move_is_refused(client, rep_user, leader_user, merger, rep, stages):
    account = factories.UnifiedAccountFactory(merger=merger, name="Stale Card")
    (deal,) = _deals(merger, rep, stages["identified"], 1, account=account)
    client.force_login(rep_user)
    form = _move_form(client.get(BOARD).content.decode(), "Stale Card")
    client.force_login(leader_user)
    client.post(
        reverse("tracker:opportunity_stage", args=[deal.pk]),
        {**form, "stage": stages["commit"].pk},
    )
    client.force_login(rep_user)

    response = client.post(reverse("tracker:opportunity_stage", args=[deal.pk]), form, follow=True)

    assert "changed this opportunity at" in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == stages["commit"]
