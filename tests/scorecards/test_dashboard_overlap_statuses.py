"""The dashboard's customer overlap over time counts the overlap page's statuses.

A prospect of either company is not greenfield; the month open today equals the page;
each count lists its accounts; a closed month shows what its freeze kept, and a month
frozen before prospects were kept apart says so instead of guessing them.
"""

import datetime as dt
import re

import pytest

from accounts.selectors.overlap import overlap_counts
from accounts.services.refresh import merger_analysis_refresh
from scorecards.overlap_frozen import PROSPECT_OR_NEITHER, overlap_as_frozen
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.views.dashboard_overlap import drilldown_urls, overlap_chart
from tests import factories
from tracker.models import SnapshotLine
from tracker.services.snapshots import snapshot_freeze

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def program(merger, acquirer, acquired):
    """Two prospects of the acquirer, one greenfield account, a customer of each side."""
    merger.day_one = JAN
    merger.save()
    for _ in range(2):
        factories.SourceAccountFactory(
            company=acquirer, unified=factories.UnifiedAccountFactory(merger=merger)
        )
    factories.UnifiedAccountFactory(merger=merger)
    for company in (acquirer, acquired):
        source = factories.SourceAccountFactory(
            company=company, unified=factories.UnifiedAccountFactory(merger=merger)
        )
        product = factories.ProductFactory(company=company)
        factories.HoldingFactory(account=source, product=product, since=dt.date(2025, 5, 1))
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    return merger


def _march(merger):
    return program_dashboard(merger=merger, where=DashboardFilter(month=MAR), today=TODAY)


def test_the_open_month_counts_prospects_apart_from_greenfield_as_the_overlap_page(program):
    counts = _march(program).overlap["counts"]

    assert counts["prospect"] == [2, 2, 2]
    assert counts["neither"] == [1, 1, 1]
    assert {status: values[-1] for status, values in counts.items()} == overlap_counts(
        merger=program
    )


def test_the_freeze_keeps_prospects_apart_from_greenfield(program):
    snapshot_freeze(merger_id=program.pk, month=FEB)

    line = SnapshotLine.objects.get(snapshot__month=FEB, scope="program", key="")
    assert line.overlap["counts"] == {
        "acquirer_only": 1,
        "acquired_only": 1,
        "both": 0,
        "prospect": 2,
        "neither": 1,
    }


def test_a_month_frozen_before_prospects_were_kept_shows_them_not_measured(program):
    snapshot_freeze(merger_id=program.pk, month=FEB)
    # As the freeze kept it before: prospects and greenfield counted as one "neither".
    SnapshotLine.objects.filter(snapshot__month=FEB, scope="program").update(
        overlap={"counts": {"acquirer_only": 1, "acquired_only": 1, "both": 0, "neither": 3}}
    )

    overlap = _march(program).overlap

    assert overlap["counts"]["prospect"] == [2, None, 2]
    assert overlap["counts"]["neither"] == [1, None, 1]
    assert overlap["counts"][PROSPECT_OR_NEITHER] == [None, 3, None]
    february = overlap_chart(overlap, month=MAR).rows[1]
    assert [str(cell) for cell in february[4:7]] == ["not measured", "not measured", "3"]


def test_a_figure_the_freeze_did_not_keep_is_none_never_todays_or_zero():
    counts, moves = overlap_as_frozen(
        months=[JAN, FEB],
        counts={s: [5, 6] for s in ("acquirer_only", "acquired_only", "both", "prospect")}
        | {"neither": [1, 1]},
        transitions={"new_both": [0, 2]},
        frozen={JAN: {"counts": {"both": 4, "prospect": 0, "neither": 1}}},
    )

    assert counts["both"] == [4, 6]
    assert counts["prospect"] == [0, 6]  # kept as 0: measured
    assert counts["acquirer_only"] == [None, 6]
    assert moves["new_both"] == [None, 2]
    assert PROSPECT_OR_NEITHER not in counts


def test_each_count_lists_the_accounts_that_add_up_to_it(program, executive_user, client):
    snapshot_freeze(merger_id=program.pk, month=FEB)
    overlap = _march(program).overlap
    client.force_login(executive_user)

    urls = drilldown_urls(overlap)
    for status, counts in overlap["counts"].items():
        for url, count in zip(urls[status], counts, strict=True):
            body = client.get(url).content.decode()
            listed = re.search(r'page-header__meta">(\d+)', body)
            assert int(listed.group(1)) == count, (url, count)
