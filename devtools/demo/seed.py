"""Build the demo program in the database, or remove it again."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from accounts.models import (
    Holding,
    LegacyCompany,
    MatchCandidate,
    MatchDecision,
    Merger,
    Product,
    ProductMapping,
    RecordChange,
    RiskPolicy,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.services.bulk_rows import tables_analyze
from accounts.services.matching import accounts_match
from accounts.services.refresh import merger_analysis_refresh
from devtools.demo.linking import NO_CRM, entity_accounts
from devtools.demo.org import COMP_PLANS, CROSS_SELL_LEADER, DEMO_USERNAMES, OPS
from devtools.demo.plan import DEMO_MERGER_NAME, DemoPlan
from devtools.demo.segmenting import unified_accounts_segment
from devtools.demo.world import World, world_build
from devtools.demo.write_accounts import (
    companies_write,
    greenfield_write,
    products_write,
    segments_write,
    source_accounts_write,
)
from devtools.demo.write_org import (
    comp_plans_write,
    core_win_rates_write,
    merger_write,
    quotas_write,
    reps_write,
    teams_write,
    users_write,
)
from devtools.demo.write_pipeline import (
    opportunities_write,
    reviews_write,
    stages_write,
    targets_write,
)
from scorecards.models import ScoringPolicy
from scorecards.services.month_close import month_close, months_to_close
from scorecards.services.scores import scores_recompute
from tracker.models import (
    CoreWinRate,
    CreditSplit,
    MonthlySnapshot,
    Opportunity,
    Quota,
    Rep,
    SynergyTarget,
)
from tracker.pipeline_math import add_months
from tracker.services.won_sales import won_sales_sync_program

WRITTEN_MODELS: list[type[Model]] = [
    LegacyCompany,
    Product,
    ProductMapping,
    SourceAccount,
    Holding,
    UnifiedAccount,
    MatchCandidate,
    MatchDecision,
    Opportunity,
    RecordChange,
    CreditSplit,
    Quota,
    SynergyTarget,
    CoreWinRate,
]


@dataclass(frozen=True)
class SeedResult:
    merger: Merger
    counts: dict[str, int]


def demo_merger() -> Merger | None:
    return Merger.objects.filter(name=DEMO_MERGER_NAME).first()


def demo_delete() -> bool:
    """Remove the demo program and the demo people no other program needs."""
    merger = demo_merger()
    people = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    program_delete(merger=merger, people=people)
    return merger is not None


def program_delete(*, merger: Merger | None, people: QuerySet) -> None:
    """Remove a generated program, and those of `people` no other program needs.

    The biggest tables go first, each in one statement. Protected references go
    before what they protect: opportunities hold their accounts, products, owners
    and stages; reps hold their legacy company.
    """
    with transaction.atomic():
        if merger is not None:
            RecordChange.objects.filter(merger=merger).delete()
            CreditSplit.objects.filter(opportunity__merger=merger).delete()
            WhitespaceCell.objects.filter(merger=merger).delete()
            Opportunity.objects.filter(merger=merger).delete()
            # Won deals point at holdings (SET_NULL), so the ORM would load every holding
            # to clear links that no longer exist once the deals are gone: one statement.
            holdings = Holding.objects.filter(account__company__merger=merger)
            holdings._raw_delete(holdings.db)
            MonthlySnapshot.objects.filter(merger=merger).delete()
            Rep.objects.filter(merger=merger).delete()
            merger.delete()
        people.filter(memberships__isnull=True).delete()


def demo_seed(*, plan: DemoPlan, password: str, reset: bool = False) -> SeedResult:
    """Write the whole program in one transaction: all of it or nothing.

    With `reset`, the old demo program goes in the same transaction, so a failed
    rebuild leaves the previous demo in place.
    """
    world = world_build(plan)
    with transaction.atomic():
        if reset:
            demo_delete()
        merger = _write(world, password)
        _derive(merger, plan)
    return SeedResult(merger, _counts(merger))


def _derive(merger: Merger, plan: DemoPlan) -> None:
    """What the program's services compute from the data: as if it had run for months."""
    # The deals were written in bulk; their wins enter the install base as the service's would.
    won_sales_sync_program(merger_id=merger.pk)
    tables_analyze(WRITTEN_MODELS)
    # Scores are computed below in this transaction; nothing needs telling afterwards.
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    tables_analyze([UnifiedAccount, WhitespaceCell])
    # Every ended month closed as the beat would have closed it; this month scored.
    for month in months_to_close(merger_id=merger.pk, today=plan.today):
        month_close(merger_id=merger.pk, month=month, today=plan.today)
    scores_recompute(merger_id=merger.pk, month=plan.today.replace(day=1), today=plan.today)


def _write(world: World, password: str) -> Merger:
    plan = world.plan
    # One hash for everyone: hashing thirty passwords would take most of the run.
    users = users_write(password_hash=make_password(password))
    merger = merger_write(plan=plan, users=users, leader=CROSS_SELL_LEADER)
    ScoringPolicy.objects.create(merger=merger)
    RiskPolicy.objects.create(merger=merger)
    companies = companies_write(merger=merger)
    segments = segments_write(merger=merger)
    products = products_write(merger=merger, companies=companies, created_by=users[OPS.username])
    teams = teams_write(merger=merger, users=users)
    reps = reps_write(
        merger=merger,
        users=users,
        teams=teams,
        companies=companies,
        products=products,
        reps=world.reps,
    )
    source_accounts_write(entities=world.entities, companies=companies, products=products)
    tables_analyze([SourceAccount])
    # Matching decides which records are one customer, from the records alone; the
    # analysis is refreshed below in this transaction, not queued for after the commit.
    accounts_match(merger=merger, refresh_analysis=False)
    unified_accounts_segment(merger=merger)
    greenfield = greenfield_write(merger=merger, entities=world.greenfield, segments=segments)
    accounts = {
        **entity_accounts(merger=merger, entities=world.entities),
        **{key: {NO_CRM: pk} for key, pk in greenfield.items()},
    }
    opportunities_write(
        merger=merger,
        opps=world.opportunities,
        accounts=accounts,
        products=products,
        stages=stages_write(merger=merger),
        reps=reps,
        users=users,
    )
    quotas_write(reps=reps, quotas=world.quotas, currency=merger.reporting_currency)
    comp_plans_write(
        merger=merger,
        plans=COMP_PLANS,
        start=plan.quota_months[0],
        end=add_months(plan.quota_months[-1], 1) - timedelta(days=1),
        members=[(r.plan, reps[r.username].pk) for r in world.reps],
    )
    core_win_rates_write(
        merger=merger, companies=companies, records=world.core_win_rates, ops=users[OPS.username]
    )
    targets_write(merger=merger, targets=world.targets, segments=segments)
    reviews_write(merger=merger, reviews=world.reviews, chair=users[CROSS_SELL_LEADER.username])
    return merger


def _counts(merger: Merger) -> dict[str, int]:
    accounts = UnifiedAccount.objects.filter(merger=merger)
    candidates = MatchCandidate.objects.filter(merger=merger)
    pair = MatchCandidate.Status
    return {
        _("source accounts"): SourceAccount.objects.filter(company__merger=merger).count(),
        _("unified accounts"): accounts.count(),
        _("customers of both"): accounts.filter(status=UnifiedAccount.Status.BOTH).count(),
        _("pairs matched automatically"): candidates.filter(status=pair.AUTO_MATCHED).count(),
        _("pairs waiting for review"): candidates.filter(status=pair.PENDING).count(),
        _("segments"): merger.segments.count(),
        _("products"): Product.objects.filter(company__merger=merger).count(),
        _("reps"): merger.reps.count(),
        _("opportunities"): merger.opportunities.count(),
    }
