"""The scorecard report: the one row source of every export."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scorecards.models import Assessment, CScore, SegmentScore, SixC
from scorecards.selectors.report import ColumnType, scorecard_report
from scorecards.services.scores import assessment_create
from tests import factories
from tests.scorecards.export_program import MONTH, scored_program, segment_with_data
from tracker.models import Opportunity, Stage
from tracker.services.opportunities import opportunity_update
from tracker.services.snapshots import snapshot_freeze

SECTION_KEYS = [
    "program",
    "realized_over_time",
    "team_attainment",
    "top_wins",
    "risks",
    "six_cs",
    "explanations",
    "indicators",
    "synergy_segment",
    "synergy_direction",
]


@pytest.fixture
def segments(merger, rep):
    return scored_program(merger, rep, ["Food & beverage", "Utilities"])


def test_report_has_every_section_with_typed_columns(merger, segments):
    report = scorecard_report(merger=merger, month=MONTH)

    assert [section.key for section in report.sections] == SECTION_KEYS
    assert report.program == "Sensa + Predikt"
    assert report.month == MONTH
    for section in report.sections:
        assert all(len(row) == len(section.columns) for row in section.rows)
    six_cs = report.section("six_cs")
    assert [column.type for column in six_cs.columns[1:7]] == [ColumnType.SCORE] * 6
    assert [row[0] for row in six_cs.rows] == ["Food & beverage", "Utilities"]


def test_program_section_compares_realized_with_target_and_research_gap(merger, segments):
    [program] = scorecard_report(merger=merger, month=MONTH).section("program").records()

    assert program["target_to_date"] == Decimal("40000.00")
    assert program["realized"] == Decimal("16000.00")
    assert program["gap_pct"] == Decimal("0.6")
    assert program["research_gap_pct"] == Decimal("0.2")
    assert program["months_since_day_one"] == 5
    assert program["horizon_months"] == 48


def test_six_cs_show_scores_composite_and_change_since_last_month(merger, segments, leader_user):
    food = segments[0]
    assessment_create(
        actor=leader_user,
        segment=food,
        month=MONTH,
        c=SixC.COMMITMENT,
        mode=Assessment.Mode.OVERRIDE,
        score=Decimal("5"),
        evidence="Monthly reviews chaired by the CEO",
    )
    record = scorecard_report(merger=merger, month=MONTH).section("six_cs").records()[0]

    current = SegmentScore.objects.get(segment=food, month=MONTH)
    previous = SegmentScore.objects.get(segment=food, month=date(2026, 4, 1))
    assert record["commitment"] == Decimal("5.00")
    assert record["composite"] == current.composite
    assert record["strong_count"] == current.strong_count
    assert record["composite_change"] == current.composite - previous.composite != 0


def test_explanations_carry_the_latest_assessment_and_its_evidence(merger, segments, leader_user):
    for evidence in ("First look", "Quarterly review done"):
        assessment_create(
            actor=leader_user,
            segment=segments[1],
            month=MONTH,
            c=SixC.CAPACITY,
            mode=Assessment.Mode.ADJUST,
            score=Decimal("1"),
            evidence=evidence,
        )
    records = scorecard_report(merger=merger, month=MONTH).section("explanations").records()

    assert len(records) == 2 * 6
    capacity = next(r for r in records if r["segment"] == "Utilities" and r["c"] == "Capacity")
    assert capacity["evidence"] == "Quarterly review done"
    assert capacity["assessed_by"] == leader_user.get_full_name()
    assert capacity["explanation"].startswith(f"{capacity['score'].normalize():f}/5")


def test_indicators_list_value_threshold_score_and_source(merger, segments):
    records = scorecard_report(merger=merger, month=MONTH).section("indicators").records()

    utilities = [r for r in records if r["segment"] == "Utilities"]
    reachable = next(r for r in utilities if r["indicator"].startswith("Accounts newly"))
    assert reachable["value"] == Decimal("50")
    assert reachable["unit"] == "%"
    assert reachable["threshold"]
    assert reachable["source"]
    assert records[0]["c"] == "Complementarity"


def test_synergy_sections_split_by_segment_and_direction(merger, segments):
    report = scorecard_report(merger=merger, month=MONTH)
    by_segment = report.section("synergy_segment").records()
    by_direction = report.section("synergy_direction").records()

    assert [r["segment"] for r in by_segment] == ["Food & beverage", "Utilities"]
    assert by_segment[0]["realized"] == Decimal("8000.00")
    assert by_segment[0]["gap_pct"] == Decimal("0.111")
    assert sum(r["realized"] for r in by_direction) == Decimal("16000.00")


def test_a_month_without_scores_is_scored_on_the_fly_and_nothing_is_stored(merger, rep):
    # Behaviour changed: the report used to compute and store a month nobody had scored.
    segment_with_data(merger, rep, "Retail")
    report = scorecard_report(merger=merger, month=MONTH)

    assert not CScore.objects.exists()
    assert not SegmentScore.objects.exists()
    row = report.section("six_cs").records()[0]
    assert row["complementarity"] is not None
    assert row["composite"] is not None


def test_query_count_does_not_grow_with_the_program(merger, rep, segments):
    with CaptureQueriesContext(connection) as small:
        scorecard_report(merger=merger, month=MONTH)
    scored_program(merger, rep, ["Mining", "Retail", "Telecom", "Transport"])
    with CaptureQueriesContext(connection) as large:
        report = scorecard_report(merger=merger, month=MONTH)

    assert len(report.section("six_cs").rows) == 6
    # Two months of scores (this and last, for the change) with their freshness checks,
    # and whether the month is closed (its snapshot).
    assert len(large.captured_queries) == len(small.captured_queries)
    # The executive sections: the months' program snapshots, the team quotas and credits
    # (the quota board's grouped reads), the top wins and the pipeline's health; the
    # synergy figures read open deals and the period's wins apart; a month not frozen yet
    # reads its target and its realized synergy; the top wins ask whether it is frozen.
    assert len(large.captured_queries) <= 34


def test_a_c_without_data_is_exported_as_not_scored_with_the_data_that_would_score_it(
    merger, segments
):
    report = scorecard_report(merger=merger, month=MONTH)
    six_cs = report.section("six_cs").records()[0]
    assert six_cs["connection"] is None  # no CRM accounts with relationship data
    assert six_cs["scored_count"] == 5
    explanations = {(r["segment"], r["c"]): r for r in report.section("explanations").records()}
    connection = explanations["Food & beverage", "Connection"]
    assert connection["status"] == "not scored"
    assert connection["score"] is None and connection["weakest"] == ""
    assert connection["to_score"].startswith("import CRM accounts with their relationship data")
    commitment = explanations["Food & beverage", "Commitment"]
    stored = CScore.objects.get(segment=segments[0], month=MONTH, c="commitment")
    assert commitment["status"] == "scored"
    assert commitment["weakest_score"] == stored.weakest_score
    assert commitment["weakest"]  # the indicator's label
    scopes = {r["indicator"]: r["scope"] for r in report.section("indicators").records()}
    assert scopes["Monthly reviews held in the last three months"] == "the program"
    assert scopes["Stale share of open opportunities"] == "the segment"


def test_the_live_month_of_realized_over_time_has_its_target_and_realized_in_the_month(
    merger, segments, rep
):
    """Both were blank for the month not frozen yet, though both are known."""
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        account=segments[0].accounts.first(),
        stage=Stage.objects.filter(merger=merger, outcome=Stage.Outcome.WON).first(),
        outcome=Stage.Outcome.WON,
        amount=Decimal("2500"),
        closed_on=MONTH.replace(day=12),
    )
    rows = scorecard_report(merger=merger, month=MONTH).section("realized_over_time").records()
    live = rows[-1]
    assert (live["month"], live["source"]) == ("2026-05", "live")
    assert live["target"] == Decimal("10000")
    assert live["realized"] == Decimal("2500")


def test_a_closed_months_top_wins_keep_the_amounts_it_was_frozen_with(
    merger, segments, rep, ops_user
):
    """An edit after the freeze showed the new amount in the closed month's top wins, while
    its snapshot and every other section kept the old one."""
    won = Stage.objects.filter(merger=merger, outcome=Stage.Outcome.WON).first()
    deal = factories.OpportunityFactory(
        product=factories.ProductFactory(company=rep.company),
        merger=merger,
        owner=rep,
        account=segments[0].accounts.first(),
        stage=won,
        outcome=Stage.Outcome.WON,
        amount=Decimal("7000"),
        closed_on=MONTH.replace(day=12),
        created_at=timezone.make_aware(datetime(2026, 5, 2)),
    )
    snapshot_freeze(merger_id=merger.pk, month=MONTH)
    deal.refresh_from_db()
    opportunity_update(
        actor=ops_user,
        opportunity=deal,
        expected_version=deal.version,
        changes={"amount": Decimal("9000")},
    )
    assert Opportunity.objects.get(pk=deal.pk).amount == Decimal("9000")

    rows = scorecard_report(merger=merger, month=MONTH).section("top_wins").records()
    [frozen] = [row for row in rows if row["account"] == deal.account.name]
    assert frozen["amount"] == Decimal("7000")
