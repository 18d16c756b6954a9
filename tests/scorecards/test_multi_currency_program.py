"""A program whose accounts and deals come in euros, dollars, roubles and yuan.

Worked by hand (reporting currency USD; rates for the current month EUR 1.10,
RUB 0.011, CNY 0.14): the acquirer's file has a euro and a dollar customer, the
acquired company's file a rouble and a yuan customer, each with install-base
revenue in its own currency. Revenue in USD: 1,000 EUR = 1,100.00; 2,000 USD =
2,000.00; 100,000 RUB = 1,100.00; 10,000 CNY = 1,400.00; total 5,600.00. A
cross-sell of 5,000 CNY won this month is realized as 700.00 USD, and
reconciliation passes on the program.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from accounts.imports.columns import ACCOUNTS, INSTALL_BASE, PRODUCTS
from accounts.models import ExchangeRate, Holding, Product, SourceAccount, UnifiedAccount
from accounts.services.matching import accounts_match
from accounts.services.refresh import merger_analysis_refresh
from scorecards.reconcile import program_reconcile
from tests import factories
from tests.accounts.test_import_service import imported, media  # noqa: F401
from tracker.figures import realized_q
from tracker.models import Opportunity
from tracker.services.opportunities import opportunity_create, opportunity_update

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def program(merger, acquirer, acquired):
    month = timezone.localdate().replace(day=1)
    merger.day_one = month - dt.timedelta(days=365)
    merger.reporting_currency = "USD"
    merger.save()
    for currency, rate in (("EUR", "1.10"), ("RUB", "0.011"), ("CNY", "0.14")):
        ExchangeRate.objects.create(merger=merger, currency=currency, month=month, rate=D(rate))
    factories.SegmentFactory(merger=merger, name="Mining")
    imported(
        merger,
        acquirer,
        ACCOUNTS,
        "crm_id,name,is_customer,revenue_current\n"
        "E1,Euro Mining GmbH,yes,€1.000\n"
        "U1,Dollar Mining Inc,yes,2000\n",
    )
    imported(
        merger,
        acquired,
        ACCOUNTS,
        "crm_id,name,Currency,is_customer,revenue_current\n"
        "R1,Rouble Mining OOO,RUB,yes,100 000\n"
        "C1,Yuan Mining Ltd,CNY,yes,10000\n",
    )
    imported(merger, acquirer, PRODUCTS, "code,name\nGW,Gateway\n")
    imported(merger, acquired, PRODUCTS, "code,name\nAN,Analytics\n")
    imported(
        merger,
        acquirer,
        INSTALL_BASE,
        "account_crm_id,product_code,annual_revenue,since\n"
        "E1,GW,1000 EUR,2024-01-01\n"
        "U1,GW,$2000,2024-01-01\n",
    )
    imported(
        merger,
        acquired,
        INSTALL_BASE,
        "account_crm_id,product_code,annual_revenue,since\n"
        "R1,AN,RUB 100 000,2024-01-01\n"
        "C1,AN,CN¥10000,2024-01-01\n",
    )
    accounts_match(merger=merger)
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    return merger


def test_every_amount_is_in_the_reporting_currency_with_its_original_kept(program):
    holdings = Holding.objects.filter(account__company__merger=program)
    assert dict(holdings.values_list("currency", "annual_revenue")) == {
        "EUR": D("1100.00"),
        "USD": D("2000.00"),
        "RUB": D("1100.00"),
        "CNY": D("1400.00"),
    }
    assert holdings.aggregate(total=Sum("annual_revenue"))["total"] == D("5600.00")
    yuan = SourceAccount.objects.get(crm_id="C1")
    assert (yuan.currency, yuan.revenue_current_original, yuan.revenue_current) == (
        "CNY",
        D("10000.00"),
        D("1400.00"),
    )


def test_a_deal_in_yuan_is_realized_in_dollars_and_the_program_reconciles(
    program, acquirer, rep, rep_user
):
    stages = factories.stages_of(program, "identified", "won")
    customer = UnifiedAccount.objects.get(sources__crm_id="E1")
    product = Product.objects.get(code="AN")
    deal = opportunity_create(
        actor=rep_user,
        merger=program,
        account=customer,
        product=product,
        owner=rep,
        stage=stages["identified"],
        expected_close=timezone.localdate() + dt.timedelta(days=30),
        customer_need="Predictive maintenance for the crushers",
        amount=D("5000"),
        currency="CNY",
    )
    assert (deal.amount, deal.amount_original, deal.currency) == (D("700.00"), D("5000"), "CNY")
    deal.refresh_from_db()
    opportunity_update(
        actor=rep_user,
        opportunity=deal,
        expected_version=deal.version,
        changes={"stage": stages["won"], "closed_on": timezone.localdate()},
    )
    month = timezone.localdate().replace(day=1)
    realized = Opportunity.objects.filter(
        realized_q(closed_from=month, closed_to=timezone.localdate()), merger=program
    ).aggregate(total=Sum("amount"))["total"]
    assert realized == D("700.00")
    report = program_reconcile(merger=program)
    assert report.ok, "\n".join(str(mismatch) for mismatch in report.mismatches)


def test_quotas_targets_and_plans_in_their_currencies_count_in_dollars_and_reconcile(
    program, rep, ops_user
):
    from tracker.models import SynergyTarget
    from tracker.services.compensation import comp_plan_create
    from tracker.services.quotas import quota_set
    from tracker.services.targets import Source, TargetCell, targets_set

    month = timezone.localdate().replace(day=1)
    # A deal, so that the pipeline has figures to reconcile.
    opportunity_create(
        actor=ops_user,
        merger=program,
        account=UnifiedAccount.objects.get(sources__crm_id="E1"),
        product=Product.objects.get(code="AN"),
        owner=rep,
        stage=factories.stages_of(program, "identified")["identified"],
        expected_close=timezone.localdate() + dt.timedelta(days=30),
        customer_need="Predictive maintenance for the crushers",
        amount=D("5000"),
        currency="CNY",
    )
    quota = quota_set(
        actor=ops_user,
        rep=rep,
        period_start=month,
        period_kind="month",
        core_amount=D("10000"),
        cross_sell_amount=D("1000"),
        currency="EUR",
    )
    assert (quota.core_amount, quota.cross_sell_amount) == (D("11000.00"), D("1100.00"))
    targets_set(
        actor=ops_user,
        merger=program,
        cells=[TargetCell(month, None, D("50000"), D("10000"), currency="CNY")],
        source=Source.API,
    )
    target = SynergyTarget.objects.get(merger=program, month=month)
    assert (target.revenue_synergy, target.cross_sell) == (D("7000.00"), D("1400.00"))
    plan = comp_plan_create(
        actor=ops_user,
        merger=program,
        name="Russia",
        period_start=month,
        period_end=month + dt.timedelta(days=27),
        reps=[rep],
        target_variable_pay=D("1000000"),
        cross_sell_share_pct=D("20"),
        currency="RUB",
    )
    assert plan.target_variable_pay == D("11000.00")
    report = program_reconcile(merger=program)
    assert report.ok, "\n".join(str(mismatch) for mismatch in report.mismatches)
