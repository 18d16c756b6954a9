"""Won deals close the loop: the sale enters the install base; statuses and whitespace follow."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import (
    PROGRAM_CRM_ID_PREFIX,
    Holding,
    ProductMapping,
    ProductOwnership,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.selectors.whitespace import CellState, whitespace_matrix
from accounts.services.refresh import merger_analysis_refresh
from tests import factories
from tracker.models import Opportunity, Stage
from tracker.services import won_sales
from tracker.services.bulk import opportunities_bulk_change
from tracker.services.opportunities import (
    opportunity_create,
    opportunity_delete,
    opportunity_reopen,
    opportunity_update,
)
from tracker.services.won_sales import DealRow, carriers

DAY_ONE = dt.date(2025, 7, 1)
FEB, MARCH = dt.date(2026, 2, 10), dt.date(2026, 3, 20)
Status = UnifiedAccount.Status


@pytest.fixture
def program(merger):
    merger.day_one = DAY_ONE
    merger.save()
    return merger


@pytest.fixture
def stages(program):
    return factories.stages_of(program, "identified", "proposal", "won", "lost")


@pytest.fixture
def sensor(acquirer):
    return factories.ProductFactory(company=acquirer, name="Sensor")


@pytest.fixture
def analytics(acquired):
    return factories.ProductFactory(company=acquired, name="Analytics")


@pytest.fixture
def a_customer(program, acquirer, sensor):
    """A customer of the acquirer since before Day 1, owning the sensor."""
    account = factories.UnifiedAccountFactory(merger=program, name="Acme Mining")
    record = factories.SourceAccountFactory(company=acquirer, unified=account, is_customer=True)
    factories.HoldingFactory(account=record, product=sensor, since=dt.date(2023, 4, 1))
    merger_analysis_refresh(merger_id=program.pk, notify=False)
    account.refresh_from_db()
    return account


@pytest.fixture
def deal(program, a_customer, analytics, rep, rep_user, stages):
    """Log a deal of B's analytics to A's customer; won on `closed_on` if given."""

    def log(*, closed_on=None, amount=Decimal("40000.00"), account=None, product=None):
        stage = stages["won"] if closed_on else stages["identified"]
        return opportunity_create(
            actor=rep_user,
            merger=program,
            account=account or a_customer,
            product=product or analytics,
            owner=rep,
            stage=stage,
            expected_close=dt.date(2026, 6, 30),
            customer_need="Unplanned downtime on the crushers",
            amount=amount,
            closed_on=closed_on,
        )

    return log


def win(opportunity, stages, actor, closed_on=FEB):
    return opportunity_update(
        actor=actor,
        opportunity=opportunity,
        expected_version=opportunity.version,
        changes={"stage": stages["won"], "closed_on": closed_on},
    )


def sale_of(opportunity) -> Holding | None:
    return Holding.objects.filter(won_deal=opportunity).select_related("account").first()


def test_a_win_records_the_sale_at_the_selling_company_and_the_buyer_becomes_a_customer_of_both(
    deal, stages, rep_user, a_customer, acquired, analytics
):
    opportunity = deal()
    assert sale_of(opportunity) is None

    won = win(opportunity, stages, rep_user)

    holding = sale_of(won)
    assert won.holding_id == holding.pk
    assert (holding.product, holding.annual_revenue, holding.since) == (
        analytics,
        Decimal("40000.00"),
        FEB,
    )
    assert holding.origin == Holding.Origin.WON_DEAL
    record = holding.account
    # The buyer had no record at the acquired company: the program made one, apart from CRM ids.
    assert (record.company, record.unified, record.origin) == (
        acquired,
        a_customer,
        SourceAccount.Origin.PROGRAM,
    )
    assert record.crm_id.startswith(PROGRAM_CRM_ID_PREFIX)
    a_customer.refresh_from_db()
    assert a_customer.status == Status.BOTH
    assert a_customer.acquired_customer_since == FEB
    # A customer since the win, not since Day 1: the Day-1 relationship stays as it was.
    assert a_customer.acquirer_customer_since == dt.date(2023, 4, 1)
    assert a_customer.acquired_customer_since > DAY_ONE


def test_the_sale_goes_on_the_buyers_existing_record_at_the_selling_company(
    deal, stages, rep_user, a_customer, acquired
):
    prospect_record = factories.SourceAccountFactory(
        company=acquired, unified=a_customer, is_customer=False
    )

    won = win(deal(), stages, rep_user)

    assert sale_of(won).account == prospect_record
    assert not SourceAccount.objects.filter(origin=SourceAccount.Origin.PROGRAM).exists()


def test_reopening_removes_the_sale_and_the_record_made_for_it(deal, stages, rep_user, a_customer):
    won = win(deal(), stages, rep_user)

    reopened = opportunity_reopen(actor=rep_user, opportunity=won, expected_version=won.version)

    assert reopened.holding_id is None
    assert not Holding.objects.filter(origin=Holding.Origin.WON_DEAL).exists()
    assert not SourceAccount.objects.filter(origin=SourceAccount.Origin.PROGRAM).exists()
    a_customer.refresh_from_db()
    assert a_customer.status == Status.ACQUIRER_ONLY
    assert a_customer.acquired_customer_since is None


def test_correcting_the_amount_or_close_date_corrects_the_sale_in_place(deal, stages, rep_user):
    won = win(deal(), stages, rep_user)
    holding_id = won.holding_id

    corrected = opportunity_update(
        actor=rep_user,
        opportunity=won,
        expected_version=won.version,
        changes={"amount": Decimal("52000.00"), "closed_on": MARCH},
    )

    holding = Holding.objects.get(pk=holding_id)
    assert corrected.holding_id == holding_id
    assert (holding.annual_revenue, holding.since) == (Decimal("52000.00"), MARCH)
    corrected.account.refresh_from_db()
    assert corrected.account.acquired_customer_since == MARCH


def test_moving_a_won_deal_to_another_account_or_product_moves_the_sale(
    deal, stages, rep_user, a_customer, program, acquired
):
    won = win(deal(), stages, rep_user)
    other = factories.UnifiedAccountFactory(merger=program, name="Borealis Metals")
    dashboards = factories.ProductFactory(company=acquired, name="Dashboards")

    moved = opportunity_update(
        actor=rep_user,
        opportunity=won,
        expected_version=won.version,
        changes={"account": other, "product": dashboards},
    )

    holding = sale_of(moved)
    assert (holding.account.unified, holding.product) == (other, dashboards)
    assert Holding.objects.filter(origin=Holding.Origin.WON_DEAL).count() == 1
    a_customer.refresh_from_db()
    other.refresh_from_db()
    assert (a_customer.status, other.status) == (Status.ACQUIRER_ONLY, Status.ACQUIRED_ONLY)


def test_deleting_a_won_deal_removes_its_sale(deal, stages, rep_user, ops_user, a_customer):
    won = win(deal(), stages, rep_user)

    opportunity_delete(actor=ops_user, opportunity=won, expected_version=won.version)

    assert not Holding.objects.filter(origin=Holding.Origin.WON_DEAL).exists()
    a_customer.refresh_from_db()
    assert a_customer.status == Status.ACQUIRER_ONLY


def test_a_product_the_crm_shows_already_gets_no_second_holding(
    deal, stages, rep_user, a_customer, acquired, analytics
):
    record = factories.SourceAccountFactory(company=acquired, unified=a_customer)
    crm_holding = factories.HoldingFactory(
        account=record, product=analytics, since=dt.date(2024, 1, 1)
    )

    won = win(deal(), stages, rep_user)
    reopened = opportunity_reopen(actor=rep_user, opportunity=won, expected_version=won.version)

    # Linked to nothing, and the CRM's holding is never touched: not on the win, not on reopen.
    assert won.holding_id is None and reopened.holding_id is None
    assert list(Holding.objects.filter(product=analytics)) == [crm_holding]
    crm_holding.refresh_from_db()
    assert (crm_holding.annual_revenue, crm_holding.since) == (
        Decimal("12000.00"),
        dt.date(2024, 1, 1),
    )


def test_the_first_won_deal_carries_the_sale_and_the_next_takes_over_when_it_is_undone(
    deal, stages, rep_user, a_customer
):
    first = deal(closed_on=FEB)
    second = deal(closed_on=MARCH, amount=Decimal("9000.00"))
    first.refresh_from_db()
    holding_id = first.holding_id
    assert second.holding_id is None
    assert Holding.objects.get(pk=holding_id).since == FEB

    opportunity_reopen(actor=rep_user, opportunity=first, expected_version=first.version)

    second.refresh_from_db()
    holding = Holding.objects.get(pk=second.holding_id)
    assert (holding.pk, holding.since, holding.annual_revenue) == (
        holding_id,
        MARCH,
        Decimal("9000.00"),
    )


def test_a_greenfield_account_that_buys_becomes_a_customer_and_undoing_it_makes_it_greenfield(
    deal, stages, rep_user, program, analytics
):
    greenfield = factories.UnifiedAccountFactory(merger=program, name="Nova Hydro")
    won = deal(account=greenfield, closed_on=FEB)
    greenfield.refresh_from_db()
    assert greenfield.status == Status.ACQUIRED_ONLY

    opportunity_reopen(actor=rep_user, opportunity=won, expected_version=won.version)

    greenfield.refresh_from_db()
    assert greenfield.status == Status.NEITHER
    assert not greenfield.sources.exists()


def test_an_open_deal_takes_its_pair_out_of_the_whitespace_until_it_is_lost(
    deal, stages, rep_user, program, a_customer, sensor, analytics
):
    factories.ProductMappingFactory(
        merger=program, source=sensor, target=analytics, reason="Sensor data needs analytics"
    )
    merger_analysis_refresh(merger_id=program.pk, notify=False)
    candidates = WhitespaceCell.objects.filter(account=a_customer, product=analytics)
    assert candidates.exists()

    opportunity = deal()
    assert not candidates.exists()
    merger_analysis_refresh(merger_id=program.pk, notify=False)
    assert not candidates.exists()

    opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=opportunity.version,
        changes={"stage": stages["lost"], "closed_on": FEB, "lost_reason": "No budget"},
    )
    assert candidates.exists()


def test_a_won_pair_is_owned_not_a_candidate_and_its_new_partners_are(
    deal, stages, rep_user, program, a_customer, sensor, analytics, acquired
):
    support = factories.ProductFactory(company=acquired, name="Support plan")
    factories.ProductMappingFactory(merger=program, source=sensor, target=analytics)
    factories.ProductMappingFactory(
        merger=program,
        source=analytics,
        target=support,
        relation=ProductMapping.Relation.SERVICE,
    )

    deal(closed_on=FEB)

    cells = dict(
        WhitespaceCell.objects.filter(account=a_customer).values_list("product__name", "direction")
    )
    # Analytics is owned now; support is offered within B's own base, the account is B's too.
    assert cells == {"Support plan": "within"}


def test_a_leaders_bulk_move_to_won_records_every_sale(
    deal, stages, leader_user, program, a_customer, analytics, acquired, rep
):
    dashboards = factories.ProductFactory(company=acquired, name="Dashboards")
    deals = [deal(), deal(product=dashboards)]

    outcome = opportunities_bulk_change(
        actor=leader_user,
        merger=program,
        items=[(o.pk, o.version) for o in deals],
        stage=stages["won"],
        closed_on=MARCH,
    )

    assert outcome.count(outcome.results[0].status) == 2
    for opportunity in Opportunity.objects.filter(pk__in=[o.pk for o in deals]):
        assert opportunity.outcome == Stage.Outcome.WON
        assert sale_of(opportunity).since == MARCH
    assert Holding.objects.filter(origin=Holding.Origin.WON_DEAL).count() == 2


def test_a_win_through_the_api_records_the_sale(deal, stages, rep_user):
    opportunity = deal()
    client = APIClient()
    client.force_authenticate(rep_user)

    response = client.patch(
        f"/api/v1/opportunities/{opportunity.pk}/",
        {"version": opportunity.version, "stage": stages["won"].pk, "closed_on": "2026-02-10"},
        format="json",
    )

    assert response.status_code == 200, response.content
    opportunity.refresh_from_db()
    assert sale_of(opportunity).since == FEB


def test_the_programs_ownership_counts_follow_after_commit(
    deal, program, analytics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal(closed_on=FEB)

    # The buyer became a customer of both companies, and owns the product in both counts.
    owners = ProductOwnership.objects.filter(merger=program, product=analytics, other=None)
    assert dict(owners.values_list("population", "accounts")) == {"both": 1, "acquired": 1}


def test_the_first_won_deal_of_a_pair_carries_it():
    def row(pk, outcome, closed_on, account=1, product=2):
        return DealRow(pk, account, product, outcome, Decimal("1"), closed_on, None)

    rows = [
        row(1, "won", MARCH),
        row(2, "won", FEB),
        row(3, "won", FEB),
        row(4, "open", None),
        row(5, "lost", dt.date(2025, 1, 1)),
        row(6, "won", MARCH, product=3),
    ]

    chosen = carriers(rows)

    assert {pair: r.pk for pair, r in chosen.items()} == {(1, 2): 2, (1, 3): 6}


@pytest.fixture
def mapped_segment(program, sensor, analytics, acquired):
    """A segment whose A customers are candidates for analytics and, once they own it, support."""
    support = factories.ProductFactory(company=acquired, name="Support plan")
    factories.ProductMappingFactory(merger=program, source=sensor, target=analytics)
    factories.ProductMappingFactory(merger=program, source=analytics, target=support)
    return factories.SegmentFactory(merger=program, name="Utilities")


def _segment_accounts(program, acquirer, sensor, segment, n, start=0):
    accounts = []
    for i in range(start, start + n):
        account = factories.UnifiedAccountFactory(
            merger=program, segment=segment, name=f"Mill {i:03d}"
        )
        record = factories.SourceAccountFactory(company=acquirer, unified=account)
        factories.HoldingFactory(account=record, product=sensor, since=dt.date(2024, 1, 1))
        accounts.append(account)
    merger_analysis_refresh(merger_id=program.pk, notify=False)
    return accounts


def test_the_grid_shows_won_and_in_pipeline_cells_with_their_deals_never_as_candidates(
    program, acquirer, sensor, analytics, mapped_segment, deal, stages
):
    won_account, open_account, free_account = _segment_accounts(
        program, acquirer, sensor, mapped_segment, 3
    )
    won = deal(account=won_account, closed_on=FEB)
    open_deal = opportunity_update(
        actor=won.created_by,
        opportunity=deal(account=open_account),
        expected_version=1,
        changes={"stage": stages["proposal"]},
    )

    matrix = whitespace_matrix(merger=program, segment=mapped_segment)

    column = [p.id for p in matrix.products].index(analytics.pk)
    cells = {row.id: row.cells[column] for row in matrix.rows}
    assert cells[won_account.pk].state == CellState.WON
    assert cells[won_account.pk].deal_url == f"/pipeline/{won.pk}/"
    assert cells[won_account.pk].value == Decimal("40000.00")
    assert cells[open_account.pk].state == CellState.IN_PIPELINE
    assert cells[open_account.pk].deal_url == f"/pipeline/{open_deal.pk}/"
    assert cells[open_account.pk].deal_stage == "Proposal"
    assert cells[free_account.pk].state == CellState.CANDIDATE
    counts = {row.id: row.candidate_count for row in matrix.rows}
    # The won account is offered support instead; the open one nothing more yet.
    assert counts == {won_account.pk: 1, open_account.pk: 0, free_account.pk: 1}


def test_the_whitespace_page_shows_deals_in_a_query_count_that_does_not_grow(
    client, rep_user, program, acquirer, sensor, mapped_segment, deal
):
    client.force_login(rep_user)
    url = reverse("accounts:whitespace") + f"?segment={mapped_segment.pk}"

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    first = _segment_accounts(program, acquirer, sensor, mapped_segment, 2)
    deal(account=first[0], closed_on=FEB)
    deal(account=first[1])
    few, html = queries()
    assert "In pipeline" in html and ">Won</a>" in html
    more = _segment_accounts(program, acquirer, sensor, mapped_segment, 20, start=2)
    for account in more[:10]:
        deal(account=account, closed_on=FEB)
    for account in more[10:]:
        deal(account=account)

    assert queries()[0] == few


def test_a_bulk_sync_in_small_chunks_records_every_sale(
    deal, program, a_customer, analytics, monkeypatch
):
    other = factories.UnifiedAccountFactory(merger=program, name="Borealis Metals")
    deals = [deal(closed_on=FEB), deal(account=other, closed_on=MARCH)]
    Holding.objects.filter(origin=Holding.Origin.WON_DEAL).delete()  # as before wins were kept
    monkeypatch.setattr(won_sales, "SYNC_CHUNK_ACCOUNTS", 1)
    out = StringIO()

    call_command("won_sales_sync", str(program.pk), stdout=out)

    assert "2 won deals linked" in out.getvalue()
    for opportunity in deals:
        opportunity.refresh_from_db()
        assert sale_of(opportunity).product == analytics
    other.refresh_from_db()
    assert other.status == Status.ACQUIRED_ONLY
    call_command("won_sales_sync", stdout=out)
    assert "0 won deals linked" in out.getvalue()


def test_the_risk_screen_runs_again_when_a_deal_moves_a_holding_and_only_then(
    deal, stages, rep_user, a_customer, monkeypatch
):
    from accounts.services import refresh

    screened = []
    screen = refresh.account_signals_refresh

    def spy(*, merger_id, account_ids=None):
        screened.append(list(account_ids))
        return screen(merger_id=merger_id, account_ids=account_ids)

    monkeypatch.setattr(refresh, "account_signals_refresh", spy)
    opportunity = deal()
    assert screened == []  # an open deal changes no product held
    win(opportunity, stages, rep_user)
    assert screened == [[a_customer.pk]]  # the sale is a product held: the screen reads it
