"""The sales organisation: people, teams, reps, certifications, quotas and pay."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from accounts.access import Role
from scorecards.demo.catalogue import COMPANIES, PRODUCTS
from scorecards.demo.plan import ACQUIRED, ACQUIRER, DemoPlan
from scorecards.demo.rand import day_between, money
from scorecards.demo.vocabulary import APAC, EMEA, LATAM, NORTH_AMERICA

FARMER = "farmer"
HUNTER = "hunter"
SPECIALIST = "specialist"

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


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    company: str
    roles: tuple[Role, ...]
    team: str | None = None  # the team a seller belongs to
    motion: str | None = None  # None: not a seller, so no Rep record
    is_staff: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        domain = next(c.email_domain for c in COMPANIES if c.role == self.company)
        return f"{self.first_name.lower()}.{self.last_name.lower()}@{domain}"


def _rep(first: str, last: str, company: str, team: str, motion: str) -> Person:
    username = f"rep.{first.lower()}.{last.lower()}"
    return Person(username, first, last, company, (Role.REP,), team, motion)


def _leader(first: str, last: str, company: str) -> Person:
    return Person(f"leader.{first.lower()}.{last.lower()}", first, last, company, (Role.LEADER,))


CROSS_SELL_LEADER = Person(
    "leader.elena.ward", "Elena", "Ward", ACQUIRER, (Role.LEADER, Role.EXECUTIVE)
)
LEADER = Person("leader", "Marcus", "Reid", ACQUIRER, (Role.LEADER,))
EXECUTIVE = Person("executive", "Helen", "Park", ACQUIRER, (Role.EXECUTIVE,))
OPS = Person("ops", "Priya", "Nair", ACQUIRER, (Role.OPS,), is_staff=True)
REP = Person("rep", "Sam", "Carter", ACQUIRER, (Role.REP,), NA_TEAM, FARMER)
EMEA_LEADER = _leader("Katrin", "Vogel", ACQUIRER)
APAC_LEADER = _leader("Wei", "Chen", ACQUIRER)
SPECIALIST_LEADER = _leader("Nina", "Hoffmann", ACQUIRED)

# The rep who opens many opportunities in one day and never touches them again,
# and the one whose wins have no stated customer need: supervision must see both.
BURST_REP = _rep("Kevin", "Dorsey", ACQUIRER, NA_TEAM, HUNTER)
THIN_NEED_REP = _rep("Lukas", "Brandt", ACQUIRER, EMEA_TEAM, FARMER)
REOPEN_REP = _rep("Ethan", "Walsh", ACQUIRER, APAC_LATAM_TEAM, HUNTER)

SELLERS: tuple[Person, ...] = (
    REP,
    _rep("Olivia", "Turner", ACQUIRER, NA_TEAM, FARMER),
    _rep("Daniel", "Brooks", ACQUIRER, NA_TEAM, FARMER),
    _rep("Grace", "Liu", ACQUIRER, NA_TEAM, FARMER),
    BURST_REP,
    _rep("Rachel", "Nguyen", ACQUIRER, NA_TEAM, HUNTER),
    _rep("Jason", "Miller", ACQUIRED, NA_TEAM, FARMER),
    _rep("Emily", "Foster", ACQUIRED, NA_TEAM, FARMER),
    _rep("Carlos", "Mendez", ACQUIRED, NA_TEAM, HUNTER),
    _rep("Anna", "Schmidt", ACQUIRER, EMEA_TEAM, FARMER),
    THIN_NEED_REP,
    _rep("Sophie", "Laurent", ACQUIRER, EMEA_TEAM, FARMER),
    _rep("Marco", "Bianchi", ACQUIRER, EMEA_TEAM, FARMER),
    _rep("Jan", "Kowalski", ACQUIRER, EMEA_TEAM, HUNTER),
    _rep("Ingrid", "Larsen", ACQUIRED, EMEA_TEAM, FARMER),
    _rep("Pieter", "Jansen", ACQUIRED, EMEA_TEAM, FARMER),
    _rep("Elif", "Demir", ACQUIRED, EMEA_TEAM, FARMER),
    _rep("Tom", "Fletcher", ACQUIRED, EMEA_TEAM, HUNTER),
    _rep("Priyanka", "Rao", ACQUIRER, APAC_LATAM_TEAM, FARMER),
    _rep("Kenji", "Watanabe", ACQUIRER, APAC_LATAM_TEAM, FARMER),
    _rep("Lucia", "Alvarez", ACQUIRER, APAC_LATAM_TEAM, FARMER),
    REOPEN_REP,
    _rep("Mei", "Tan", ACQUIRED, APAC_LATAM_TEAM, FARMER),
    _rep("Rafael", "Souza", ACQUIRED, APAC_LATAM_TEAM, FARMER),
    _rep("Hannah", "Weber", ACQUIRED, SPECIALIST_TEAM, SPECIALIST),
    _rep("Omar", "Haddad", ACQUIRED, SPECIALIST_TEAM, SPECIALIST),
    _rep("Julia", "Novak", ACQUIRED, SPECIALIST_TEAM, SPECIALIST),
    _rep("Ryan", "Cooper", ACQUIRED, SPECIALIST_TEAM, SPECIALIST),
    _rep("Aisha", "Bello", ACQUIRED, SPECIALIST_TEAM, SPECIALIST),
    _rep("Felix", "Andersson", ACQUIRER, SPECIALIST_TEAM, SPECIALIST),
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
    certifications: list[tuple[str, date]] = field(default_factory=list)


@dataclass
class QuotaRecord:
    username: str
    period_start: date
    core_amount: Decimal
    cross_sell_amount: Decimal


def reps_build(rng: random.Random, plan: DemoPlan) -> list[RepRecord]:
    reps = []
    own = {role: [p for p in PRODUCTS if p.company == role] for role in (ACQUIRER, ACQUIRED)}
    for person in SELLERS:
        start = day_between(rng, date(2012, 1, 1), plan.day_one - timedelta(days=60))
        if rng.random() < 0.15:
            start = day_between(rng, plan.day_one, plan.day_one + timedelta(days=90))
        median = 60000 if person.company == ACQUIRER else 90000
        rep = RepRecord(
            person.username,
            person.company,
            person.team or "",
            person.motion or FARMER,
            start,
            money(rng, median, 0.25, step=1000),
            [],
        )
        other = ACQUIRED if person.company == ACQUIRER else ACQUIRER
        certified_own = 0.85 if person.motion == SPECIALIST else 0.6
        # Cross-training on the other company's products is the Capability gap:
        # EMEA invested in it, the other regions less so.
        certified_other = {EMEA_TEAM: 0.35, SPECIALIST_TEAM: 0.3}.get(rep.team, 0.12)
        for product in own[person.company]:
            if rng.random() < certified_own:
                rep.certifications.append((product.code, day_between(rng, start, plan.day_one)))
        for product in own[other]:
            if rng.random() < certified_other:
                on = day_between(rng, max(start, plan.day_one), plan.last_day)
                rep.certifications.append((product.code, on))
        reps.append(rep)
    return reps
