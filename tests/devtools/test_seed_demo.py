"""The demo program: deterministic, realistic in its proportions, and consistent when stored."""

import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO
from statistics import median
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Sum
from django.test import override_settings

from accounts.matching.scoring import Method
from accounts.models import (
    Holding,
    MatchCandidate,
    MatchDecision,
    Merger,
    ProductMapping,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.selectors.history import changes_of
from core.access import GROUP_NAMES, Role, roles_of
from core.signals import program_data_changed
from devtools.demo.catalogue import PRODUCT_MAP, PRODUCTS
from devtools.demo.history import WON
from devtools.demo.linking import NO_CRM, account_of
from devtools.demo.org import DESKS, REGION_TEAMS, SELLERS, TEAMS
from devtools.demo.plan import (
    ACQUIRED,
    ACQUIRER,
    APAC_DESK,
    DEMO_MERGER_NAME,
    EMEA_POWER,
    EMEA_PROCESS,
    LATAM_DESK,
    NA_ENTERPRISE,
    NA_FOOD,
    SEGMENTS,
    demo_plan,
)
from devtools.demo.world import world_build
from devtools.demo.write_accounts import truth_of
from devtools.demo.write_pipeline import opportunity_accounts
from scorecards.indicators import INDICATORS
from scorecards.models import (
    CScore,
    IndicatorValue,
    ProgramReview,
    ScoringPolicy,
    SegmentScore,
    SixC,
)
from tracker.models import (
    CompPlan,
    CreditSplit,
    Opportunity,
    Quota,
    Rep,
    Stage,
    SynergyTarget,
    Team,
)
from tracker.selectors.directions import direction_expression
from tracker.selectors.supervision import BURST_MIN_OPENED, REOPEN_MIN, THIN_NEED_CHARS

TODAY = date(2026, 1, 15)
SMALL = ["--scale=0.05", "--today=2026-01-15", "--seed=7"]


def small_world(seed: int = 7, scale: float = 0.05):
    return world_build(demo_plan(seed=seed, scale=scale, today=TODAY))


def fingerprint(world) -> list:
    return [
        [(e.name, tuple(r.name for r in e.records.values())) for e in world.entities],
        [
            (
                o.entity,
                o.product,
                o.owner,
                o.life.amount,
                o.life.stage.name,
                o.life.created_at,
                o.life.updated_at,
            )
            for o in world.opportunities
        ],
        [(q.username, q.period_start, q.cross_sell_amount) for q in world.quotas],
        [(t.month, t.segment, t.cross_sell) for t in world.targets],
    ]


# The plan and the generated world, without a database.


def test_full_scale_plan_has_the_promised_volumes():
    plan = demo_plan(seed=1, scale=1, today=date(2026, 11, 22))
    assert plan.accounts_per_side == 2000
    assert 0.25 <= plan.both_customers / plan.accounts_per_side <= 0.35
    assert plan.opportunities == 3000
    assert 6 <= len(SEGMENTS) <= 10
    assert 28 <= len(PRODUCTS) <= 32
    assert {p.company for p in PRODUCTS} == {ACQUIRER, ACQUIRED}
    assert 28 <= len(SELLERS) <= 32
    assert {p.company for p in SELLERS} == {ACQUIRER, ACQUIRED}
    assert len(TEAMS) == 5
    assert [t.name for t in TEAMS if t.parent is None] == ["Cross-sell program"]
    assert len(plan.quota_months) == 12


def test_same_seed_and_date_build_the_same_world():
    assert fingerprint(small_world()) == fingerprint(small_world())


def test_another_seed_builds_another_world():
    assert fingerprint(small_world(seed=7)) != fingerprint(small_world(seed=8))


def test_reference_date_too_close_to_day_one_is_refused():
    with pytest.raises(ValueError):
        demo_plan(seed=1, scale=1, today=date(2025, 7, 15))
    with pytest.raises(ValueError):
        demo_plan(seed=1, scale=0, today=TODAY)


def test_a_quarter_of_each_crm_are_customers_of_both_spelled_differently():
    world = small_world(scale=0.2)
    shared = [e for e in world.entities if e.customer_of == {ACQUIRER, ACQUIRED}]
    for role in (ACQUIRER, ACQUIRED):
        records = [e for e in world.entities if role in e.records]
        assert 0.25 <= len(shared) / len(records) <= 0.35
    assert all(e.records[ACQUIRER].name != e.records[ACQUIRED].name for e in shared)
    names = " ".join(r.name for e in world.entities for r in e.records.values())
    assert re.search("[А-я]", names) and re.search("[\u4e00-\u9fff]", names)
    assert re.search("[éüöåłã]", names)
    assert any(not e.customer_of for e in world.entities)  # prospects
    assert all(not e.records for e in world.greenfield)


def test_every_dark_side_profile_appears():
    profiles = Counter(e.profile for e in small_world(scale=0.3).entities)
    assert {
        "service_demander",
        "revenue_reverser",
        "promotion_maximizer",
        "spending_limiter",
    } <= set(profiles)


def test_product_map_connects_catalogue_products_with_and_without_validation():
    codes = {p.code for p in PRODUCTS}
    assert all(
        m.source in codes and m.target in codes and m.source != m.target for m in PRODUCT_MAP
    )
    assert {m.validated for m in PRODUCT_MAP} == {True, False}
    assert {m.relation for m in PRODUCT_MAP} >= {
        "complementary",
        "accessory",
        "service",
        "upgrade",
    }


def test_each_segment_is_covered_by_a_desk_of_its_regions_team_with_both_companies():
    for segment in SEGMENTS:
        desk = DESKS[segment.desk]
        assert desk.team == REGION_TEAMS[segment.region]
        sellers = [p for p in SELLERS if p.desk == desk.name]
        assert {p.company for p in sellers} == {ACQUIRER, ACQUIRED}
        assert all(p.team == desk.team for p in sellers)
    assert {p.desk for p in SELLERS} == set(DESKS)


def test_desks_differ_in_cross_sell_quota_and_training():
    world = small_world()
    desk_of = {p.username: p.desk for p in SELLERS}
    cross = defaultdict(Decimal)
    total = defaultdict(Decimal)
    for quota in world.quotas:
        cross[desk_of[quota.username]] += quota.cross_sell_amount
        total[desk_of[quota.username]] += quota.core_amount + quota.cross_sell_amount
    share = {desk: cross[desk] / total[desk] for desk in DESKS}
    # Some desks carry no cross-sell quota at all, others a fifth of their number.
    assert share[LATAM_DESK] == share[EMEA_POWER] == 0
    assert share[NA_ENTERPRISE] > 3 * share[NA_FOOD] > 0
    carriers = {q.username for q in world.quotas if q.cross_sell_amount > 0}
    assert 0 < len(carriers) < len(SELLERS)

    company = {p.username: p.company for p in SELLERS}
    product_company = {p.code: p.company for p in PRODUCTS}
    trained = defaultdict(list)
    for rep in world.reps:
        other = {code for code, _on in rep.certifications if product_company[code] != rep.company}
        others = sum(1 for p in PRODUCTS if p.company != company[rep.username])
        trained[desk_of[rep.username]].append(len(other) / others)
    rate = {desk: sum(values) / len(values) for desk, values in trained.items()}
    assert rate[EMEA_PROCESS] > 0.4 > 0.15 > rate[APAC_DESK]


def test_relationships_are_old_in_enterprise_and_young_in_latam():
    world = small_world(scale=0.2)
    years = defaultdict(list)
    for entity in world.entities:
        for record in entity.records.values():
            if record.relationship_since and entity.segment:
                years[entity.segment].append((world.plan.day_one - record.relationship_since).days)
    medians = {segment: median(days) / 365 for segment, days in years.items()}
    by_desk = {s.desk: s.name for s in SEGMENTS}
    assert medians[by_desk[NA_ENTERPRISE]] > 6 > 2 > medians[by_desk[LATAM_DESK]]


def test_targets_follow_an_s_curve_and_segment_rows_add_up_to_the_program():
    world = small_world()
    program = [t for t in world.targets if t.segment is None]
    assert len(program) == world.plan.horizon_months
    values = [t.cross_sell for t in program]
    assert values == sorted(values) and values[-1] > 5 * values[0]
    for row in program:
        parts = [t.cross_sell for t in world.targets if t.month == row.month and t.segment]
        assert sum(parts) == row.cross_sell


def test_supervision_patterns_are_in_the_pipeline():
    opps = small_world().opportunities
    opened = Counter((o.owner, o.life.created_at.date()) for o in opps if len(o.life.changes) == 1)
    assert max(opened.values()) >= BURST_MIN_OPENED
    assert any(o.life.stage is WON and len(o.customer_need) < THIN_NEED_CHARS for o in opps)
    assert any(o.life.reopen_count >= REOPEN_MIN for o in opps)
    stale_cut = TODAY.toordinal() - 30
    assert any(
        o.life.stage.outcome == "open" and o.life.updated_at.toordinal() < stale_cut for o in opps
    )
    assert all(o.life.updated_at.date() < TODAY for o in opps)


def test_an_opportunity_goes_to_the_account_of_the_record_it_is_about():
    split = {ACQUIRER: 1, ACQUIRED: 2}  # matching missed this pair
    assert account_of(split, direction="a_to_b", product_company=ACQUIRER) == 2
    assert account_of(split, direction="b_to_a", product_company=ACQUIRED) == 1
    assert account_of(split, direction="within", product_company=ACQUIRED) == 2
    assert account_of({NO_CRM: 7}, direction="a_to_b", product_company=ACQUIRER) == 7


def test_two_companies_joined_by_matching_keep_one_open_opportunity_per_product():
    def opp(entity, outcome):
        return SimpleNamespace(
            entity=entity,
            product="SEN-1",
            direction="a_to_b",
            life=SimpleNamespace(stage=SimpleNamespace(outcome=outcome)),
        )

    joined = {"E1": {ACQUIRED: 5}, "E2": {ACQUIRED: 5}}
    products = {"SEN-1": SimpleNamespace(company=SimpleNamespace(role=ACQUIRER))}
    opps = [opp("E1", "open"), opp("E2", "won"), opp("E2", "open")]

    assert opportunity_accounts(opps, joined, products) == [5, 5, None]


# The stored program.


FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHING


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def _status_on(day: date, since_a: date | None, since_b: date | None) -> str:
    a = since_a is not None and since_a <= day
    b = since_b is not None and since_b <= day
    if a and b:
        return UnifiedAccount.Status.BOTH
    if a or b:
        return UnifiedAccount.Status.ACQUIRER_ONLY if a else UnifiedAccount.Status.ACQUIRED_ONLY
    return UnifiedAccount.Status.PROSPECT


def stored_fingerprint() -> list:
    return [
        list(
            SourceAccount.objects.filter(origin=SourceAccount.Origin.CRM)
            .order_by("company__role", "crm_id")
            .values_list("name", "crm_id")
        ),
        # Records the program created for won deals are named by the account, not by its id.
        sorted(
            Holding.objects.filter(origin=Holding.Origin.WON_DEAL).values_list(
                "account__name", "account__origin", "product__code", "annual_revenue", "since"
            )
        ),
        list(
            Opportunity.objects.order_by(
                "account__name", "product__code", "created_at"
            ).values_list("account__name", "product__code", "amount", "stage__name", "created_at")
        ),
        list(
            Quota.objects.order_by("rep__user__username", "period_start").values_list(
                "rep__user__username", "cross_sell_amount"
            )
        ),
        list(
            MatchCandidate.objects.order_by("left__crm_id", "right__crm_id").values_list(
                "left__crm_id", "right__crm_id", "status", "score"
            )
        ),
        list(
            MatchDecision.objects.order_by("source__crm_id").values_list(
                "source__crm_id", "action", "method", "score", "to_unified__name"
            )
        ),
    ]


@pytest.mark.django_db
def test_seed_builds_a_consistent_program(fast_hashing, django_capture_on_commit_callbacks):
    heard = []
    program_data_changed.connect(
        lambda sender, merger_id, **kwargs: heard.append(merger_id),
        weak=False,
        dispatch_uid="seed-demo-test",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            output = seed()
    finally:
        program_data_changed.disconnect(dispatch_uid="seed-demo-test")
    merger = Merger.objects.get(name=DEMO_MERGER_NAME)
    assert "http://127.0.0.1:8000" in output
    # The seed derived everything itself: no refresh ran after it, nobody was told to recompute.
    assert heard == []
    assert merger.segments.count() == len(SEGMENTS)
    assert Rep.objects.filter(merger=merger).count() == len(SELLERS)

    sources = SourceAccount.objects.filter(company__merger=merger)
    assert not sources.filter(unified__isnull=True).exists()
    decisions = MatchDecision.objects.filter(merger=merger)
    # Matching decides on CRM records; the program's own records follow their won deals.
    assert decisions.count() == sources.filter(origin=SourceAccount.Origin.CRM).count()
    # Every won deal's sale is in the install base; each won-deal holding has its deal.
    won = Opportunity.objects.filter(merger=merger, outcome="won")
    holdings = Holding.objects.filter(account__unified__merger=merger)
    owned = set(holdings.values_list("account__unified_id", "product_id"))
    assert won.exists()
    assert set(won.values_list("account_id", "product_id")) <= owned
    won_deal_holdings = holdings.filter(origin=Holding.Origin.WON_DEAL)
    assert won.filter(holding__isnull=False).count() == won_deal_holdings.count() > 0
    assert not sources.filter(origin=SourceAccount.Origin.PROGRAM, holdings__isnull=True).exists()
    assert set(decisions.values_list("action", flat=True)) == {
        MatchDecision.Action.AUTO_MATCH,
        MatchDecision.Action.NEW_ACCOUNT,
    }
    engine_methods = {v for k, v in vars(Method).items() if not k.startswith("_")}
    assert set(decisions.values_list("method", flat=True)) <= engine_methods
    automatic = decisions.filter(action=MatchDecision.Action.AUTO_MATCH)
    assert not automatic.filter(score__isnull=True).exists()
    assert not decisions.filter(decided_by__isnull=False).exists()
    statuses = Counter(
        UnifiedAccount.objects.filter(merger=merger).values_list("status", flat=True)
    )
    assert set(statuses) == set(UnifiedAccount.Status.values)
    per_side = sources.filter(company__role=ACQUIRER, origin=SourceAccount.Origin.CRM).count()
    # About 30% shared customers on Day 1; the program's wins add more since.
    both_on_day_one = UnifiedAccount.objects.filter(
        merger=merger,
        acquirer_customer_since__lte=merger.day_one,
        acquired_customer_since__lte=merger.day_one,
    ).count()
    assert 0.25 <= both_on_day_one / per_side <= 0.35
    assert statuses[UnifiedAccount.Status.BOTH] > both_on_day_one
    assert UnifiedAccount.objects.filter(merger=merger, segment__isnull=False).exists()
    assert Holding.objects.filter(account__company__merger=merger).exists()
    assert ProductMapping.objects.filter(merger=merger).count() == len(PRODUCT_MAP)
    assert WhitespaceCell.objects.filter(merger=merger).exists()

    # Opportunities sit on the accounts matching made, on the record they are about.
    opportunities = Opportunity.objects.filter(merger=merger)
    assert opportunities.count() == small_world().plan.opportunities
    assert not opportunities.filter(account__sources__isnull=True).exists()
    # A deal's direction follows who the account was a customer of on Day 1: later wins
    # make it a customer of both today, and change no deal's direction.
    derived = opportunities.annotate(derived=direction_expression(merger=merger))
    assert not derived.exclude(direction=F("derived")).exists()

    won = Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.WON)
    assert won.exists()
    assert not won.filter(amount__lte=0).exists()
    assert not won.filter(closed_on__isnull=True).exists()
    splits = (
        CreditSplit.objects.filter(opportunity__merger=merger, kind=CreditSplit.Kind.SPLIT)
        .values("opportunity")
        .annotate(total=Sum("percent"))
    )
    assert splits and {row["total"] for row in splits} == {Decimal("100.00")}
    assert (
        not Opportunity.objects.filter(merger=merger)
        .exclude(pk__in=changes_of(Opportunity).filter(action="created").values("object_id"))
        .exists()
    )
    assert Quota.objects.filter(rep__merger=merger).count() == 12 * len(SELLERS)
    # Every seller is on one plan; the plans differ by desk: one pays nothing on
    # cross-sell, others a SPIF. The leaders' one plan names no reps.
    assert CompPlan.objects.filter(merger=merger, for_leaders=True).count() == 1
    assert not CompPlan.objects.filter(
        merger=merger, for_leaders=True, reps__isnull=False
    ).exists()
    assert not Rep.objects.filter(merger=merger, comp_plans__isnull=True).exists()
    assert CompPlan.reps.through.objects.filter(compplan__merger=merger).count() == len(SELLERS)
    rep_plans = CompPlan.objects.filter(merger=merger, for_leaders=False)
    shares = set(rep_plans.values_list("cross_sell_share_pct", flat=True))
    assert Decimal("0.00") in shares and len(shares) >= 3
    assert rep_plans.exclude(spif_kind=CompPlan.Spif.NONE).exists()
    assert SynergyTarget.objects.filter(merger=merger, segment=None).count() == 48
    assert ScoringPolicy.objects.filter(merger=merger).exists()
    assert ProgramReview.objects.filter(merger=merger).count() >= 2
    assert Team.objects.filter(merger=merger, parent__isnull=False).count() == 4


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker):
    """One small demo seeded for the whole class, rolled back after its last test.

    Each test runs in a savepoint inside this transaction: what one changes (a reset)
    is gone before the next one looks.
    """
    hashing = override_settings(PASSWORD_HASHERS=FAST_HASHING)
    with django_db_blocker.unblock(), hashing, transaction.atomic():
        seed()
        yield
        # Each test's own transaction is a savepoint inside this one.
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_once")
class TestTheSeededDemo:
    def test_matching_finds_the_generators_customers_from_the_records_alone(self):
        merger = Merger.objects.get(name=DEMO_MERGER_NAME)
        truth = truth_of(small_world().entities)
        entity_of = {
            pk: truth[(role, crm_id)]
            for pk, role, crm_id in SourceAccount.objects.filter(
                company__merger=merger, origin=SourceAccount.Origin.CRM
            ).values_list("pk", "company__role", "crm_id")
        }
        candidates = MatchCandidate.objects.filter(merger=merger)
        automatic = candidates.filter(status=MatchCandidate.Status.AUTO_MATCHED)
        true_pairs = [
            entity_of[left] == entity_of[right]
            for left, right in automatic.values_list("left_id", "right_id")
        ]
        shared = Counter(entity_of.values())
        known_to_both = sum(1 for count in shared.values() if count == 2)

        assert true_pairs and sum(true_pairs) / len(true_pairs) >= 0.98
        assert sum(true_pairs) / known_to_both >= 0.8
        assert candidates.filter(status=MatchCandidate.Status.PENDING).exists()
        per_company = Counter(
            SourceAccount.objects.filter(company__merger=merger).values_list(
                "unified_id", "company"
            )
        )
        assert max(per_company.values()) == 1

    def test_the_four_demo_logins_work_with_their_roles(self, client):
        merger = Merger.objects.get(name=DEMO_MERGER_NAME)
        expected = {
            "rep": Role.REP,
            "leader": Role.LEADER,
            "executive": Role.EXECUTIVE,
            "ops": Role.OPS,
        }
        for username, role in expected.items():
            user = authenticate(username=username, password=settings.DEMO_PASSWORD)
            assert user is not None, username
            assert role in roles_of(user)
            assert user.groups.filter(name=GROUP_NAMES[role]).exists()
            assert merger.members.filter(pk=user.pk).exists()
        assert get_user_model().objects.get(username="ops").is_staff
        rep = Rep.objects.get(merger=merger, user__username="rep")
        assert rep.team.leader.username == "leader"
        assert merger.accountable_leader is not None
        assert Role.LEADER in roles_of(merger.accountable_leader)
        assert client.login(username="rep", password=settings.DEMO_PASSWORD)

    def test_segments_differ_on_the_six_cs(self):
        merger = Merger.objects.get(name=DEMO_MERGER_NAME)
        month = TODAY.replace(day=1)
        composites = SegmentScore.objects.filter(merger=merger, month=month).values_list(
            "composite", flat=True
        )
        assert len(composites) == len(SEGMENTS)
        assert max(composites) - min(composites) >= Decimal("1.5")
        for c in SixC.values:
            scores = CScore.objects.filter(merger=merger, month=month, c=c)
            assert len(set(scores.values_list("score", flat=True))) > 1, c
        values = defaultdict(set)
        for code, value in IndicatorValue.objects.filter(merger=merger, month=month).values_list(
            "code", "value"
        ):
            values[code].add(value)
        same_everywhere = {code for code, seen in values.items() if len(seen) == 1}
        assert same_everywhere == {i.code for i in INDICATORS if i.program_wide}

    def test_second_run_leaves_the_program_alone_unless_told_to_reset(self):
        before = stored_fingerprint()
        assert "--reset" in seed()
        assert "not seeded" in seed("--if-empty")
        assert stored_fingerprint() == before
        assert Merger.objects.count() == 1

    def test_reset_rebuilds_the_same_program_from_the_same_seed(self):
        before = stored_fingerprint()
        old_ids = set(Opportunity.objects.values_list("pk", flat=True))
        seed("--reset")
        assert stored_fingerprint() == before
        assert not old_ids & set(Opportunity.objects.values_list("pk", flat=True))
        assert Merger.objects.count() == 1


def test_bad_reference_date_is_a_command_error():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--today=2025-07-02", stdout=StringIO())
