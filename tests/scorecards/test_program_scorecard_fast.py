"""The program scorecard's synergy sums, read by literal stage ids, match the plain join."""

import datetime as dt

from django.db.models import F, Q

from accounts.models import Direction
from scorecards.selectors import program
from tests import factories
from tests.tracker.test_wins_fast import deal
from tracker.figures import cross_company_q, realized_q
from tracker.models import Opportunity, Stage

OUTCOME, FORECAST = Stage.Outcome, Stage.Forecast


def _plain(merger, month_end: dt.date) -> dict:
    """The figures as first written: every cross-company deal joined to its stage."""
    won = realized_q(closed_from=merger.day_one, closed_to=month_end)
    open_ = Q(outcome=OUTCOME.OPEN)
    weighted = F("amount") * F("probability") / 100
    commit = open_ & Q(stage__forecast_category=FORECAST.COMMIT)
    upside = open_ & Q(stage__forecast_category__in=[FORECAST.COMMIT, FORECAST.BEST_CASE])
    sums = {
        "realized": program._sum("amount", won),
        "weighted": program._sum(weighted, open_),
        "weighted_commit": program._sum(weighted, commit),
        "upside_full": program._sum("amount", upside),
        "upside_weighted": program._sum(weighted, upside),
    }
    base = Opportunity.objects.filter(cross_company_q(), merger=merger)
    rows = base.values("segment_id", "direction").annotate(**sums).order_by()
    result: dict = {"program": {}, "segment": {}, "direction": {}}
    for row in rows:
        amounts = {key: row[key] for key in sums}
        for scope, key in (("segment", row["segment_id"]), ("direction", row["direction"])):
            result[scope][key] = program._add(result[scope].get(key, {}), amounts)
        result["program"] = program._add(result["program"], amounts)
    return result


def _lines(merger, figures: dict) -> list:
    """What the page shows of the figures: a line per scope and key."""
    return [
        program._line(str(key), "", 0, amounts)
        for scope in ("segment", "direction")
        for key, amounts in figures[scope].items()
    ] + [program._line("program", "", 0, figures["program"])]


def test_synergy_figures_match_the_plain_join(merger, rep, other_rep):
    month_end = merger.day_one + dt.timedelta(days=200)
    closed = merger.day_one + dt.timedelta(days=30)
    stages = {
        category: factories.StageFactory(
            merger=merger, name=f"Open {category}", forecast_category=category, probability=40
        )
        for category in (FORECAST.PIPELINE, FORECAST.BEST_CASE, FORECAST.COMMIT)
    }
    segments = [factories.SegmentFactory(merger=merger) for _ in range(2)]
    for i, stage in enumerate(stages.values()):
        for direction in (Direction.A_TO_B, Direction.B_TO_A, Direction.WITHIN):
            deal(
                merger,
                rep if i % 2 else other_rep,
                outcome=OUTCOME.OPEN,
                on=None,
                amount=f"{1000 + 7 * i}.25",
                stage=stage,
                direction=direction,
                segment=segments[i % 2],
            )
    deal(merger, rep, outcome=OUTCOME.WON, on=closed, amount="5000.00", segment=segments[0])
    deal(merger, rep, outcome=OUTCOME.WON, on=month_end + dt.timedelta(days=5), amount="900.00")
    # A segment holding only a lost deal: no amount either way.
    lonely = factories.SegmentFactory(merger=merger)
    deal(
        merger,
        rep,
        outcome=OUTCOME.LOST,
        on=closed,
        amount="300.00",
        lost_reason="Budget",
        segment=lonely,
    )

    fast, plain = program._synergy_figures(merger, month_end), _plain(merger, month_end)
    assert fast["program"] == plain["program"]
    assert fast["program"]["weighted_commit"] > 0 and fast["program"]["upside_full"] > 0
    # Groups with nothing in them may be left out; every line the page shows is the same.
    lines = {line.key: line for line in _lines(merger, plain)}
    for line in _lines(merger, fast):
        assert lines.pop(line.key) == line
    assert all(line.realized == line.forecast_high == 0 for line in lines.values())


def test_a_program_without_commit_stages_sums_zero(merger, rep):
    deal(merger, rep, outcome=OUTCOME.OPEN, on=None, amount="100.00")
    month_end = merger.day_one + dt.timedelta(days=60)
    assert program._synergy_figures(merger, month_end) == _plain(merger, month_end)
