"""A closed period pays on the comp plans its months were frozen with: editing a
plan's terms, moving a rep off it or deleting it afterwards moves only the payouts of
periods still running, and a month frozen before plans were kept says it reads today's."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Kind
from tests import factories
from tracker.frozen_notes import plan_terms_notes
from tracker.models import CompPlan, MonthlySnapshot, Stage
from tracker.selectors.compensation import payouts_of_period, plans_by_rep
from tracker.selectors.frozen_plans import KeptPlan, kept_plans, kept_plans_by_rep
from tracker.services.compensation import comp_plan_create, comp_plan_delete, comp_plan_update
from tracker.services.snapshots import snapshot_freeze

APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)


def _win(merger, owner, amount, closed_on):
    stage = factories.stages_of(merger, "won")["won"]
    return factories.OpportunityFactory(
        merger=merger,
        product=factories.ProductFactory(company=merger.companies.get(role="acquirer")),
        owner=owner,
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal(amount),
        closed_on=closed_on,
        created_at=timezone.make_aware(datetime(2026, 3, 2)),
        kind=Kind.CROSS_SELL,
    )


def _plan(actor, merger, name, reps, **terms):
    return comp_plan_create(
        actor=actor,
        merger=merger,
        name=name,
        reps=reps,
        **{
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 12, 31),
            "target_variable_pay": Decimal("60000"),
            "cross_sell_share_pct": Decimal("20"),
            "spif_kind": CompPlan.Spif.FLAT,
            "spif_amount": Decimal("500"),
            **terms,
        },
    )


def _payouts(merger, first, last=None):
    return payouts_of_period(merger=merger, month_from=first, month_to=last or first)


def _row(merger, rep, first, last=None):
    return next(row for row in _payouts(merger, first, last).rows if row.rep == rep)


@pytest.fixture
def plan(merger, acquirer, rep, ops_user):
    """The rep on a flat 500 SPIF, a 10,000 quota and a 5,000 win a month from April to
    June; April and May frozen, June live."""
    plan = _plan(ops_user, merger, "Sellers", [rep])
    for month in (APRIL, MAY, JUNE):
        factories.QuotaFactory(rep=rep, period_start=month, cross_sell_amount=Decimal("10000"))
        _win(merger, rep, "5000", month.replace(day=12))
    for month in (APRIL, MAY):
        snapshot_freeze(merger_id=merger.pk, month=month)
    return plan


def _edit_spif(plan, actor, amount="2000"):
    plan.refresh_from_db()
    comp_plan_update(actor=actor, plan=plan, spif_amount=Decimal(amount))


def test_the_freeze_keeps_the_plans_covering_the_month(merger, rep, other_rep, ops_user, plan):
    _plan(
        ops_user,
        merger,
        "Leaders",
        [rep],
        for_leaders=True,
        spif_kind=CompPlan.Spif.PERCENT,
        spif_percent=Decimal("2.5"),
    )
    # Starts after June ends: not a plan of June.
    _plan(ops_user, merger, "Next year", [other_rep], period_start=date(2026, 7, 1))
    snapshot_freeze(merger_id=merger.pk, month=JUNE)

    kept = MonthlySnapshot.objects.get(merger=merger, month=JUNE).comp_plans
    assert [plan["name"] for plan in kept] == ["Sellers", "Leaders"]
    assert kept[0] == {
        "id": plan.pk,
        "name": "Sellers",
        "for_leaders": False,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "currency": plan.currency,
        "target_variable_pay": "60000.00",
        "cross_sell_share_pct": "20.00",
        "spif_kind": "flat",
        "spif_amount": "500.00",
        "spif_percent": "0.00",
        "president_club_requires_cross_sell": False,
        "reps": [rep.pk],
    }
    assert kept[1]["spif_percent"] == "2.50" and kept[1]["for_leaders"] is True


def test_a_plan_edited_after_the_freeze_moves_no_closed_payout_but_moves_the_live_month(
    merger, rep, ops_user, plan
):
    may, june = _row(merger, rep, MAY), _row(merger, rep, JUNE)
    assert may.payout.spif == june.payout.spif == Decimal("500.00")

    _edit_spif(plan, ops_user)
    plan.refresh_from_db()
    comp_plan_update(actor=ops_user, plan=plan, target_variable_pay=Decimal("120000"))

    after = _row(merger, rep, MAY)
    assert after.payout == may.payout
    assert (after.plan.name, after.plan.pk) == ("Sellers", plan.pk)
    assert _payouts(merger, MAY).plans_frozen_month == MAY
    live = _row(merger, rep, JUNE)
    assert live.payout.spif == Decimal("2000.00")
    assert live.payout.cross_sell_variable == 2 * june.payout.cross_sell_variable
    assert _payouts(merger, JUNE).plans_frozen_month is None


def test_a_closed_quarter_pays_on_its_last_months_plans_and_a_running_one_on_todays(
    merger, rep, ops_user, plan
):
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    quarter = _row(merger, rep, APRIL, JUNE)
    assert quarter.payout.spif == Decimal("1500.00")

    _edit_spif(plan, ops_user)

    payouts = _payouts(merger, APRIL, JUNE)
    assert payouts.plans_frozen_month == JUNE
    assert next(row for row in payouts.rows if row.rep == rep).payout == quarter.payout
    # With June open again the quarter still runs: today's terms.
    MonthlySnapshot.objects.filter(merger=merger, month=JUNE).delete()
    running = _row(merger, rep, APRIL, JUNE)
    assert running.payout.spif == Decimal("6000.00")


def test_a_plan_that_ended_early_in_a_closed_quarter_still_pays_it_as_today_would(
    merger, other_rep, ops_user, plan
):
    MonthlySnapshot.objects.filter(merger=merger).delete()
    april_only = _plan(ops_user, merger, "April push", [other_rep], period_end=date(2026, 4, 30))
    for month in (APRIL, MAY, JUNE):
        snapshot_freeze(merger_id=merger.pk, month=month)
    today = plans_by_rep(merger=merger, first=APRIL, last=date(2026, 6, 30))

    payouts = _payouts(merger, APRIL, JUNE)

    assert payouts.plans_frozen_month == JUNE
    row = next(row for row in payouts.rows if row.rep == other_rep)
    assert row.plan.pk == today[other_rep.pk].pk == april_only.pk


def test_a_rep_moved_off_the_plan_after_the_freeze_is_still_paid_by_it_for_the_month(
    merger, rep, ops_user, plan
):
    may = _row(merger, rep, MAY)
    plan.refresh_from_db()
    comp_plan_update(actor=ops_user, plan=plan, reps=[])
    _plan(ops_user, merger, "Newcomers", [rep], spif_amount=Decimal("100"))

    after = _row(merger, rep, MAY)
    assert after.plan.name == "Sellers" and after.payout == may.payout
    june = _row(merger, rep, JUNE)
    assert june.plan.name == "Newcomers" and june.payout.spif == Decimal("100.00")


def test_a_plan_deleted_since_still_pays_its_closed_month_but_links_nowhere(
    merger, rep, ops_user, plan
):
    may = _row(merger, rep, MAY)
    comp_plan_delete(actor=ops_user, plan=plan)

    after = _row(merger, rep, MAY)
    assert isinstance(after.plan, KeptPlan)
    assert (after.plan.name, after.plan.pk, after.payout) == ("Sellers", None, may.payout)
    assert _row(merger, rep, JUNE).plan is None
    api = APIClient()
    api.force_authenticate(ops_user)
    body = api.get(f"/api/v1/payouts/?merger={merger.pk}&period=2026-05").json()
    [line] = [line for line in body["rows"] if line["rep"] == rep.pk]
    assert (line["plan"], line["plan_name"]) == (None, "Sellers")


def test_a_month_frozen_before_plans_were_kept_reads_todays_plans_and_says_so(
    client, merger, rep, ops_user, plan
):
    MonthlySnapshot.objects.filter(merger=merger, month=MAY).update(comp_plans=None)
    assert kept_plans(merger=merger, first=MAY, last_month=MAY) is None
    _edit_spif(plan, ops_user)

    payouts = _payouts(merger, MAY)
    assert (payouts.plans_frozen_month, payouts.plans_unkept_month) == (None, MAY)
    assert next(row for row in payouts.rows if row.rep == rep).payout.spif == Decimal("2000.00")
    client.force_login(ops_user)
    page = client.get(reverse("tracker:compensation"), {"period": "2026-05"}).content.decode()
    assert "Plan terms are today&#x27;s: May 2026 was frozen before plans were kept" in page
    assert "Plan terms as frozen" not in page
    api = APIClient()
    api.force_authenticate(ops_user)
    body = api.get(f"/api/v1/payouts/?merger={merger.pk}&period=2026-05").json()
    assert (body["plans_frozen_month"], body["plans_unkept_month"]) == (None, "2026-05")
    # April still has its plans: its payouts are as frozen.
    assert _payouts(merger, APRIL).plans_frozen_month == APRIL


def test_the_page_and_the_api_say_which_plan_terms_were_used(client, merger, ops_user, plan):
    client.force_login(ops_user)

    def page(period: str) -> str:
        return client.get(reverse("tracker:compensation"), {"period": period}).content.decode()

    assert "Plan terms as frozen with May 2026." in page("2026-05")
    assert "Plan terms are today&#x27;s: the period has months still open." in page("2026-Q2")
    assert "Plan terms" not in page("2026-06")
    api = APIClient()
    api.force_authenticate(ops_user)
    url = f"/api/v1/payouts/?merger={merger.pk}&period="
    may, quarter = api.get(url + "2026-05").json(), api.get(url + "2026-Q2").json()
    assert (may["plans_frozen_month"], may["plans_unkept_month"]) == ("2026-05", None)
    assert (quarter["plans_frozen_month"], quarter["plans_unkept_month"]) == (None, None)


def test_the_notes_name_the_month_mid_sentence_in_the_users_language():
    with translation.override("ru"):
        [note] = plan_terms_notes(frozen_months=[MAY], frozen_with=MAY, unkept=None)
        assert note.endswith("за май 2026.")
        [note] = plan_terms_notes(frozen_months=[MAY], frozen_with=None, unkept=MAY)
        assert ": май 2026 зафиксирован" in note
    assert plan_terms_notes(frozen_months=[], frozen_with=None, unkept=None) == []


def test_kept_plans_pay_each_rep_as_todays_would(merger, rep, other_rep, ops_user, plan):
    """The rule is today's: a leader on both kinds of plan is paid by the leaders' plan,
    and of two plans the latest starting one pays."""
    _plan(ops_user, merger, "Leaders", [rep], for_leaders=True)
    _plan(ops_user, merger, "Early", [other_rep], period_end=date(2026, 6, 30))
    _plan(
        ops_user,
        merger,
        "Late",
        [other_rep],
        period_start=date(2026, 5, 1),
        for_leaders=True,
    )
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    today = plans_by_rep(merger=merger, first=JUNE, last=date(2026, 6, 30))
    kept = kept_plans_by_rep(kept_plans(merger=merger, first=JUNE, last_month=JUNE) or [])
    assert {rep_id: plan.name for rep_id, plan in kept.items()} == {
        rep_id: plan.name for rep_id, plan in today.items()
    }
    assert kept[rep.pk].name == "Leaders" and kept[other_rep.pk].name == "Late"


def test_a_closed_period_reads_in_queries_that_do_not_grow_with_the_reps(
    client, merger, ops_user, plan
):
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    client.force_login(ops_user)
    api = APIClient()
    api.force_authenticate(ops_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("tracker:compensation"), {"period": "2026-Q2"})
            api.get(f"/api/v1/payouts/?merger={merger.pk}&period=2026-Q2")
        return len(captured)

    before = count()
    for index in range(4):
        seller = factories.RepFactory(merger=merger)
        _plan(ops_user, merger, f"Seller {index}", [seller])
        factories.QuotaFactory(rep=seller, period_start=JUNE, cross_sell_amount=Decimal("1000"))
    MonthlySnapshot.objects.filter(merger=merger, month=JUNE).delete()
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    assert count() == before


def test_a_closed_quarter_with_a_month_frozen_before_plans_were_kept_names_that_month(
    merger, rep, plan
):
    snapshot_freeze(merger_id=merger.pk, month=JUNE)
    MonthlySnapshot.objects.filter(merger=merger, month=APRIL).update(comp_plans=None)

    payouts = _payouts(merger, APRIL, JUNE)

    assert (payouts.plans_frozen_month, payouts.plans_unkept_month) == (None, APRIL)
