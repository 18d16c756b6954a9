"""A corrected exchange rate restates the quotas, synergy targets and comp plans
entered in that currency for that month, as it restates the month's deals: a quota
and the deals measured against it convert at one rate."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import ExchangeRate
from tests.history import field_lines
from tracker.models import CompPlan, Quota, SynergyTarget
from tracker.services.compensation import comp_plan_create
from tracker.services.exchange_rates import amounts_convert_at_rates, exchange_rate_set
from tracker.services.quotas import quota_set
from tracker.services.targets import Source, TargetCell, targets_set

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def entered(merger, ops_user, leader_user, rep):
    """A quota, a target and a plan entered in euros for March, one quota for April."""
    assert merger.reporting_currency == "USD"
    for month in (MARCH, APRIL):
        ExchangeRate.objects.create(merger=merger, currency="EUR", month=month, rate=D("1.10"))
    amounts = {
        "core_amount": D("1000"),
        "cross_sell_amount": D("100"),
        "currency": "EUR",
        "period_kind": "month",
    }
    march = quota_set(actor=leader_user, rep=rep, period_start=MARCH, **amounts)
    april = quota_set(actor=leader_user, rep=rep, period_start=APRIL, **amounts)
    targets_set(
        actor=ops_user,
        merger=merger,
        cells=[TargetCell(MARCH, None, D("2000"), D("200"), currency="EUR")],
        source=Source.API,
    )
    plan = comp_plan_create(
        actor=ops_user,
        merger=merger,
        name="EU",
        period_start=dt.date(2026, 3, 15),
        period_end=dt.date(2026, 12, 31),
        target_variable_pay=D("24000"),
        cross_sell_share_pct=D("25"),
        spif_kind="flat",
        spif_amount=D("400"),
        currency="EUR",
    )
    return march, april, SynergyTarget.objects.get(), plan


def test_a_corrected_rate_restates_what_was_entered_for_its_month(
    merger, ops_user, entered, django_capture_on_commit_callbacks
):
    march, april, target, plan = entered
    assert march.core_amount == D("1100.00")
    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_set(
            actor=ops_user, merger=merger, currency="EUR", month=MARCH, rate=D("1.2")
        )
    march, april = Quota.objects.get(pk=march.pk), Quota.objects.get(pk=april.pk)
    assert (march.core_amount, march.cross_sell_amount) == (D("1200.00"), D("120.00"))
    assert march.version == 2  # an edit form opened before the correction must reload
    assert (april.core_amount, april.version) == (D("1100.00"), 1)  # April's rate stands
    target = SynergyTarget.objects.get(pk=target.pk)
    assert (target.revenue_synergy, target.cross_sell) == (D("2400.00"), D("240.00"))
    plan = CompPlan.objects.get(pk=plan.pk)
    assert (plan.target_variable_pay, plan.spif_amount) == (D("28800.00"), D("480.00"))
    change = field_lines(march, field="core_amount")[-1]
    assert (change.old_value, change.new_value, change.changed_by) == (
        "1100.00",
        "1200.00",
        ops_user,
    )


def test_restating_twice_changes_nothing_more(merger, ops_user, entered):
    ExchangeRate.objects.filter(month=MARCH).update(rate=D("1.2"))
    pairs = {("EUR", MARCH)}
    assert amounts_convert_at_rates(merger_id=merger.pk, pairs=pairs, actor_id=ops_user.pk) == 3
    assert amounts_convert_at_rates(merger_id=merger.pk, pairs=pairs, actor_id=ops_user.pk) == 0
    assert len(field_lines(entered[0], field="core_amount")) == 1  # restated once
