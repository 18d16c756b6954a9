"""Overlap of the two customer bases: counts by status, per segment, and the lists behind them."""

import pytest

from accounts.models import UnifiedAccount
from accounts.selectors.overlap import (
    overlap_accounts,
    overlap_by_segment,
    overlap_counts,
    overlap_counts_of_segments,
)
from tests import factories

Status = UnifiedAccount.Status


@pytest.fixture
def segments(merger):
    return (
        factories.SegmentFactory(merger=merger, name="Utilities"),
        factories.SegmentFactory(merger=merger, name="Automotive"),
    )


@pytest.fixture
def accounts(merger, segments):
    utilities, automotive = segments
    layout = [
        (utilities, Status.BOTH),
        (utilities, Status.BOTH),
        (utilities, Status.ACQUIRER_ONLY),
        (automotive, Status.ACQUIRED_ONLY),
        (automotive, Status.PROSPECT),
        (None, Status.NEITHER),
    ]
    return [
        factories.UnifiedAccountFactory(merger=merger, segment=segment, status=status)
        for segment, status in layout
    ]


def test_counts_cover_every_status_including_empty_ones(
    merger, accounts, django_assert_num_queries
):
    with django_assert_num_queries(1):
        counts = overlap_counts(merger=merger)
    assert counts == {
        Status.ACQUIRER_ONLY: 1,
        Status.ACQUIRED_ONLY: 1,
        Status.BOTH: 2,
        Status.PROSPECT: 1,
        Status.NEITHER: 1,
    }


def test_counts_summed_from_the_segment_table_equal_the_counts(merger, accounts):
    factories.UnifiedAccountFactory(status=Status.BOTH)  # another program's
    factories.UnifiedAccountFactory(merger=merger, segment=None, status=Status.PROSPECT)
    by_segment = overlap_by_segment(merger=merger)
    assert overlap_counts_of_segments(by_segment) == overlap_counts(merger=merger)


def test_counts_of_one_segment(merger, segments, accounts):
    counts = overlap_counts(merger=merger, segment=segments[0])
    assert counts[Status.BOTH] == 2
    assert counts[Status.ACQUIRER_ONLY] == 1
    assert sum(counts.values()) == 3


def test_counts_ignore_other_programs(merger, accounts):
    factories.UnifiedAccountFactory(status=Status.BOTH)
    assert overlap_counts(merger=merger)[Status.BOTH] == 2


def test_table_by_segment_grouped_by_ids_then_named_with_unsegmented_accounts_last(
    merger, accounts, django_assert_num_queries
):
    # The accounts grouped by segment id and status, then the segments' names.
    with django_assert_num_queries(2):
        table = overlap_by_segment(merger=merger)
    assert [row["segment_name"] for row in table] == ["Automotive", "Utilities", "No segment"]
    automotive, utilities, unsegmented = table
    assert utilities["counts"][Status.BOTH] == 2
    assert utilities["total"] == 3
    assert automotive["counts"][Status.PROSPECT] == 1
    assert automotive["counts"][Status.BOTH] == 0
    assert unsegmented["segment_id"] is None
    assert unsegmented["counts"][Status.NEITHER] == 1


def test_list_behind_a_count(merger, segments, accounts):
    both = overlap_accounts(merger=merger, status=Status.BOTH)
    assert {a.pk for a in both} == {a.pk for a in accounts[:2]}
    assert (
        overlap_accounts(merger=merger, status=Status.PROSPECT, segment=segments[0]).count() == 0
    )


def test_list_rejects_an_unknown_status(merger):
    with pytest.raises(ValueError, match="unknown account status"):
        overlap_accounts(merger=merger, status="lapsed")
