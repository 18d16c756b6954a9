"""The wins page of a closed month lists its wins as they stood at the month's end, with
the figures its snapshot froze, as the dashboard does: a later edit is a restatement."""

from datetime import date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserPreference
from tests import factories
from tracker.models import MonthlySnapshot, Opportunity, SnapshotLine, Stage
from tracker.selectors import wins as wins_selectors
from tracker.selectors.wins import wins_frozen
from tracker.services.opportunities import opportunity_update
from tracker.services.snapshots import snapshot_freeze

MAY = date(2026, 5, 1)
URL = reverse("tracker:wins")


@pytest.fixture
def won_stage(merger):
    return factories.stages_of(merger, "won")["won"]


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


@pytest.fixture
def may_frozen_then_edited(merger, rep, won_stage, ops_user):
    """Two May wins (5,000 and 3,000) frozen; then the first is raised to 8,000 and a
    third May win is entered late."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    raised = win(merger, rep, won_stage, on=date(2026, 5, 20), amount="5000")
    win(merger, rep, won_stage, on=date(2026, 5, 10), amount="3000")
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    opportunity_update(
        actor=ops_user,
        opportunity=Opportunity.objects.get(pk=raised.pk),
        expected_version=raised.version,
        changes={"amount": Decimal("8000")},
    )
    late = win(merger, rep, won_stage, on=date(2026, 5, 25), amount="9000")
    late.created_at = timezone.now()
    late.save(update_fields=["created_at"])
    return raised


def test_a_closed_month_lists_its_frozen_wins_and_figures(
    client, rep_user, may_frozen_then_edited
):
    assert Opportunity.objects.get(pk=may_frozen_then_edited.pk).amount == Decimal("8000")
    client.force_login(rep_user)

    page = client.get(URL, {"month": "2026-05"})

    wins = page.context["wins"]
    assert [(w.closed_on, w.amount) for w in wins] == [
        (date(2026, 5, 20), Decimal("5000.00")),
        (date(2026, 5, 10), Decimal("3000.00")),
    ]
    totals = page.context["totals"]
    assert (totals.won_count, totals.won_amount) == (2, Decimal("8000.00"))
    assert "Frozen snapshot of" in page.content.decode()


def test_the_wins_page_and_the_dashboard_read_the_same_frozen_wins(
    client, rep_user, merger, may_frozen_then_edited
):
    program = SnapshotLine.objects.get(
        snapshot=MonthlySnapshot.objects.get(merger=merger, month=MAY), scope="program"
    )
    dashboard = wins_frozen(merger=merger, snapshot=program.snapshot, frozen=program.wins)
    client.force_login(rep_user)

    page = client.get(URL, {"month": "2026-05"})

    in_may = [(w.opportunity_id, w.amount, w.closed_on) for w in dashboard if w.closed_on >= MAY]
    assert [(w.opportunity_id, w.amount, w.closed_on) for w in page.context["wins"]] == in_may
    assert page.context["totals"].won_amount == program.realized_synergy


def test_an_open_month_stays_live(client, rep_user, merger, rep, won_stage):
    today = timezone.localdate()
    win(merger, rep, won_stage, on=today, amount="4000")
    client.force_login(rep_user)

    page = client.get(URL)

    assert page.context["frozen_at"] is None
    assert page.context["totals"].won_amount == Decimal("4000.00")
    assert "Frozen snapshot of" not in page.content.decode()


def test_a_closed_months_page_query_count_does_not_grow_with_wins(
    client, rep_user, merger, rep, won_stage
):
    def queries() -> int:
        MonthlySnapshot.objects.filter(merger=merger, month=MAY).delete()
        snapshot_freeze(merger_id=merger.pk, month=MAY)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"month": "2026-05"}).status_code == 200
        return len(captured)

    merger.day_one = date(2026, 1, 1)
    merger.save()
    client.force_login(rep_user)
    win(merger, rep, won_stage, on=date(2026, 5, 3), amount="1000")
    one = queries()
    for day in range(4, 12):
        other = factories.RepFactory(merger=merger)
        win(merger, other, won_stage, on=date(2026, 5, day), amount="1000")
    assert queries() == one


@pytest.mark.parametrize("kept", [True, False], ids=["deals kept", "frozen before"])
def test_a_closed_month_replays_only_the_deals_that_can_have_been_won_in_it(
    client, rep_user, merger, rep, won_stage, ops_user, kept
):
    """A month frozen with its deals reads the wins it kept, and replays nothing. One
    frozen before replays its deals closed in it today, and those changed since the
    freeze: not every deal of the program, which would make the page and the wins API
    slower as the program grows."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    moved = win(merger, rep, won_stage, on=date(2026, 5, 20), amount="5000")
    april = win(merger, rep, won_stage, on=date(2026, 4, 10), amount="3000")
    snapshot = snapshot_freeze(merger_id=merger.pk, month=MAY)
    if not kept:
        snapshot.deals.all().delete()
        MonthlySnapshot.objects.filter(pk=snapshot.pk).update(rows_kept=False)
    # Moved to June after the freeze: still a May win of the closed month.
    opportunity_update(
        actor=ops_user,
        opportunity=Opportunity.objects.get(pk=moved.pk),
        expected_version=moved.version,
        changes={"closed_on": date(2026, 6, 2)},
    )
    client.force_login(rep_user)

    with mock.patch.object(
        wins_selectors, "deal_states_as_of", wraps=wins_selectors.deal_states_as_of
    ) as replay:
        page = client.get(URL, {"month": "2026-05"})

    assert [w.opportunity_id for w in page.context["wins"]] == [moved.pk]
    if kept:
        assert replay.call_args is None
        return
    assert moved.pk in set(replay.call_args.kwargs["ids"])
    assert april.pk not in set(replay.call_args.kwargs["ids"])


def test_a_russian_reader_reads_the_month_in_lowercase_inside_a_sentence(
    client, rep_user, may_frozen_then_edited
):
    UserPreference.objects.update_or_create(user=rep_user, defaults={"language": "ru"})
    client.force_login(rep_user)

    body = client.get(URL, {"month": "2026-05"}).content.decode()

    assert "Зафиксированный снимок за май 2026," in body
    # A month on its own, as on the buttons, keeps its capital.
    assert "← Апрель 2026" in body


@pytest.mark.parametrize("kept", [True, False], ids=["deals kept", "frozen before"])
def test_a_closed_months_wins_read_their_deals_unsorted(merger, rep, won_stage, ops_user, kept):
    """Its deals are read into sets and dicts by id and sorted once, newest first: the
    deals' and kept rows' default orders would sort every one of them for nothing."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    moved = win(merger, rep, won_stage, on=date(2026, 5, 20), amount="5000")
    win(merger, rep, won_stage, on=date(2026, 5, 10), amount="3000")
    snapshot = snapshot_freeze(merger_id=merger.pk, month=MAY)
    if not kept:
        snapshot.deals.all().delete()
        MonthlySnapshot.objects.filter(pk=snapshot.pk).update(rows_kept=False)
    opportunity_update(
        actor=ops_user,
        opportunity=Opportunity.objects.get(pk=moved.pk),
        expected_version=moved.version,
        changes={"closed_on": date(2026, 6, 2)},
    )

    with CaptureQueriesContext(connection) as queries:
        frozen = wins_selectors.closed_month_wins(merger=merger, month=MAY)

    assert len(frozen.wins) == 2
    default_orders = (
        '"tracker_opportunity"."updated_at" DESC',
        '"tracker_snapshotdeal"."stage_order"',
    )
    sorted_for_nothing = [
        query["sql"]
        for query in queries.captured_queries
        if any(f"ORDER BY {order}" in query["sql"] for order in default_orders)
    ]
    assert sorted_for_nothing == []
