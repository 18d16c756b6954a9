"""The sales organisation: people, teams, reps, certifications, quotas and pay."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from core.access import Role
from devtools.demo.catalogue import COMPANIES, PRODUCTS
from devtools.demo.plan import (
    ACQUIRED,
    ACQUIRER,
    APAC_DESK,
    EMEA_MID_MARKET,
    EMEA_POWER,
    EMEA_PROCESS,
    LATAM_DESK,
    NA_ENTERPRISE,
    NA_FOOD,
    NA_MID_MARKET,
    SEGMENTS,
    DemoPlan,
    other_side,
)
from devtools.world.rand import day_between, money
from devtools.world.vocabulary import APAC, EMEA, LATAM, NORTH_AMERICA
from tracker.models import Rep

FARMER, HUNTER, SPECIALIST = Rep.Motion.FARMER, Rep.Motion.HUNTER, Rep.Motion.SPECIALIST

PROGRAM_TEAM = "Cross-sell program"
NA_TEAM = "North America"
EMEA_TEAM = "EMEA"
APAC_LATAM_TEAM = "APAC and LATAM"
SPECIALIST_TEAM = "Predictive-maintenance specialists"

REGION_TEAMS = {
    NORTH_AMERICA: NA_TEAM,
    EMEA: EMEA_TEAM,
    APAC: APAC_LATAM_TEAM,
    LATAM: APAC_LATAM_TEAM,
}


@dataclass(frozen=True)
class TeamDef:
    name: str
    leader: str
    parent: str | None
    region: str


# The comp plans sellers are on (leaders have one plan of their own).
FIELD_PLAN = "Field sales plan with cross-sell SPIF"
MID_MARKET_PLAN = "North America mid-market plan"
SPECIALIST_PLAN = "Specialist overlay plan"
PRE_MERGER_PLAN = "LATAM plan on pre-merger terms"
LEADERS_PLAN = "Sales leadership plan"


@dataclass(frozen=True)
class PlanDef:
    name: str
    target_variable_pay: int
    cross_sell_share_pct: str
    spif_kind: str = "none"  # tracker.models.CompPlan.Spif
    spif_amount: str = "0"
    spif_percent: str = "0"
    president_club_requires_cross_sell: bool = False
    recognition: str = ""
    for_leaders: bool = False


COMP_PLANS: tuple[PlanDef, ...] = (
    PlanDef(
        FIELD_PLAN,
        60000,
        "20",
        spif_kind="percent",
        spif_percent="3",
        president_club_requires_cross_sell=True,
        recognition="Cross-sell win of the month, announced at the all-hands",
    ),
    # A line in the plan and a kicker too small to move attainment: "nice to have".
    PlanDef(MID_MARKET_PLAN, 48000, "2", spif_kind="percent", spif_percent="0.25"),
    PlanDef(
        SPECIALIST_PLAN,
        70000,
        "60",
        spif_kind="flat",
        spif_amount="1500",
        president_club_requires_cross_sell=True,
    ),
    # LATAM's sellers kept the plans they had before Day 1: nothing for cross-sell.
    PlanDef(PRE_MERGER_PLAN, 36000, "0"),
    # One plan for every leader (a leaders' plan names no reps): paid on cross-sell
    # at half the field plan's share, LATAM's leader included, whose sellers are not.
    PlanDef(LEADERS_PLAN, 90000, "10", for_leaders=True),
)


@dataclass(frozen=True)
class DeskDef:
    """Sellers of one team who cover the same accounts on the same terms.

    The Cs that depend on people (Capacity, Capability, Compensation) differ between
    segments because the desks that work them differ: which plan pays them, how much
    of their quota is cross-sell, how many were trained on the other company's products.
    """

    name: str
    team: str
    plan: str
    cross_sell_quota_pct: float  # cross-sell's share of a carrier's total quota
    carriers: float  # share of the desk's sellers who carry a cross-sell quota at all
    cross_trained: float  # chance of a certification on each of the other company's products
    trained_own: float  # the same on each of their own company's products
    core_deal: int  # median size of the desk's core deals


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    company: str
    roles: tuple[Role, ...]
    team: str | None = None  # the team a seller belongs to
    motion: str | None = None  # None: not a seller, so no Rep record
    desk: str | None = None  # the accounts a seller covers, and on which terms
    is_staff: bool = False
    email_domain: str = ""  # where their mail goes, if not to their company's domain

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        domain = self.email_domain or next(
            c.email_domain for c in COMPANIES if c.role == self.company
        )
        return f"{self.first_name.lower()}.{self.last_name.lower()}@{domain}"


def _rep(first: str, last: str, company: str, desk: str, motion: str) -> Person:
    username = f"rep.{first.lower()}.{last.lower()}"
    return Person(username, first, last, company, (Role.REP,), DESKS[desk].team, motion, desk)


def _leader(first: str, last: str, company: str) -> Person:
    return Person(f"leader.{first.lower()}.{last.lower()}", first, last, company, (Role.LEADER,))


SPECIALIST_DESK = SPECIALIST_TEAM
# Specialists work enterprise accounts in North America and EMEA; APAC, LATAM and
# the mid-market sell Predikt's software without them.
SPECIALIST_REGIONS = (NORTH_AMERICA, EMEA)
SPECIALIST_SIZE_BAND = "Enterprise"

DESKS: dict[str, DeskDef] = {
    d.name: d
    for d in (
        DeskDef(NA_ENTERPRISE, NA_TEAM, FIELD_PLAN, 0.20, 1.0, 0.55, 0.8, 110000),
        DeskDef(NA_MID_MARKET, NA_TEAM, MID_MARKET_PLAN, 0.15, 1.0, 0.5, 0.8, 45000),
        # Never took the other company's training; one seller in three has a cross-sell number.
        DeskDef(NA_FOOD, NA_TEAM, MID_MARKET_PLAN, 0.05, 0.34, 0.15, 0.6, 40000),
        DeskDef(EMEA_PROCESS, EMEA_TEAM, FIELD_PLAN, 0.20, 1.0, 0.6, 0.85, 100000),
        DeskDef(EMEA_MID_MARKET, EMEA_TEAM, FIELD_PLAN, 0.18, 1.0, 0.5, 0.8, 50000),
        # The grid-monitoring launch takes the desk's whole quota: no cross-sell number.
        DeskDef(EMEA_POWER, EMEA_TEAM, FIELD_PLAN, 0.0, 0.0, 0.45, 0.8, 120000),
        # Former distributor staff: few certifications of any kind.
        DeskDef(APAC_DESK, APAC_LATAM_TEAM, FIELD_PLAN, 0.18, 1.0, 0.05, 0.45, 90000),
        # Pre-merger terms: no cross-sell quota, no cross-sell pay, hardly any training.
        DeskDef(LATAM_DESK, APAC_LATAM_TEAM, PRE_MERGER_PLAN, 0.0, 0.0, 0.05, 0.4, 30000),
        DeskDef(SPECIALIST_DESK, SPECIALIST_TEAM, SPECIALIST_PLAN, 0.67, 1.0, 0.6, 0.9, 40000),
    )
}
SEGMENT_DESK = {s.name: s.desk for s in SEGMENTS}

CROSS_SELL_LEADER = Person(
    "leader.elena.ward", "Elena", "Ward", ACQUIRER, (Role.LEADER, Role.EXECUTIVE)
)
LEADER = Person("leader", "Marcus", "Reid", ACQUIRER, (Role.LEADER,))
EXECUTIVE = Person("executive", "Helen", "Park", ACQUIRER, (Role.EXECUTIVE,))
OPS = Person("ops", "Priya", "Nair", ACQUIRER, (Role.OPS,), is_staff=True)
REP = Person("rep", "Sam", "Carter", ACQUIRER, (Role.REP,), NA_TEAM, FARMER, NA_MID_MARKET)
EMEA_LEADER = _leader("Katrin", "Vogel", ACQUIRER)
APAC_LEADER = _leader("Wei", "Chen", ACQUIRER)
SPECIALIST_LEADER = _leader("Nina", "Hoffmann", ACQUIRED)

# The rep who opens many opportunities in one day and never touches them again,
# and the one whose wins have no stated customer need: supervision must see both.
BURST_REP = _rep("Kevin", "Dorsey", ACQUIRER, NA_FOOD, HUNTER)
THIN_NEED_REP = _rep("Lukas", "Brandt", ACQUIRER, EMEA_MID_MARKET, FARMER)
REOPEN_REP = _rep("Ethan", "Walsh", ACQUIRER, LATAM_DESK, HUNTER)

SELLERS: tuple[Person, ...] = (
    REP,
    _rep("Olivia", "Turner", ACQUIRER, NA_ENTERPRISE, FARMER),
    _rep("Daniel", "Brooks", ACQUIRER, NA_ENTERPRISE, FARMER),
    _rep("Grace", "Liu", ACQUIRER, NA_FOOD, FARMER),
    BURST_REP,
    _rep("Rachel", "Nguyen", ACQUIRER, NA_ENTERPRISE, HUNTER),
    _rep("Jason", "Miller", ACQUIRED, NA_ENTERPRISE, FARMER),
    _rep("Emily", "Foster", ACQUIRED, NA_MID_MARKET, FARMER),
    _rep("Megan", "Hughes", ACQUIRED, NA_FOOD, FARMER),
    _rep("Carlos", "Mendez", ACQUIRED, NA_MID_MARKET, HUNTER),
    _rep("Anna", "Schmidt", ACQUIRER, EMEA_PROCESS, FARMER),
    THIN_NEED_REP,
    _rep("Sophie", "Laurent", ACQUIRER, EMEA_MID_MARKET, FARMER),
    _rep("Marco", "Bianchi", ACQUIRER, EMEA_POWER, FARMER),
    _rep("Jan", "Kowalski", ACQUIRER, EMEA_PROCESS, HUNTER),
    _rep("Ingrid", "Larsen", ACQUIRED, EMEA_PROCESS, FARMER),
    _rep("Pieter", "Jansen", ACQUIRED, EMEA_MID_MARKET, FARMER),
    _rep("Elif", "Demir", ACQUIRED, EMEA_POWER, FARMER),
    _rep("Tom", "Fletcher", ACQUIRED, EMEA_MID_MARKET, HUNTER),
    _rep("Priyanka", "Rao", ACQUIRER, APAC_DESK, FARMER),
    _rep("Kenji", "Watanabe", ACQUIRER, APAC_DESK, FARMER),
    _rep("Lucia", "Alvarez", ACQUIRER, LATAM_DESK, FARMER),
    REOPEN_REP,
    _rep("Mei", "Tan", ACQUIRED, APAC_DESK, FARMER),
    _rep("Rafael", "Souza", ACQUIRED, LATAM_DESK, FARMER),
    _rep("Hannah", "Weber", ACQUIRED, SPECIALIST_DESK, SPECIALIST),
    _rep("Omar", "Haddad", ACQUIRED, SPECIALIST_DESK, SPECIALIST),
    _rep("Julia", "Novak", ACQUIRED, SPECIALIST_DESK, SPECIALIST),
    _rep("Ryan", "Cooper", ACQUIRED, SPECIALIST_DESK, SPECIALIST),
    _rep("Aisha", "Bello", ACQUIRED, SPECIALIST_DESK, SPECIALIST),
    _rep("Felix", "Andersson", ACQUIRER, SPECIALIST_DESK, SPECIALIST),
)

PEOPLE: tuple[Person, ...] = (
    CROSS_SELL_LEADER,
    LEADER,
    EXECUTIVE,
    OPS,
    EMEA_LEADER,
    APAC_LEADER,
    SPECIALIST_LEADER,
    *SELLERS,
)

TEAMS: tuple[TeamDef, ...] = (
    TeamDef(PROGRAM_TEAM, CROSS_SELL_LEADER.username, None, ""),
    TeamDef(NA_TEAM, LEADER.username, PROGRAM_TEAM, NORTH_AMERICA),
    TeamDef(EMEA_TEAM, EMEA_LEADER.username, PROGRAM_TEAM, EMEA),
    TeamDef(APAC_LATAM_TEAM, APAC_LEADER.username, PROGRAM_TEAM, f"{APAC}, {LATAM}"),
    TeamDef(SPECIALIST_TEAM, SPECIALIST_LEADER.username, PROGRAM_TEAM, ""),
)
TEAM_LEADER = {t.name: t.leader for t in TEAMS}

# Demo usernames, so that --reset knows whom it may delete.
DEMO_USERNAMES: tuple[str, ...] = tuple(p.username for p in PEOPLE)


@dataclass
class RepRecord:
    username: str
    company: str
    team: str
    motion: str
    start_date: date
    typical_core_deal: Decimal
    plan: str = FIELD_PLAN
    cross_sell_quota_pct: float = 0.0  # 0: carries no cross-sell quota
    certifications: list[tuple[str, date]] = field(default_factory=list)


@dataclass
class QuotaRecord:
    username: str
    period_start: date
    core_amount: Decimal
    cross_sell_amount: Decimal


# Predikt's software deals run larger than Sensa's hardware deals.
CORE_DEAL_BY_COMPANY = {ACQUIRER: 0.85, ACQUIRED: 1.25}


def reps_build(rng: random.Random, plan: DemoPlan) -> list[RepRecord]:
    reps = []
    own = {role: [p for p in PRODUCTS if p.company == role] for role in (ACQUIRER, ACQUIRED)}
    carriers = _quota_carriers()
    for person in SELLERS:
        desk = DESKS[person.desk or ""]
        start = day_between(rng, date(2012, 1, 1), plan.day_one - timedelta(days=60))
        if rng.random() < 0.15:
            start = day_between(rng, plan.day_one, plan.day_one + timedelta(days=90))
        median = desk.core_deal * CORE_DEAL_BY_COMPANY[person.company]
        rep = RepRecord(
            person.username,
            person.company,
            person.team or "",
            person.motion or FARMER,
            start,
            money(rng, median, 0.25, step=1000),
            desk.plan,
            desk.cross_sell_quota_pct if person.username in carriers else 0.0,
        )
        other = other_side(person.company)
        for product in own[person.company]:
            if rng.random() < desk.trained_own:
                rep.certifications.append((product.code, day_between(rng, start, plan.day_one)))
        # Cross-training on the other company's products is the Capability gap: it
        # differs by desk (DESKS).
        for product in own[other]:
            if rng.random() < desk.cross_trained:
                on = day_between(rng, max(start, plan.day_one), plan.last_day)
                rep.certifications.append((product.code, on))
        reps.append(rep)
    return reps


def _quota_carriers() -> set[str]:
    """The sellers who carry a cross-sell quota, as many as their desk's share says.

    Account managers first: a hunter's number is new logos, so hunters are the
    first to go without a cross-sell quota.
    """
    carriers = set()
    for desk in DESKS.values():
        on_desk = [p for p in SELLERS if p.desk == desk.name]
        members = [p.username for p in sorted(on_desk, key=lambda p: p.motion == HUNTER)]
        carriers.update(members[: round(len(members) * desk.carriers)])
    return carriers
