"""Opportunity services: stage rules, one open per account and product, versions, history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import RecordChange
from core.access import Role
from tests import factories
from tests.history import changes_kept, field_lines
from tracker.models import Opportunity, Stage
from tracker.services.opportunities import (
    StaleVersion,
    opportunity_create,
    opportunity_delete,
    opportunity_problems,
    opportunity_reopen,
    opportunity_update,
    rules,
)

TODAY = dt.date(2026, 5, 15)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won", "lost")


@pytest.fixture
def account(merger):
    return factories.UnifiedAccountFactory(
        merger=merger, name="Acme Mining", segment=factories.SegmentFactory(merger=merger)
    )


@pytest.fixture
def product(acquired):
    return factories.ProductFactory(company=acquired, name="Predictive maintenance")


@pytest.fixture
def create(merger, account, product, rep, rep_user, stages):
    def create(**overrides):
        fields = {
            "actor": rep_user,
            "merger": merger,
            "account": account,
            "product": product,
            "owner": rep,
            "stage": stages["identified"],
            "expected_close": dt.date(2026, 9, 30),
            "customer_need": "Unplanned downtime on the crushers",
            "amount": Decimal("40000.00"),
        }
        return opportunity_create(**{**fields, **overrides})

    return create


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_outcome_and_probability_come_from_the_stage(create, stages, account):
    opportunity = create(stage=stages["proposal"])
    assert opportunity.outcome == Stage.Outcome.OPEN
    assert opportunity.probability == 60
    assert opportunity.segment_id == account.segment_id


def test_a_given_probability_overrides_the_stage_default(create):
    assert create(probability=35).probability == 35


def test_creation_writes_a_created_history_row(create, rep_user):
    opportunity = create()
    [row] = changes_kept(opportunity)
    assert row.action == RecordChange.Action.CREATED
    assert row.actor == rep_user
    assert row.changes["customer_need"] == ["", "Unplanned downtime on the crushers"]


def test_a_closed_stage_sets_its_own_probability_whatever_is_sent(create, stages):
    won = create(stage=stages["won"], probability=40, closed_on=TODAY)
    assert (won.outcome, won.probability) == (Stage.Outcome.WON, 100)


def test_the_customer_need_is_required(create):
    with pytest.raises(ValidationError) as excinfo:
        create(customer_need="   ")
    assert "customer_need" in errors_of(excinfo)


def test_a_second_open_opportunity_for_the_account_and_product_names_the_first(create):
    first = create()
    with pytest.raises(ValidationError) as excinfo:
        create()
    [message] = errors_of(excinfo)["product"]
    assert f"#{first.pk}" in message
    assert Opportunity.objects.count() == 1


def test_a_closed_opportunity_does_not_block_a_new_open_one(create, stages):
    create(stage=stages["lost"], lost_reason="Budget frozen", closed_on=TODAY)
    assert create().is_open


def test_a_race_past_the_check_meets_the_constraint_and_still_names_the_first(create, monkeypatch):
    first = create()
    real_check = rules._duplicate_problems
    calls = []

    def blind_first_time(opportunity):
        calls.append(opportunity)
        return {} if len(calls) == 1 else real_check(opportunity)

    monkeypatch.setattr(rules, "_duplicate_problems", blind_first_time)
    with pytest.raises(ValidationError) as excinfo:
        create()
    assert f"#{first.pk}" in errors_of(excinfo)["product"][0]
    assert Opportunity.objects.count() == 1


def test_won_needs_an_amount_and_a_close_date(create, stages):
    with pytest.raises(ValidationError) as excinfo:
        create(stage=stages["won"], amount=Decimal("0"))
    assert set(errors_of(excinfo)) == {"amount", "closed_on"}


def test_lost_needs_a_reason(create, stages):
    with pytest.raises(ValidationError) as excinfo:
        create(stage=stages["lost"], closed_on=TODAY)
    assert "lost_reason" in errors_of(excinfo)


def test_a_rep_cannot_log_an_opportunity_for_another_rep(create, other_rep):
    with pytest.raises(PermissionDenied):
        create(owner=other_rep)


def test_a_leader_logs_opportunities_for_their_team(create, leader_user, rep):
    assert create(actor=leader_user).owner == rep


def test_an_executive_cannot_log_opportunities(create, executive_user):
    with pytest.raises(PermissionDenied):
        create(actor=executive_user)


def test_objects_of_another_program_are_refused(create):
    foreign_product = factories.ProductFactory()
    with pytest.raises(ValidationError) as excinfo:
        create(product=foreign_product)
    assert "product" in errors_of(excinfo)


def test_an_update_records_each_changed_field_with_old_new_and_actor(create, stages, rep_user):
    opportunity = create()
    updated = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=1,
        changes={
            "stage": stages["proposal"],
            "amount": Decimal("55000.00"),
            "expected_close": dt.date(2026, 10, 31),
            "next_step": "Site visit",
        },
    )
    assert updated.version == 2
    rows = {row.field: row for row in field_lines(opportunity, action=RecordChange.Action.CHANGED)}
    assert set(rows) == {"stage", "probability", "amount", "expected_close", "next_step"}
    assert (rows["amount"].old_value, rows["amount"].new_value) == ("40000.00", "55000.00")
    assert rows["stage"].old_value.startswith("Identified")
    assert rows["stage"].new_value.startswith("Proposal")
    assert (rows["probability"].old_value, rows["probability"].new_value) == ("10", "60")
    assert rows["expected_close"].new_value == "2026-10-31"
    assert {row.changed_by for row in rows.values()} == {rep_user}
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert (stored.version, stored.amount, stored.probability) == (2, Decimal("55000.00"), 60)


def test_an_update_that_changes_nothing_keeps_the_version(create, rep_user):
    opportunity = create()
    same = opportunity_update(
        actor=rep_user, opportunity=opportunity, expected_version=1, changes={"next_step": ""}
    )
    assert same.version == 1
    assert len(changes_kept(opportunity)) == 1


def test_a_stale_version_is_refused_and_nothing_is_overwritten(create, rep_user):
    opportunity = create()
    opportunity_update(
        actor=rep_user,
        opportunity=Opportunity.objects.get(pk=opportunity.pk),
        expected_version=1,
        changes={"amount": Decimal("50000.00")},
    )
    with pytest.raises(StaleVersion) as excinfo:
        opportunity_update(
            actor=rep_user,
            opportunity=Opportunity.objects.get(pk=opportunity.pk),
            expected_version=1,
            changes={"amount": Decimal("1.00")},
        )
    assert excinfo.value.current == 2
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("50000.00")


def test_the_version_is_compared_in_sql_when_the_row_changed_after_it_was_read(create, rep_user):
    opportunity = create()
    read_earlier = Opportunity.objects.get(pk=opportunity.pk)
    Opportunity.objects.filter(pk=opportunity.pk).update(version=2, next_step="Call back")
    with pytest.raises(StaleVersion):
        opportunity_update(
            actor=rep_user,
            opportunity=read_earlier,
            expected_version=1,
            changes={"next_step": "Overwritten?"},
        )
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert stored.next_step == "Call back"
    assert not field_lines(Opportunity, field="next_step")


def test_a_rep_cannot_change_another_reps_opportunity(create, other_rep):
    opportunity = create()
    with pytest.raises(PermissionDenied):
        opportunity_update(
            actor=other_rep.user,
            opportunity=opportunity,
            expected_version=1,
            changes={"next_step": "Mine now"},
        )


def test_a_leader_changes_the_opportunities_of_their_team(create, leader_user):
    opportunity = create()
    updated = opportunity_update(
        actor=leader_user,
        opportunity=opportunity,
        expected_version=1,
        changes={"next_step": "Escalate"},
    )
    assert updated.next_step == "Escalate"


def test_a_rep_cannot_hand_their_opportunity_to_another_rep(create, rep_user, other_rep):
    opportunity = create()
    with pytest.raises(PermissionDenied):
        opportunity_update(
            actor=rep_user,
            opportunity=opportunity,
            expected_version=1,
            changes={"owner": other_rep},
        )


def test_sales_ops_reassign_and_the_history_names_both_owners(create, ops_user, other_rep):
    opportunity = create()
    opportunity_update(
        actor=ops_user, opportunity=opportunity, expected_version=1, changes={"owner": other_rep}
    )
    [row] = field_lines(opportunity, field="owner")
    assert f"#{opportunity.owner_id}" in row.old_value
    assert f"#{other_rep.pk}" in row.new_value
    assert row.changed_by == ops_user


def test_winning_needs_amount_and_date_on_update_too(create, stages, rep_user):
    opportunity = create()
    with pytest.raises(ValidationError) as excinfo:
        opportunity_update(
            actor=rep_user,
            opportunity=opportunity,
            expected_version=1,
            changes={"stage": stages["won"]},
        )
    assert "closed_on" in errors_of(excinfo)
    won = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=1,
        changes={"stage": stages["won"], "closed_on": TODAY},
    )
    assert (won.outcome, won.probability) == (Stage.Outcome.WON, 100)


def test_a_closed_opportunity_is_not_reopened_by_a_stage_change(create, stages, rep_user):
    lost = create(stage=stages["lost"], lost_reason="No budget", closed_on=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        opportunity_update(
            actor=rep_user,
            opportunity=lost,
            expected_version=1,
            changes={"stage": stages["proposal"]},
        )
    assert "stage" in errors_of(excinfo)


def test_reopening_is_counted_and_clears_the_close(create, stages, rep_user):
    lost = create(stage=stages["lost"], lost_reason="No budget", closed_on=TODAY)
    reopened = opportunity_reopen(actor=rep_user, opportunity=lost, expected_version=1)
    assert (reopened.stage, reopened.probability) == (stages["identified"], 10)
    stored = Opportunity.objects.get(pk=lost.pk)
    assert (stored.outcome, stored.reopen_count, stored.version) == (Stage.Outcome.OPEN, 1, 2)
    assert (stored.closed_on, stored.lost_reason) == (None, "")
    [row] = field_lines(lost, field="stage")
    assert row.action == RecordChange.Action.REOPENED


def test_reopening_is_refused_while_another_open_one_exists(create, stages, rep_user):
    lost = create(stage=stages["lost"], lost_reason="No budget", closed_on=TODAY)
    newer = create()
    with pytest.raises(ValidationError) as excinfo:
        opportunity_reopen(actor=rep_user, opportunity=lost, expected_version=1)
    assert f"#{newer.pk}" in errors_of(excinfo)["product"][0]


def test_only_sales_ops_delete_and_a_stale_version_deletes_nothing(create, rep_user, ops_user):
    opportunity = create()
    with pytest.raises(PermissionDenied):
        opportunity_delete(actor=rep_user, opportunity=opportunity)
    with pytest.raises(StaleVersion):
        opportunity_delete(actor=ops_user, opportunity=opportunity, expected_version=7)
    opportunity_delete(actor=ops_user, opportunity=opportunity, expected_version=1)
    assert not Opportunity.objects.exists()


def test_an_outsider_cannot_create_in_a_program_they_are_not_in(create, outsider_user):
    with pytest.raises(PermissionDenied):
        create(actor=outsider_user)


def test_an_inactive_rep_cannot_own_a_new_opportunity(create, merger, leader_user, team):
    retired = factories.RepFactory(
        merger=merger,
        team=team,
        is_active=False,
        user=factories.UserFactory(role=Role.REP),
    )
    with pytest.raises(ValidationError) as excinfo:
        create(actor=leader_user, owner=retired)
    assert "owner" in errors_of(excinfo)


def problems(**overrides):
    values = {
        "outcome": Stage.Outcome.OPEN,
        "amount": Decimal("100"),
        "probability": 20,
        "closed_on": None,
        "lost_reason": "",
        "customer_need": "Needs it",
        "kind": "cross_sell",
        "direction": "a_to_b",
        "today": TODAY,
    }
    return opportunity_problems(**{**values, **overrides})


def test_an_open_opportunity_with_a_need_has_no_problems():
    assert problems() == {}


def test_a_won_opportunity_is_at_100_percent_and_a_lost_one_at_0():
    won = problems(outcome=Stage.Outcome.WON, probability=90, closed_on=TODAY)
    lost = problems(outcome=Stage.Outcome.LOST, probability=5, lost_reason="Price")
    assert set(won) == {"probability"}
    assert set(lost) == {"probability"}


def test_a_close_date_is_neither_in_the_future_nor_on_an_open_opportunity():
    assert set(problems(closed_on=TODAY)) == {"closed_on"}
    future = problems(
        outcome=Stage.Outcome.WON, probability=100, closed_on=TODAY + dt.timedelta(days=1)
    )
    assert set(future) == {"closed_on"}


def test_a_negative_amount_and_unknown_choices_are_problems():
    found = problems(amount=Decimal("-1"), kind="bundle", direction="sideways")
    assert set(found) == {"amount", "kind", "direction"}


def test_only_moving_a_deal_along_resets_its_stale_clock(create, rep_user, stages):
    opportunity = create()
    long_ago = opportunity.progressed_at - dt.timedelta(days=90)
    Opportunity.objects.filter(pk=opportunity.pk).update(progressed_at=long_ago)
    opportunity.refresh_from_db()
    # Rewording the need is activity, not progress: the deal stays stale.
    opportunity = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=opportunity.version,
        changes={"customer_need": "Crushers stop twice a month"},
    )
    opportunity.refresh_from_db()
    assert opportunity.progressed_at == long_ago
    assert opportunity.updated_at > long_ago
    opportunity = opportunity_update(
        actor=rep_user,
        opportunity=opportunity,
        expected_version=opportunity.version,
        changes={"next_step": "Site visit"},
    )
    opportunity.refresh_from_db()
    assert opportunity.progressed_at == opportunity.updated_at
