"""The large program's people: users and roles, teams, reps, quotas and comp plans."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import LegacyCompany, Merger, ProgramMembership
from core.access import GROUP_NAMES, Role
from devtools.bench.rows import IdRange, rows_write
from devtools.bench.sizes import BenchSize
from devtools.world.rand import day_between, money
from tracker.models import Certification, Quota, Rep, Team
from tracker.pipeline_math import add_months

MOTIONS = ((Rep.Motion.FARMER, 0.6), (Rep.Motion.HUNTER, 0.3), (Rep.Motion.SPECIALIST, 0.1))
QUOTA_MONTHS = 12


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
    user_ids: dict[str, int]
    team_ids: list[int]
    rep_ids: list[int]
    rep_user_ids: list[int]
    rep_companies: list[int]


def users_write(*, size: BenchSize) -> dict[str, int]:
    """Users of every role; none can sign in with a password (pages use force_login)."""
    names = People.of(size)
    people = [
        (names.ops, Role.OPS),
        (names.executive, Role.EXECUTIVE),
        (names.cross_sell_leader, Role.LEADER),
    ]
    people += [(names.leader(i), Role.LEADER) for i in range(size.teams)]
    people += [(names.rep(i), Role.REP) for i in range(size.reps)]
    user_model = get_user_model()
    ids = IdRange(user_model).take(len(people))
    unusable = make_password(None)
    rows_write(
        model=user_model,
        names=("id", "username", "first_name", "last_name", "email", "password", "is_active"),
        rows=(
            (pk, name, "Bench", name.rsplit(".", 1)[-1], f"{name}@bench.example", unusable, True)
            for pk, (name, _role) in zip(ids, people, strict=True)
        ),
    )
    groups = {role: Group.objects.get_or_create(name=GROUP_NAMES[role])[0].pk for role in Role}
    through = user_model.groups.through
    memberships = [(pk, groups[role]) for pk, (_name, role) in zip(ids, people, strict=True)]
    # The cross-sell leader is the program's executive sponsor as well.
    memberships.append((ids[2], groups[Role.EXECUTIVE]))
    through.objects.bulk_create(
        [through(user_id=user_id, group_id=group_id) for user_id, group_id in memberships],
        batch_size=5000,
    )
    return {name: pk for pk, (name, _role) in zip(ids, people, strict=True)}


def memberships_write(*, merger: Merger, user_ids: dict[str, int]) -> None:
    ProgramMembership.objects.bulk_create(
        [ProgramMembership(merger=merger, user_id=pk) for pk in user_ids.values()],
        batch_size=5000,
    )


def teams_write(*, merger: Merger, size: BenchSize, user_ids: dict[str, int]) -> list[int]:
    """A tenth of the teams are regions; the others report to one of them."""
    regions = max(1, size.teams // 10)
    names = People.of(size)
    ids = list(IdRange(Team).take(size.teams))
    rows = []
    for index, pk in enumerate(ids):
        parent = None if index < regions else ids[index % regions]
        region = f"Region {index % regions + 1}"
        name = region if index < regions else f"{region} team {index // regions}"
        rows.append((pk, merger.pk, name, user_ids[names.leader(index)], parent, region))
    columns = ("id", "merger_id", "name", "leader_id", "parent_id", "region")
    rows_write(model=Team, names=columns, rows=rows)
    return ids


def reps_write(
    *,
    rng: random.Random,
    merger: Merger,
    size: BenchSize,
    user_ids: dict[str, int],
    team_ids: list[int],
    companies: dict[str, LegacyCompany],
    day_one: date,
) -> Org:
    ids = list(IdRange(Rep).take(size.reps))
    names = People.of(size)
    rep_user_ids = [user_ids[names.rep(i)] for i in range(size.reps)]
    acquirer, acquired = companies["acquirer"].pk, companies["acquired"].pk
    company_ids = [acquirer if rng.random() < 0.6 else acquired for _ in ids]
    motions = [m for m, _w in MOTIONS]
    weights = [w for _m, w in MOTIONS]
    rows_write(
        model=Rep,
        names=(
            "id",
            "merger_id",
            "user_id",
            "team_id",
            "company_id",
            "motion",
            "start_date",
            "typical_core_deal",
        ),
        rows=(
            (
                pk,
                merger.pk,
                rep_user_ids[i],
                team_ids[i % len(team_ids)],
                company_ids[i],
                rng.choices(motions, weights)[0],
                day_between(rng, date(2012, 1, 1), day_one + timedelta(days=60)),
                money(rng, 60000 if company_ids[i] == acquirer else 90000, 0.25, step=1000),
            )
            for i, pk in enumerate(ids)
        ),
    )
    return Org(user_ids, team_ids, ids, rep_user_ids, company_ids)


def certifications_write(
    *, rng: random.Random, org: Org, products_by_company: dict[int, list[int]], day_one: date
) -> None:
    """Most reps know their own company's products; few were trained on the other's."""
    rows = []
    for rep_id, company_id in zip(org.rep_ids, org.rep_companies, strict=True):
        for owner, products in products_by_company.items():
            share = 0.5 if owner == company_id else 0.1
            for product_id in products:
                if rng.random() < share:
                    rows.append((rep_id, product_id, day_between(rng, date(2018, 1, 1), day_one)))
    rows_write(model=Certification, names=("rep_id", "product_id", "certified_on"), rows=rows)


def quotas_write(*, rng: random.Random, org: Org, today: date) -> None:
    first = add_months(today.replace(day=1), -(QUOTA_MONTHS - 4))
    months = [add_months(first, i) for i in range(QUOTA_MONTHS)]
    rows = []
    for rep_id in org.rep_ids:
        core = money(rng, 80000, 0.3, step=1000)
        cross = money(rng, 20000, 0.4, step=500)
        for i, month in enumerate(months):
            ramp = Decimal(str(round(0.8 + 0.4 * i / (QUOTA_MONTHS - 1), 2)))
            rows.append((rep_id, month, core, (cross * ramp).quantize(Decimal("0.01"))))
    rows_write(
        model=Quota,
        names=("rep_id", "period_start", "core_amount", "cross_sell_amount"),
        rows=rows,
    )
