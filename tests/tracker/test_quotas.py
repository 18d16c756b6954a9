"""Quotas: periods, setting them with history and optimistic locking, who may, roll-ups."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.selectors.history import record_history
from tests import factories
from tests.history import field_lines
from tracker.models import Quota
from tracker.quota_math import (
    QUARTER,
    Period,
    PeriodError,
    QuotaFigures,
    parse_period,
    period_of,
    quota_rollup,
    tree_order,
)
from tracker.selectors.quotas import editable_rep_ids, quota_board
from tracker.services.quotas import (
    QuotaConflict,
    QuotaRow,
    QuotaRowErrors,
    quota_set,
    quotas_bulk_set,
)

MARCH = date(2026, 3, 1)


# Periods and roll-ups, without a database


def test_periods_are_read_as_months_or_quarters():
    assert parse_period("2026-03") == Period(MARCH)
    assert parse_period("2026-Q2") == Period(date(2026, 4, 1), QUARTER)
    assert parse_period(" 2026-q4 ") == Period(date(2026, 10, 1), QUARTER)
    for bad in ("2026-13", "2026-Q5", "March", "", "0000-03", "0000-Q1", "9999-12"):
        with pytest.raises(PeriodError):
            parse_period(bad)


def test_a_quarter_starts_in_january_april_july_or_october():
    assert period_of(date(2026, 5, 17), QUARTER) == Period(date(2026, 4, 1), QUARTER)
    assert period_of(date(2026, 5, 17)).start == date(2026, 5, 1)
    assert Period(date(2026, 4, 1), QUARTER).end == date(2026, 6, 30)
    assert Period(date(2026, 4, 1), QUARTER).code == "2026-Q2"


def test_a_month_overlaps_its_quarter_only():
    quarter = Period(date(2026, 1, 1), QUARTER)
    assert quarter.overlaps(Period(MARCH))
    assert not quarter.overlaps(Period(date(2026, 4, 1)))


def test_team_figures_roll_up_the_hierarchy():
    parent_of = {"region": None, "north": "region", "north_east": "north", "south": "region"}
    own = {
        "north_east": QuotaFigures(cross_sell_quota=Decimal("100"), credited_won=Decimal("50")),
        "south": QuotaFigures(cross_sell_quota=Decimal("300"), credited_won=Decimal("300")),
    }
    rolled = quota_rollup(own, parent_of)
    assert rolled["north"].cross_sell_quota == Decimal("100")
    assert rolled["region"].cross_sell_quota == Decimal("400")
    assert rolled["region"].attainment == Decimal("0.8750")
    assert rolled["south"].attainment == Decimal("1.0000")


def test_teams_are_ordered_depth_first_by_name():
    parent_of = {1: None, 2: 1, 3: 1, 4: 2}
    names = {1: "Region", 2: "West", 3: "East", 4: "Coast"}
    assert tree_order(parent_of, names) == [(1, 0), (3, 1), (2, 1), (4, 2)]


def test_coverage_counts_only_the_quota_still_to_win():
    figures = QuotaFigures(
        cross_sell_quota=Decimal("1000"),
        credited_won=Decimal("400"),
        open_pipeline=Decimal("1800"),
    )
    assert figures.coverage == Decimal("3.0000")
    assert (
        QuotaFigures(cross_sell_quota=Decimal("10"), credited_won=Decimal("10")).coverage is None
    )


# Setting quotas


def _set(actor, rep, **kwargs):
    values = {
        "period_start": MARCH,
        "period_kind": "month",
        "core_amount": Decimal("100000"),
        "cross_sell_amount": Decimal("20000"),
    }
    return quota_set(actor=actor, rep=rep, **{**values, **kwargs})


def test_setting_a_quota_records_who_changed_what_and_when(leader_user, rep):
    quota = _set(leader_user, rep, expected_version=0)
    updated = _set(leader_user, rep, cross_sell_amount="25000", expected_version=quota.version)

    assert updated.version == 2
    changes = field_lines(quota, created=True)
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [
        ("period_kind", "", "month"),
        ("core_amount", "", "100000.00"),
        ("cross_sell_amount", "", "20000.00"),
        ("cross_sell_amount", "20000.00", "25000.00"),
    ]
    assert all(c.changed_by == leader_user and c.changed_at for c in changes)


def test_an_unchanged_save_writes_no_history(leader_user, rep):
    quota = _set(leader_user, rep)
    again = _set(leader_user, rep, expected_version=quota.version)
    assert again.version == 1
    assert len(field_lines(quota, created=True)) == 3


def test_a_deleted_quota_keeps_its_history(leader_user, rep, merger):
    quota = _set(leader_user, rep, expected_version=0)
    _set(leader_user, rep, cross_sell_amount="25000", expected_version=quota.version)

    Quota.objects.filter(pk=quota.pk).delete()

    entries = record_history(
        merger_ids=[merger.pk], record_type="tracker.quota", object_id=quota.pk
    )
    assert [entry.action for entry in entries] == ["changed", "created"]
    assert entries[0].changes == {"cross_sell_amount": ["20000.00", "25000.00"]}
    assert entries[0].object_repr == f"{rep} 2026-03"


def test_period_start_is_normalised_to_the_quarter(ops_user, rep):
    quota = _set(ops_user, rep, period_start=date(2026, 8, 20), period_kind="quarter")
    assert quota.period_start == date(2026, 7, 1)


def test_a_month_inside_a_quarter_quota_is_refused(ops_user, rep):
    _set(ops_user, rep, period_start=date(2026, 1, 1), period_kind="quarter")
    with pytest.raises(ValidationError, match="overlaps"):
        _set(ops_user, rep, period_start=date(2026, 2, 1))


def test_negative_or_missing_amounts_are_refused(ops_user, rep):
    with pytest.raises(ValidationError) as raised:
        _set(ops_user, rep, core_amount="-1", cross_sell_amount="")
    assert set(raised.value.message_dict) == {"core_amount", "cross_sell_amount"}


def test_two_saves_at_the_same_version_one_wins_and_the_other_conflicts(leader_user, rep):
    quota = _set(leader_user, rep)
    _set(leader_user, rep, cross_sell_amount="30000", expected_version=quota.version)
    with pytest.raises(QuotaConflict) as raised:
        _set(leader_user, rep, cross_sell_amount="40000", expected_version=quota.version)
    assert raised.value.current.cross_sell_amount == Decimal("30000.00")
    assert "Someone else changed" in raised.value.message
    assert Quota.objects.get().cross_sell_amount == Decimal("30000.00")


def test_creating_a_quota_someone_else_created_meanwhile_conflicts(leader_user, ops_user, rep):
    _set(ops_user, rep)
    with pytest.raises(QuotaConflict):
        _set(leader_user, rep, expected_version=0)


def test_the_compare_and_set_refuses_a_write_that_raced_past_the_check(
    leader_user, rep, monkeypatch
):
    quota = _set(leader_user, rep)
    # A concurrent writer raised the version between our read and our update.
    Quota.objects.filter(pk=quota.pk).update(version=2)
    monkeypatch.setattr("tracker.services.quotas.write._current", lambda rep, period: quota)
    with pytest.raises(QuotaConflict):
        _set(leader_user, rep, cross_sell_amount="1", expected_version=None)
    assert Quota.objects.get().cross_sell_amount == Decimal("20000.00")


def test_a_first_quota_created_between_the_read_and_the_overlap_check_conflicts(
    leader_user, ops_user, rep, monkeypatch
):
    created = _set(ops_user, rep)
    # The other writer committed after this one read "no quota yet".
    reads = iter([None])
    monkeypatch.setattr(
        "tracker.services.quotas.write._current", lambda rep, period: next(reads, created)
    )
    with pytest.raises(QuotaConflict):
        _set(leader_user, rep, cross_sell_amount="1", expected_version=0)
    assert Quota.objects.get().cross_sell_amount == Decimal("20000.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_saves_on_postgresql_let_exactly_one_win(merger, leader_user, rep):
    quota = _set(leader_user, rep)
    barrier, outcomes = threading.Barrier(2), []

    def save(amount: str) -> None:
        try:
            barrier.wait()
            _set(leader_user, rep, cross_sell_amount=amount, expected_version=quota.version)
            outcomes.append("won")
        except QuotaConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(a,)) for a in ("31000", "32000")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert Quota.objects.get().version == 2


def test_a_leader_cannot_set_their_own_quota(merger, leader_user, team, acquirer):
    own = factories.RepFactory(merger=merger, user=leader_user, team=team, company=acquirer)
    with pytest.raises(PermissionDenied, match="own quota"):
        _set(leader_user, own)


def test_a_leader_cannot_set_another_teams_quota(leader_user, other_rep):
    with pytest.raises(PermissionDenied):
        _set(leader_user, other_rep)


def test_a_leader_sets_quotas_in_teams_below_theirs(merger, leader_user, team, acquirer):
    below = factories.TeamFactory(merger=merger, name="Central north", parent=team)
    seller = factories.RepFactory(merger=merger, team=below, company=acquirer)
    assert _set(leader_user, seller).pk


def test_reps_and_executives_cannot_set_quotas(rep_user, executive_user, rep, other_rep):
    for actor, target in ((rep_user, rep), (executive_user, other_rep)):
        with pytest.raises(PermissionDenied):
            _set(actor, target)


def test_ops_of_another_program_cannot_set_quotas(rep):
    outsider_ops = factories.UserFactory(username="ops_elsewhere", role="sales_ops")
    factories.MembershipFactory(user=outsider_ops)
    with pytest.raises(PermissionDenied):
        _set(outsider_ops, rep)


def test_editable_reps_are_the_leaders_teams_without_the_leader(
    merger, leader_user, team, rep, other_rep, acquirer, ops_user, executive_user
):
    factories.RepFactory(merger=merger, user=leader_user, team=team, company=acquirer)
    assert editable_rep_ids(user=leader_user, merger=merger) == {rep.pk}
    assert editable_rep_ids(user=ops_user, merger=merger) >= {rep.pk, other_rep.pk}
    assert editable_rep_ids(user=executive_user, merger=merger) == set()


# A leader's grid


def test_the_grid_saves_every_row_or_none(leader_user, merger, team, rep, other_rep, acquirer):
    second = factories.RepFactory(merger=merger, team=team, company=acquirer)
    rows = [
        QuotaRow(rep, MARCH, "month", "1000", "200", 0),
        QuotaRow(second, MARCH, "month", "-5", "200", 0),
        QuotaRow(other_rep, MARCH, "month", "1000", "200", 0),
    ]
    with pytest.raises(QuotaRowErrors) as raised:
        quotas_bulk_set(actor=leader_user, rows=rows)
    assert set(raised.value.errors) == {1, 2}
    assert not Quota.objects.exists()

    saved = quotas_bulk_set(actor=leader_user, rows=[rows[0]])
    assert [quota.rep for quota in saved] == [rep]


def test_the_grid_reports_a_conflict_on_its_row(leader_user, ops_user, rep):
    _set(ops_user, rep)
    with pytest.raises(QuotaRowErrors) as raised:
        quotas_bulk_set(actor=leader_user, rows=[QuotaRow(rep, MARCH, "month", "1", "2", 0)])
    assert 0 in raised.value.conflicts
    assert raised.value.conflicts[0].current_version == 1


# The quota board


def test_quotas_roll_up_through_the_hierarchy_on_the_board(merger, team, acquirer, ops_user):
    region = factories.TeamFactory(merger=merger, name="Region")
    team.parent = region
    team.save()
    west = factories.TeamFactory(merger=merger, name="West", parent=region)
    one = factories.RepFactory(merger=merger, team=team, company=acquirer)
    two = factories.RepFactory(merger=merger, team=west, company=acquirer)
    _set(ops_user, one, core_amount="1000", cross_sell_amount="300")
    _set(ops_user, two, core_amount="2000", cross_sell_amount="600", period_kind="quarter")

    board = quota_board(merger=merger, period=Period(MARCH))

    by_name = {line.team.name: line for line in board.teams}
    assert [(line.team.name, line.depth) for line in board.teams] == [
        ("Region", 0),
        ("Central", 1),
        ("West", 1),
    ]
    # The quarterly quota counts one third in March; March ends the quarter, so it takes
    # the cents left over by the thirds of 2,000 (666.66, 666.66, 666.68).
    assert by_name["West"].figures.cross_sell_quota == Decimal("200.00")
    assert by_name["Region"].figures.cross_sell_quota == Decimal("500.00")
    assert by_name["Region"].figures.core_quota == Decimal("1666.68")
    assert board.total.cross_sell_quota == Decimal("500.00")
    west_line = by_name["West"].reps[0]
    assert west_line.quota is None
    assert west_line.covered_by == Period(date(2026, 1, 1), QUARTER)
