"""The large program's people: users and roles, teams, reps, certifications and quotas.

They are the demo's records (`devtools.demo.org`), stored by the demo's writers;
only how many there are and how they are drawn differ.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Merger
from core.access import Role
from devtools.bench.large_accounts import EMAIL_DOMAIN, Catalogue
from devtools.bench.sizes import BenchSize
from devtools.demo.org import (
    COMP_PLANS,
    FARMER,
    FIELD_PLAN,
    HUNTER,
    LEADERS_PLAN,
    SPECIALIST,
    Person,
    QuotaRecord,
    RepRecord,
    TeamDef,
)
from devtools.demo.plan import ACQUIRED, ACQUIRER, quota_months
from devtools.demo.write_org import Users, comp_plans_write, quotas_write, reps_write, teams_write
from devtools.world.rand import day_between, money, weighted
from tracker.pipeline_math import add_months

MOTIONS = ((FARMER, 0.6), (HUNTER, 0.3), (SPECIALIST, 0.1))


@dataclass(frozen=True)
class People:
    """Usernames of one large program's people; programs of other sizes have their own."""

    prefix: str

    @classmethod
    def of(cls, size: BenchSize) -> "People":
        return cls(f"bench{size.accounts}{'s' if size.skewed else ''}.")

    @property
    def ops(self) -> str:
        return f"{self.prefix}ops"

    @property
    def executive(self) -> str:
        return f"{self.prefix}executive"

    @property
    def cross_sell_leader(self) -> str:
        return f"{self.prefix}crosssell"

    def rep(self, index: int) -> str:
        return f"{self.prefix}rep.{index + 1:04d}"

    def leader(self, index: int) -> str:
        """Leaders of the regions come first; the others lead a team within one."""
        return f"{self.prefix}leader.{index + 1:02d}"


@dataclass(frozen=True)
class Org:
    rep_ids: list[int]
    rep_user_ids: list[int]


def people_build(size: BenchSize) -> list[Person]:
    """Users of every role; the cross-sell leader is the program's executive sponsor too."""
    names = People.of(size)
    roles = [
        (names.ops, (Role.OPS,)),
        (names.executive, (Role.EXECUTIVE,)),
        (names.cross_sell_leader, (Role.LEADER, Role.EXECUTIVE)),
        *((names.leader(i), (Role.LEADER,)) for i in range(size.teams)),
        *((names.rep(i), (Role.REP,)) for i in range(size.reps)),
    ]
    return [
        Person(name, "Bench", name.rsplit(".", 1)[-1], ACQUIRER, held, email_domain=EMAIL_DOMAIN)
        for name, held in roles
    ]


def teams_build(size: BenchSize) -> list[TeamDef]:
    """A tenth of the teams are regions; the others report to one of them."""
    regions = max(1, size.teams // 10)
    leaders = People.of(size)
    teams = []
    for index in range(size.teams):
        region = f"Region {index % regions + 1}"
        name, parent = (
            (region, None) if index < regions else (f"{region} team {index // regions}", region)
        )
        teams.append(TeamDef(name, leaders.leader(index), parent, region))
    return teams


def reps_build(
    *,
    rngs: tuple[random.Random, random.Random],
    size: BenchSize,
    teams: list[TeamDef],
    products: dict[str, list[str]],
    day_one: date,
) -> list[RepRecord]:
    """Reps drawn from `rngs[0]`; their training from `rngs[1]`: most know their own
    company's products (`products`: codes by company), few the other's."""
    rng, training = rngs
    names = People.of(size)
    companies = [ACQUIRER if rng.random() < 0.6 else ACQUIRED for _ in range(size.reps)]
    reps = []
    for i, company in enumerate(companies):
        motion = weighted(rng, MOTIONS)
        start = day_between(rng, date(2012, 1, 1), day_one + timedelta(days=60))
        deal = money(rng, 60000 if company == ACQUIRER else 90000, 0.25, step=1000)
        rep = RepRecord(names.rep(i), company, teams[i % len(teams)].name, motion, start, deal)
        for owner, codes in products.items():
            share = 0.5 if owner == company else 0.1
            for code in codes:
                if training.random() < share:
                    on = day_between(training, date(2018, 1, 1), day_one)
                    rep.certifications.append((code, on))
        reps.append(rep)
    return reps


def quotas_build(
    *, rng: random.Random, reps: list[RepRecord], day_one: date, today: date
) -> list[QuotaRecord]:
    months = quota_months(day_one=day_one, today=today)
    quotas = []
    for rep in reps:
        core = money(rng, 80000, 0.3, step=1000)
        cross = money(rng, 20000, 0.4, step=500)
        for i, month in enumerate(months):
            ramp = Decimal(str(round(0.8 + 0.4 * i / (len(months) - 1), 2)))
            quotas.append(
                QuotaRecord(rep.username, month, core, (cross * ramp).quantize(Decimal("0.01")))
            )
    return quotas


def org_write(
    *,
    rngs: tuple[random.Random, random.Random, random.Random],
    merger: Merger,
    size: BenchSize,
    users: Users,
    catalogue: Catalogue,
    day_one: date,
    today: date,
) -> Org:
    """Teams, reps with their certifications, and quotas; `rngs` draw reps, training, quotas."""
    teams = teams_build(size)
    companies = catalogue.companies
    products = {p.code: p for rows in catalogue.products.values() for p in rows}
    codes = {role: [p.code for p in catalogue.products[c.pk]] for role, c in companies.items()}
    reps = reps_build(rngs=rngs[:2], size=size, teams=teams, products=codes, day_one=day_one)
    written = reps_write(
        merger=merger,
        users=users,
        teams=teams_write(merger=merger, users=users, teams=teams),
        companies=companies,
        products=products,
        reps=reps,
    )
    quotas = quotas_build(rng=rngs[2], reps=reps, day_one=day_one, today=today)
    quotas_write(reps=written, quotas=quotas, currency=merger.reporting_currency)
    # The demo's field and leaders' plans, over two years from Day 1.
    comp_plans_write(
        merger=merger,
        plans=[p for p in COMP_PLANS if p.name in (FIELD_PLAN, LEADERS_PLAN)],
        start=day_one,
        end=add_months(day_one, 24) - timedelta(days=1),
        members=[(r.plan, written[r.username].pk) for r in reps],
    )
    return Org([written[r.username].pk for r in reps], [users[r.username].pk for r in reps])
