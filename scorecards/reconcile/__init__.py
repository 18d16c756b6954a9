"""Checks that every figure of a program reconciles with the records behind it.

Each check reads the program as pages, the API and the exports do, computes the
same figure a second way from the records, and reports every difference with
the ids behind it. `manage.py reconcile` runs them all; CI runs it on the demo.
"""

from scorecards.reconcile.derived import (
    check_directions_follow_day_one,
    check_statuses_follow_install_base,
)
from scorecards.reconcile.figures import (
    check_pipeline_figures_one_definition,
    check_realized_synergy,
    check_stale_share_one_definition,
)
from scorecards.reconcile.report import SHOWN, Check, Mismatch, Report
from scorecards.reconcile.run import CHECKS, program_reconcile
from scorecards.reconcile.snapshots import (
    REPLAYED_MONTHS,
    check_closed_months_equal_their_snapshot,
    check_history_replays_to_today,
    check_snapshots_follow_from_history,
)
from scorecards.reconcile.whitespace import (
    CENT,
    check_no_candidate_for_owned_won_or_open_pairs,
    check_whitespace_family_totals_count_the_cells,
    check_whitespace_rollup_counts_the_cells,
)

__all__ = [
    "CENT",
    "CHECKS",
    "REPLAYED_MONTHS",
    "SHOWN",
    "Check",
    "Mismatch",
    "Report",
    "check_closed_months_equal_their_snapshot",
    "check_directions_follow_day_one",
    "check_history_replays_to_today",
    "check_no_candidate_for_owned_won_or_open_pairs",
    "check_pipeline_figures_one_definition",
    "check_realized_synergy",
    "check_snapshots_follow_from_history",
    "check_stale_share_one_definition",
    "check_statuses_follow_install_base",
    "check_whitespace_family_totals_count_the_cells",
    "check_whitespace_rollup_counts_the_cells",
    "program_reconcile",
]
