"""A rep's credited cross-sell won drills down to its deals: the list adds up to the
figure of the quota board and the compensation page, live or frozen, and only those who
may see the rep's attainment may open it."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tracker.models import CompPlan, CreditSplit, Opportunity, SnapshotCredit, Stage
from tracker.quota_math import Period
from tracker.selectors.compensation import payouts_of_period
from tracker.selectors.credited_deals import credited_deals, team_credited_deals
from tracker.selectors.quotas import quota_board
from tracker.services.opportunities import opportunity_delete, opportunity_update
from tracker.services.snapshots import snapshot_freeze

MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


@pytest.fixture
def won_stage(merger):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    return factories.stages_of(merger, "identified", "won")["won"]


def win(merger, owner, stage, *, on, amount):
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=owner.company),
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal(amount),
        closed_on=on,
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )


def credit(deal, rep, kind, percent):
    return CreditSplit.objects.create(
        opportunity=deal, rep=rep, kind=kind, percent=Decimal(percent)
    )


def figure(merger, rep, first, last=None):
    payouts = payouts_of_period(merger=merger, month_from=first, month_to=last or first)
    return next((row.credited_won for row in payouts.rows if row.rep == rep), Decimal("0"))


def listed(merger, rep, first, last=None):
    return credited_deals(merger=merger, rep=rep, first=first, last_month=last or first)


def freeze_without_credits(merger, month):
    """A month frozen before its freeze kept its shares of credit: only its deals."""
    snapshot = snapshot_freeze(merger_id=merger.pk, month=month)
    SnapshotCredit.objects.filter(snapshot=snapshot).delete()


@pytest.fixture
def june_deals(merger, rep, other_rep, won_stage):
    """June: 10,000 split 60/40 between the rep and the other rep, with a 10% overlay for
    the other rep; 3,000 the rep owns alone; 2,000 the other rep owns."""
    shared = win(merger, rep, won_stage, on=date(2026, 6, 10), amount="10000")
    credit(shared, rep, CreditSplit.Kind.SPLIT, "60")
    credit(shared, other_rep, CreditSplit.Kind.SPLIT, "40")
    credit(shared, other_rep, CreditSplit.Kind.OVERLAY, "10")
    own = win(merger, rep, won_stage, on=date(2026, 6, 20), amount="3000")
    win(merger, other_rep, won_stage, on=date(2026, 6, 5), amount="2000")
    return shared, own


def test_a_live_months_credited_deals_add_up_to_the_reps_figure(
    merger, rep, other_rep, june_deals
):
    shared, own = june_deals
    mine, theirs = listed(merger, rep, JUNE), listed(merger, other_rep, JUNE)

    assert [(d.opportunity_id, d.kind, d.credited) for d in mine.deals] == [
        (own.pk, "owner", Decimal("3000.00")),
        (shared.pk, "split", Decimal("6000.00")),
    ]
    assert mine.total == mine.figure == figure(merger, rep, JUNE) == Decimal("9000")
    kinds = sorted((d.kind, d.credited) for d in theirs.deals)
    assert kinds == [
        ("overlay", Decimal("1000.00")),
        ("owner", Decimal("2000.00")),
        ("split", Decimal("4000.00")),
    ]
    assert theirs.total == theirs.figure == figure(merger, other_rep, JUNE) == Decimal("7000")


def test_a_closed_months_list_shows_its_deals_as_they_stood_and_adds_up_to_the_frozen_figure(
    merger, rep, ops_user, june_deals
):
    shared, own = june_deals
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    shared = Opportunity.objects.get(pk=shared.pk)
    opportunity_update(
        actor=ops_user,
        opportunity=shared,
        expected_version=shared.version,
        changes={"amount": Decimal("99999")},
    )
    opportunity_delete(actor=ops_user, opportunity=Opportunity.objects.get(pk=own.pk))

    june = listed(merger, rep, JUNE)

    assert june.frozen_months == (JUNE,)
    assert {(d.opportunity_id, d.amount, d.frozen, d.exists) for d in june.deals} == {
        (own.pk, Decimal("3000"), True, False),
        (shared.pk, Decimal("10000"), True, True),
    }
    assert june.total == june.figure == figure(merger, rep, JUNE) == Decimal("9000")
    assert june.frozen_difference == 0


def test_a_deleted_deals_lost_credit_lines_are_said_not_passed_off_if_its_month_kept_no_credit(
    client, merger, rep, ops_user, june_deals
):
    shared, _own = june_deals
    freeze_without_credits(merger, JUNE)
    opportunity_delete(actor=ops_user, opportunity=Opportunity.objects.get(pk=shared.pk))

    june = listed(merger, rep, JUNE)

    # Its split lines went with it: today it would credit its owner in full.
    assert (june.figure, june.frozen_listed) == (Decimal("9000"), Decimal("13000.00"))
    client.force_login(ops_user)
    page = client.get(reverse("tracker:credited_deals", args=[rep.pk]), {"period": "2026-06"})
    assert "against the frozen 9,000" in page.content.decode()


def test_a_split_changed_after_the_freeze_is_said_with_the_difference_if_its_month_kept_no_credit(
    client, merger, rep, ops_user, june_deals
):
    shared, _own = june_deals
    freeze_without_credits(merger, JUNE)
    # 60/40 becomes 50/50: splits still add up to 100%, as the database requires.
    CreditSplit.objects.filter(opportunity=shared, kind=CreditSplit.Kind.SPLIT).update(
        percent=Decimal("50")
    )

    june = listed(merger, rep, JUNE)

    assert june.figure == Decimal("9000")
    assert (june.frozen_listed, june.frozen_difference) == (Decimal("8000.00"), -1000)
    client.force_login(ops_user)
    page = client.get(reverse("tracker:credited_deals", args=[rep.pk]), {"period": "2026-06"})
    assert "against the frozen 9,000" in page.content.decode()


def test_the_quota_board_and_the_compensation_page_link_each_reps_credited_won(
    client, merger, rep, ops_user, june_deals
):
    factories.QuotaFactory(rep=rep, period_start=JUNE, cross_sell_amount=Decimal("20000"))
    CompPlan.objects.create(
        merger=merger, name="Sellers", period_start=MAY, period_end=date(2026, 12, 31)
    ).reps.add(rep)
    url = reverse("tracker:credited_deals", args=[rep.pk]) + "?period=2026-06"
    client.force_login(ops_user)
    for page in ("tracker:quotas", "tracker:compensation"):
        html = client.get(reverse(page), {"period": "2026-06"}).content.decode()
        assert f'<a href="{url}">9,000</a>' in html, page
    html = client.get(url).content.decode()
    assert "Credited cross-sell won 9,000" in html
    assert "Split, 60%" in html and "Owner, in full" in html


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("rep_user", 200), ("leader_user", 200), ("executive_user", 200), ("other_rep", 403)],
)
def test_only_who_may_see_the_reps_attainment_opens_the_list(
    request, client, merger, rep, june_deals, viewer, status
):
    user = request.getfixturevalue(viewer)
    client.force_login(getattr(user, "user", user))
    response = client.get(reverse("tracker:credited_deals", args=[rep.pk]), {"period": "2026-06"})
    assert response.status_code == status


def test_the_list_reads_in_queries_that_do_not_grow_with_the_deals(
    client, merger, rep, ops_user, won_stage
):
    url = reverse("tracker:credited_deals", args=[rep.pk])
    client.force_login(ops_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"period": "2026-06"}).status_code == 200
        return len(captured)

    win(merger, rep, won_stage, on=date(2026, 6, 3), amount="100")
    few = queries()
    for day in range(4, 12):
        win(merger, rep, won_stage, on=date(2026, 6, day), amount="100")
    assert queries() == few


def test_a_teams_credited_deals_add_up_to_its_line_on_the_quota_board(
    client, merger, rep, other_rep, ops_user, leader_user, team, june_deals
):
    other_rep.team = team
    other_rep.save()
    board = quota_board(merger=merger, period=Period(JUNE))
    [line] = [line for line in board.teams if line.team == team]

    listed = team_credited_deals(merger=merger, team=team, first=JUNE, last_month=JUNE)

    assert listed.total == listed.figure == line.figures.credited_won == Decimal("16000")
    assert {deal.rep for deal in listed.deals} == {str(rep), str(other_rep)}
    client.force_login(leader_user)
    url = reverse("tracker:credited_deals_team", args=[team.pk]) + "?period=2026-06"
    board_page = client.get(reverse("tracker:quotas"), {"period": "2026-06"}).content.decode()
    assert f'<a href="{url}">16,000</a>' in board_page
    assert client.get(url).status_code == 200


def test_a_rep_who_changed_team_is_said_as_a_difference_if_its_month_kept_no_credit(
    client, merger, rep, other_rep, ops_user, team, june_deals
):
    freeze_without_credits(merger, JUNE)
    other_rep.team = team
    other_rep.save()

    listed = team_credited_deals(merger=merger, team=team, first=JUNE, last_month=JUNE)

    assert listed.figure == listed.frozen_figure == Decimal("9000")
    assert listed.frozen_listed == Decimal("16000.00")
    client.force_login(ops_user)
    page = client.get(
        reverse("tracker:credited_deals_team", args=[team.pk]), {"period": "2026-06"}
    )
    assert "a rep changed team" in page.content.decode()


def test_a_closed_months_list_keeps_its_credit_lines_when_a_split_changes_since(
    client, merger, rep, ops_user, june_deals
):
    shared, _own = june_deals
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    CreditSplit.objects.filter(opportunity=shared, kind=CreditSplit.Kind.SPLIT).update(
        percent=Decimal("50")
    )

    june = listed(merger, rep, JUNE)

    assert {(d.opportunity_id, d.kind, d.percent) for d in june.deals if d.kind == "split"} == {
        (shared.pk, "split", Decimal("60"))
    }
    assert june.total == june.frozen_listed == june.figure == Decimal("9000")
    client.force_login(ops_user)
    page = client.get(reverse("tracker:credited_deals", args=[rep.pk]), {"period": "2026-06"})
    html = page.content.decode()
    assert "and their credit as they stood at the month" in html
    assert "against the frozen" not in html


def test_a_closed_months_list_keeps_the_credit_lines_of_a_deal_deleted_since(
    merger, rep, other_rep, ops_user, june_deals
):
    shared, own = june_deals
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    opportunity_delete(actor=ops_user, opportunity=Opportunity.objects.get(pk=shared.pk))

    mine, theirs = listed(merger, rep, JUNE), listed(merger, other_rep, JUNE)

    assert {(d.opportunity_id, d.kind, d.credited, d.exists) for d in mine.deals} == {
        (own.pk, "owner", Decimal("3000.00"), True),
        (shared.pk, "split", Decimal("6000.00"), False),
    }
    assert mine.frozen_listed == mine.figure == Decimal("9000")
    assert theirs.frozen_listed == theirs.figure == Decimal("7000")


def test_a_rep_moved_after_the_freeze_stays_in_the_closed_months_team_list(
    client, merger, rep, other_rep, ops_user, team, june_deals
):
    shared, own = june_deals
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    # The rep leaves the team, and the other rep joins it.
    rep.team, other_rep.team = other_rep.team, team
    rep.save()
    other_rep.save()

    listed = team_credited_deals(merger=merger, team=team, first=JUNE, last_month=JUNE)

    assert {(d.opportunity_id, d.rep, d.kind) for d in listed.deals} == {
        (own.pk, str(rep), "owner"),
        (shared.pk, str(rep), "split"),
    }
    assert listed.total == listed.frozen_listed == listed.frozen_figure == Decimal("9000")
    client.force_login(ops_user)
    page = client.get(
        reverse("tracker:credited_deals_team", args=[team.pk]), {"period": "2026-06"}
    )
    assert "a rep changed team" not in page.content.decode()


def test_a_closed_months_list_reads_in_queries_that_do_not_grow_with_its_deals(
    client, merger, rep, other_rep, ops_user, won_stage
):
    url = reverse("tracker:credited_deals", args=[rep.pk])
    client.force_login(ops_user)

    def queries(period: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"period": period}).status_code == 200
        return len(captured)

    win(merger, rep, won_stage, on=date(2026, 5, 3), amount="100")
    for day in range(3, 12):
        deal = win(merger, rep, won_stage, on=date(2026, 6, day), amount="100")
        credit(deal, other_rep, CreditSplit.Kind.OVERLAY, "10")
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    snapshot_freeze(merger_id=merger.pk, month=JUNE)

    assert queries("2026-06") == queries("2026-05")


def test_the_freeze_keeps_each_share_of_credit_with_the_reps_team_then(
    merger, rep, other_rep, team, june_deals
):
    shared, own = june_deals
    snapshot = snapshot_freeze(merger_id=merger.pk, month=JUNE)
    kept = snapshot.credits.values_list("opportunity_id", "rep_id", "team_id", "kind", "percent")

    east = other_rep.team_id
    assert sorted(kept) == sorted(
        [
            (shared.pk, rep.pk, team.pk, "split", Decimal("60")),
            (shared.pk, other_rep.pk, east, "split", Decimal("40")),
            (shared.pk, other_rep.pk, east, "overlay", Decimal("10")),
            (own.pk, rep.pk, team.pk, "owner", Decimal("100")),
            (own.pk + 1, other_rep.pk, east, "owner", Decimal("100")),
        ]
    )
