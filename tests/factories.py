"""factory_boy factories for every model that tests build."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import (
    Direction,
    Holding,
    LegacyCompany,
    Merger,
    Product,
    ProductFamily,
    ProductMapping,
    ProgramMembership,
    Segment,
    SourceAccount,
    UnifiedAccount,
)
from core.access import GROUP_NAMES, Role
from tracker.models import Opportunity, Quota, Rep, Stage, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create: bool, role: Role | None, **kwargs) -> None:
        if create and role:
            self.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        if create:
            self.save()


class MergerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merger

    name = factory.Sequence(lambda n: f"Program {n}")
    day_one = dt.date(2026, 1, 1)
    reporting_currency = "USD"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramMembership

    merger = factory.SubFactory(MergerFactory)
    user = factory.SubFactory(UserFactory)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegacyCompany

    merger = factory.SubFactory(MergerFactory)
    name = factory.Sequence(lambda n: f"Company {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    role = LegacyCompany.Role.ACQUIRED


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    merger = factory.SubFactory(MergerFactory)
    name = factory.Sequence(lambda n: f"Segment {n}")


class UnifiedAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnifiedAccount

    merger = factory.SubFactory(MergerFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    segment = None
    # A segment a test gives an account is one put there by hand.
    segment_source = factory.LazyAttribute(
        lambda o: UnifiedAccount.SegmentSource.MANUAL if o.segment else ""
    )


class SourceAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceAccount

    company = factory.SubFactory(CompanyFactory)
    unified = None
    crm_id = factory.Sequence(lambda n: f"CRM{n:06d}")
    name = factory.Sequence(lambda n: f"Customer {n}")


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductFamily

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Family {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    list_price = Decimal("10000.00")
    typical_deal_size = Decimal("25000.00")


class HoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holding

    account = factory.SubFactory(SourceAccountFactory)
    product = factory.SubFactory(ProductFactory)
    annual_revenue = Decimal("12000.00")


class ProductMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductMapping

    merger = factory.SubFactory(MergerFactory)
    source = factory.SubFactory(ProductFactory)
    target = factory.SubFactory(ProductFactory)
    relation = ProductMapping.Relation.COMPLEMENTARY
    reason = "Completes the solution"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    merger = factory.SubFactory(MergerFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class RepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rep

    merger = factory.SubFactory(MergerFactory)
    user = factory.SubFactory(UserFactory, role=Role.REP)
    team = factory.SubFactory(TeamFactory, merger=factory.SelfAttribute("..merger"))
    company = factory.SubFactory(CompanyFactory, merger=factory.SelfAttribute("..merger"))
    start_date = dt.date(2020, 1, 1)
    typical_core_deal = Decimal("50000.00")


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage
        django_get_or_create = ("merger", "name")

    merger = factory.SubFactory(MergerFactory)
    name = "Identified"
    order = factory.Sequence(lambda n: n + 1)
    probability = 10
    forecast_category = Stage.Forecast.PIPELINE


# The stages tests use, as a program would configure them.
STANDARD_STAGES: dict[str, dict] = {
    "identified": {"name": "Identified", "order": 1, "probability": 10},
    "proposal": {
        "name": "Proposal",
        "order": 2,
        "probability": 60,
        "forecast_category": Stage.Forecast.BEST_CASE,
    },
    "commit": {
        "name": "Negotiation",
        "order": 3,
        "probability": 75,
        "forecast_category": Stage.Forecast.COMMIT,
    },
    "won": {
        "name": "Closed won",
        "order": 8,
        "probability": 100,
        "outcome": Stage.Outcome.WON,
        "forecast_category": Stage.Forecast.CLOSED,
    },
    "lost": {
        "name": "Closed lost",
        "order": 9,
        "probability": 0,
        "outcome": Stage.Outcome.LOST,
        "forecast_category": Stage.Forecast.CLOSED,
    },
}


def stages_of(merger, *keys: str) -> dict[str, Stage]:
    """The standard stages named by `keys` (every one by default) for the program."""
    return {
        key: StageFactory(merger=merger, **STANDARD_STAGES[key]) for key in keys or STANDARD_STAGES
    }


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    merger = factory.SubFactory(MergerFactory)
    account = factory.SubFactory(UnifiedAccountFactory, merger=factory.SelfAttribute("..merger"))
    product = factory.SubFactory(ProductFactory)
    owner = factory.SubFactory(RepFactory, merger=factory.SelfAttribute("..merger"))
    stage = factory.SubFactory(StageFactory, merger=factory.SelfAttribute("..merger"))
    probability = factory.SelfAttribute("stage.probability")
    direction = Direction.A_TO_B
    amount = Decimal("20000.00")
    expected_close = dt.date(2026, 6, 30)
    customer_need = "Needs condition monitoring on the new line"


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    rep = factory.SubFactory(RepFactory)
    period_start = dt.date(2026, 1, 1)
    core_amount = Decimal("100000.00")
    cross_sell_amount = Decimal("20000.00")
