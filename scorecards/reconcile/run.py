"""Runs every check of a program and gathers what they find into one report."""

from datetime import date

from django.utils import timezone

from accounts.models import Merger
from scorecards.reconcile.closed_months import (
    check_closed_months_credit_as_frozen,
    check_closed_months_list_their_open_deals,
    check_closed_months_win_and_pay_as_frozen,
)
from scorecards.reconcile.derived import (
    check_directions_follow_day_one,
    check_overlap_over_time_ends_at_todays_statuses,
    check_statuses_follow_install_base,
)
from scorecards.reconcile.figures import (
    check_coverage_and_forecast_one_definition,
    check_pipeline_figures_one_definition,
    check_realized_synergy,
    check_stale_share_one_definition,
)
from scorecards.reconcile.report import Check, Report
from scorecards.reconcile.segments import (
    check_closed_month_segments_add_up_by_direction,
    check_segments_add_up_to_the_program,
)
from scorecards.reconcile.snapshots import (
    check_closed_months_equal_their_snapshot,
    check_history_replays_to_today,
    check_snapshots_follow_from_history,
)
from scorecards.reconcile.whitespace import (
    check_no_candidate_for_owned_won_or_open_pairs,
    check_whitespace_family_totals_count_the_cells,
    check_whitespace_rollup_counts_the_cells,
)
from tracker.pipeline_math import add_months, months_between


def program_reconcile(*, merger: Merger, months: list[date] | None = None) -> Report:
    """Runs every check on the program, for the given months (default: Day 1 to now)."""
    today = timezone.localdate()
    months = months or _months(merger, today)
    report = Report()
    for check in CHECKS:
        report.checks.append(check.__name__.removeprefix("check_").replace("_", " "))
        report.mismatches.extend(check(merger, months))
    return report


def _months(merger: Merger, today: date) -> list[date]:
    first = merger.day_one
    return [add_months(first, step) for step in range(months_between(first, today))]


CHECKS: list[Check] = [
    check_directions_follow_day_one,
    check_history_replays_to_today,
    check_realized_synergy,
    check_pipeline_figures_one_definition,
    check_snapshots_follow_from_history,
    check_closed_months_equal_their_snapshot,
    check_closed_months_win_and_pay_as_frozen,
    check_closed_months_list_their_open_deals,
    check_closed_months_credit_as_frozen,
    check_statuses_follow_install_base,
    check_overlap_over_time_ends_at_todays_statuses,
    check_no_candidate_for_owned_won_or_open_pairs,
    check_whitespace_rollup_counts_the_cells,
    check_whitespace_family_totals_count_the_cells,
    check_stale_share_one_definition,
    check_coverage_and_forecast_one_definition,
    check_segments_add_up_to_the_program,
    check_closed_month_segments_add_up_by_direction,
]
