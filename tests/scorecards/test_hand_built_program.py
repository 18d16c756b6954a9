"""A small program built by hand, whose every figure is worked out by hand below.

Two companies, three customers, three deals over three months: a cross-sell won
in February, a company's own sale to its own Day-1 customer won beside it, a
deal won and reopened in March, and the February deal's amount corrected after
February was closed. Each figure is checked on the dashboard, the program
scorecard, the API and every export format, before and after the correction;
and a program with no data yet says "not measured" rather than failing.

Worked by hand (USD):
- Targets: 10,000 a month from January, program and segment alike.
- January (closed): three deals open at 10% (8,000 + 5,000 + 3,000 = 16,000;
  weighted 1,600); nothing won.
- February (closed): Predikt's Analytics won at Acme Mining for 8,000 (a Sensa
  Day-1 customer: cross-company, realized); Sensa's Gateway won at Acme for
  3,000 (Sensa's own Day-1 customer: business as usual, not realized). Realized
  in February 8,000, to date 8,000 against 20,000 targeted: 40.0%, gap 60.0%.
  Still open at the month's end: Sensa's Gateway to Bolt, 5,000 at 10%. The
  rep's February cross-sell quota is 20,000: attainment 40.0%.
- March (open, today the 20th): the Analytics deal is corrected to 9,000 on the
  10th: February stays 8,000, March books a +1,000 restatement. The Bolt deal is
  won on the 12th and reopened on the 15th: realized in March 0. Realized to
  date 9,000 against 30,000: 30.0%.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import UnifiedAccount, WhitespaceCell
from accounts.services.refresh import merger_analysis_refresh
from scorecards.exports.csv import render_csv
from scorecards.exports.pdf import render_pdf
from scorecards.exports.xlsx import render_xlsx
from scorecards.reconcile import program_reconcile
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.program import program_scorecard
from scorecards.selectors.report import scorecard_report
from scorecards.selectors.scores import segment_scores_for
from scorecards.services.month_close import month_close
from tests import factories
from tracker.models import SnapshotDeal, SnapshotLine, SynergyTarget
from tracker.selectors.restatements import restatements_of_month
from tracker.services.opportunities import (
    opportunity_create,
    opportunity_reopen,
    opportunity_update,
)

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
TODAY = dt.date(2026, 3, 20)


class Clock:
    """Sets what `timezone.now()` answers, so the services write history at chosen times."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch

    def at(self, day: dt.date, hour: int = 10) -> None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        self.monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def program(merger, acquirer, acquired, rep, rep_user, clock):
    """The program as of 20 March 2026, with January and February closed."""
    merger.day_one = JAN
    merger.save()
    segment = factories.SegmentFactory(merger=merger, name="Mining")
    gateway = factories.ProductFactory(company=acquirer, name="Gateway")
    sensor = factories.ProductFactory(company=acquirer, name="Sensor")
    analytics = factories.ProductFactory(company=acquired, name="Analytics")
    factories.ProductMappingFactory(merger=merger, source=sensor, target=analytics)
    acme = _customer(merger, segment, acquirer, sensor, "Acme Mining")
    bolt = _customer(merger, segment, acquired, analytics, "Bolt Metals")
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    for month in (JAN, FEB, MAR):
        SynergyTarget.objects.create(merger=merger, month=month, cross_sell=Decimal("10000"))
        SynergyTarget.objects.create(
            merger=merger, month=month, segment=segment, cross_sell=Decimal("10000")
        )
    factories.QuotaFactory(rep=rep, period_start=FEB, cross_sell_amount=Decimal("20000"))
    factories.QuotaFactory(rep=rep, period_start=MAR, cross_sell_amount=Decimal("10000"))
    stages = factories.stages_of(merger, "identified", "commit", "won", "lost")

    def log(account, product, amount):
        return opportunity_create(
            actor=rep_user,
            merger=merger,
            account=account,
            product=product,
            owner=rep,
            stage=stages["identified"],
            expected_close=dt.date(2026, 4, 30),
            customer_need="Unplanned stops of the crushers",
            amount=Decimal(amount),
        )

    def change(deal, **changes):
        deal.refresh_from_db()
        return opportunity_update(
            actor=rep_user, opportunity=deal, expected_version=deal.version, changes=changes
        )

    clock.at(dt.date(2026, 1, 10))
    analytics_at_acme = log(acme, analytics, "8000")
    gateway_at_bolt = log(bolt, gateway, "5000")
    gateway_at_acme = log(acme, gateway, "3000")
    clock.at(dt.date(2026, 2, 20))
    change(analytics_at_acme, stage=stages["won"], closed_on=dt.date(2026, 2, 20))
    change(gateway_at_acme, stage=stages["won"], closed_on=dt.date(2026, 2, 20))
    clock.at(dt.date(2026, 3, 1), hour=0)
    month_close(merger_id=merger.pk, month=JAN)
    month_close(merger_id=merger.pk, month=FEB)
    clock.at(dt.date(2026, 3, 10))
    change(analytics_at_acme, amount=Decimal("9000"))
    clock.at(dt.date(2026, 3, 12))
    change(gateway_at_bolt, stage=stages["won"], closed_on=dt.date(2026, 3, 12))
    clock.at(dt.date(2026, 3, 15))
    gateway_at_bolt.refresh_from_db()
    opportunity_reopen(
        actor=rep_user, opportunity=gateway_at_bolt, expected_version=gateway_at_bolt.version
    )
    clock.at(TODAY)
    merger.refresh_from_db()
    return merger


def _customer(merger, segment, company, product, name):
    account = factories.UnifiedAccountFactory(merger=merger, name=name, segment=segment)
    record = factories.SourceAccountFactory(
        company=company, unified=account, name=name, is_customer=True
    )
    factories.HoldingFactory(account=record, product=product, since=dt.date(2024, 5, 1))
    return account


def _tiles(dashboard) -> dict:
    return {tile.key: tile.value for tile in dashboard.tiles}


def test_the_closed_months_show_what_was_true_at_their_end(program):
    january = program_dashboard(merger=program, where=DashboardFilter(month=JAN), today=TODAY)
    february = program_dashboard(merger=program, where=DashboardFilter(month=FEB), today=TODAY)

    assert (january.source, february.source) == ("snapshot", "snapshot")
    assert _tiles(january)["open_pipeline"] == Decimal("16000.00")
    assert _tiles(january)["weighted_pipeline"] == Decimal("1600.00")
    assert _tiles(january)["realized"] == Decimal("0.0")
    tiles = _tiles(february)
    assert tiles["open_pipeline"] == Decimal("5000.00")
    assert tiles["weighted_pipeline"] == Decimal("500.00")
    assert tiles["realized"] == Decimal("40.0")  # 8,000 of 20,000
    assert tiles["attainment"] == Decimal("40.0")  # 8,000 of the rep's 20,000
    assert list(february.impact.realized) == [Decimal("0.00"), Decimal("8000.00")]
    assert list(february.impact.target) == [Decimal("10000.00"), Decimal("20000.00")]
    assert [(win.product, win.amount) for win in february.wins] == [
        ("Analytics", Decimal("8000.00"))
    ]
    assert february.funnel.amounts[0] == Decimal("5000.00")


def test_the_open_month_books_the_correction_as_a_restatement(program):
    march = program_dashboard(merger=program, where=DashboardFilter(month=MAR), today=TODAY)

    assert march.source == "live"
    tiles = _tiles(march)
    assert tiles["realized"] == Decimal("30.0")  # 9,000 of 30,000
    assert march.restated == Decimal("1000.00")
    assert list(march.impact.realized) == [
        Decimal("0.00"),
        Decimal("8000.00"),
        Decimal("9000.00"),
    ]
    assert tiles["open_pipeline"] == Decimal("5000.00")  # the reopened Bolt deal
    [item] = restatements_of_month(merger=program, month=MAR).items
    assert (item.before, item.after, item.month_before) == (Decimal("8000"), Decimal("9000"), FEB)
    assert [change.field for change in item.changes] == ["Amount"]


def test_the_scorecard_api_and_every_export_agree_on_february(program, executive_user):
    scorecard = program_scorecard(merger=program, month=FEB)
    assert (scorecard.program.realized, scorecard.program.target_to_date) == (
        Decimal("8000.00"),
        Decimal("20000.00"),
    )
    assert scorecard.program.gap_pct == Decimal("60.0")
    [mining] = scorecard.by_segment
    assert mining.realized == Decimal("8000.00")
    by_direction = {line.key: line.realized for line in scorecard.by_direction}
    assert by_direction == {
        "a_to_b": Decimal("0.00"),
        "b_to_a": Decimal("8000.00"),
        "within": Decimal("0.00"),
    }

    client = APIClient()
    client.force_authenticate(executive_user)
    body = client.get("/api/v1/dashboard/", {"merger": program.pk, "month": "2026-02"}).json()
    assert body["impact"]["realized"][-1] == "8000.00"
    assert {tile["key"]: tile["value"] for tile in body["tiles"]}["realized"] == "40.00"

    report = scorecard_report(merger=program, month=FEB)
    [row] = report.section("program").records()
    assert (row["realized"], row["target_to_date"]) == (Decimal("8000.00"), Decimal("20000.00"))
    assert row["gap_pct"] == Decimal("0.6")
    header, *rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"))))
    program_values = {
        row[header.index("measure")]: row[header.index("value")]
        for row in rows
        if row[header.index("section")] == "program"
    }
    assert program_values["realized"] == "8000.00"
    assert Decimal(program_values["gap_pct"]) == Decimal("0.6")
    sheet = load_workbook(io.BytesIO(render_xlsx(report)))["Program scorecard"]
    cells = {head.value: cell.value for head, cell in zip(sheet[1], sheet[2], strict=True)}
    assert (cells["Realized"], cells["Gap to target"]) == (8000, pytest.approx(0.6))
    assert b"8,000" in render_pdf(report, compress=False)


def test_the_account_map_follows_the_win(program):
    acme = UnifiedAccount.objects.get(merger=program, name="Acme Mining")
    bolt = UnifiedAccount.objects.get(merger=program, name="Bolt Metals")
    # Acme bought Predikt's Analytics on 20 February: a customer of both since.
    assert acme.status == UnifiedAccount.Status.BOTH
    assert acme.acquired_customer_since == dt.date(2026, 2, 20)
    # Bolt's win was reopened: it is Predikt's customer only, as on Day 1.
    assert bolt.status == UnifiedAccount.Status.ACQUIRED_ONLY
    assert not WhitespaceCell.objects.filter(account=acme, product__name="Analytics").exists()
    february = program_dashboard(merger=program, where=DashboardFilter(month=FEB), today=TODAY)
    assert february.overlap["counts"]["both"] == [0, 1]


def test_every_check_of_the_reconciliation_passes(program):
    report = program_reconcile(merger=program)
    assert report.ok, "\n".join(str(mismatch) for mismatch in report.mismatches)


def test_a_program_without_data_says_not_measured_instead_of_failing(merger, clock):
    clock.at(TODAY)
    merger.day_one = JAN
    merger.save()
    factories.SegmentFactory(merger=merger, name="Mining")

    dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=MAR), today=TODAY)
    scores = segment_scores_for(merger=merger, month=MAR)

    assert len(dashboard.missing) == 3
    assert _tiles(dashboard)["win_rate"] is None
    scored = [c for result in scores.segments.values() for c in result.cs if c.scored]
    # Only what a program records about itself from the start can score: nothing else.
    assert all(c.c == "commitment" for c in scored)
    # Nothing to count is no mismatch: the SQL's row of zeros is the replay's no row.
    report = program_reconcile(merger=merger)
    assert report.ok, "\n".join(str(mismatch) for mismatch in report.mismatches)


def test_reopening_a_closed_months_win_leaves_that_month_and_restates_now(
    program, rep_user, clock
):
    deal = program.opportunities.get(product__name="Analytics")
    clock.at(dt.date(2026, 3, 18))
    opportunity_reopen(actor=rep_user, opportunity=deal, expected_version=deal.version)
    clock.at(TODAY)

    february = program_dashboard(merger=program, where=DashboardFilter(month=FEB), today=TODAY)
    march = program_dashboard(merger=program, where=DashboardFilter(month=MAR), today=TODAY)

    # February keeps its win and its new customer of both; March books both away.
    assert february.overlap["counts"]["both"] == [0, 1]
    assert _tiles(february)["realized"] == Decimal("40.0")
    assert march.overlap["counts"]["both"] == [0, 1, 0]
    assert march.restated == Decimal("-8000.00")
    assert _tiles(march)["realized"] == Decimal("0.0")
    assert program_reconcile(merger=program).ok


def test_the_reconciliation_finds_each_kind_of_mismatch(program):
    acme = UnifiedAccount.objects.get(merger=program, name="Acme Mining")
    analytics = program.opportunities.get(product__name="Analytics")
    # A candidate for a pair Acme owns, a status that ignores the install base, a
    # direction typed in, and a closed month's figure edited behind its snapshot.
    WhitespaceCell.objects.create(
        merger=program, account=acme, product=analytics.product, direction="b_to_a"
    )
    UnifiedAccount.objects.filter(pk=acme.pk).update(status=UnifiedAccount.Status.PROSPECT)
    program.opportunities.filter(pk=analytics.pk).update(direction="within")
    SnapshotLine.objects.filter(
        snapshot__merger=program, snapshot__month=FEB, scope="program"
    ).update(realized_to_date=Decimal("1"))

    found = {mismatch.check for mismatch in program_reconcile(merger=program).mismatches}

    assert {"whitespace", "statuses", "directions", "snapshot"} <= found


def test_a_closed_months_wins_and_payouts_reconcile_with_its_frozen_lines(program):
    # The wins listed for February and the credit its payouts read against its program
    # line, edited behind the snapshot.
    SnapshotLine.objects.filter(
        snapshot__merger=program, snapshot__month=FEB, scope="program"
    ).update(realized_synergy=Decimal("1"), credited_won=Decimal("2"))

    found = {
        mismatch.what
        for mismatch in program_reconcile(merger=program).mismatches
        if mismatch.check == "closed month"
    }

    assert {"2026-02 wins listed", "2026-02 payouts' credit"} <= found


def test_a_closed_months_open_deals_reconcile_with_its_frozen_lines(program):
    # A deal kept open at February's end, altered behind the snapshot.
    kept = SnapshotDeal.objects.filter(
        snapshot__merger=program, snapshot__month=FEB, kept=SnapshotDeal.Kept.OPEN
    )
    assert kept.exists()
    kept.filter(pk=kept.first().pk).update(amount=Decimal("1"))

    found = {
        mismatch.what
        for mismatch in program_reconcile(merger=program).mismatches
        if mismatch.check == "closed month"
    }

    assert any(
        what.startswith("2026-02 program") and what.endswith("open deals listed") for what in found
    )
