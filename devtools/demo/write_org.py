"""Store the people, the program, its teams, reps, quotas, comp plans and core win rates."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group

from accounts.models import LegacyCompany, Merger, Product, ProgramMembership
from core.access import GROUP_NAMES
from devtools.demo.core_deals import CoreRecord
from devtools.demo.entity import fields_of
from devtools.demo.org import PEOPLE, TEAMS, Person, PlanDef, RepRecord, TeamDef
from devtools.demo.plan import DEMO_MERGER_NAME, DemoPlan
from devtools.demo.targets import QuotaRecord
from tracker.models import Certification, CompPlan, CoreWinRate, Quota, Rep, Team

type Users = dict[str, AbstractUser]
CENT = Decimal("0.01")
USER_FIELDS = ("first_name", "last_name", "email", "password", "is_staff", "is_active")


def users_write(*, password_hash: str, people: Sequence[Person] = PEOPLE) -> Users:
    """Create `people`, or bring back to their generated state any that exist already."""
    user_model = get_user_model()
    usernames = [p.username for p in people]
    existing = {u.username: u for u in user_model.objects.filter(username__in=usernames)}
    users: Users = {}
    for person in people:
        user = existing.get(person.username) or user_model(username=person.username)
        user.first_name, user.last_name = person.first_name, person.last_name
        user.email, user.password = person.email, password_hash
        user.is_staff, user.is_active = person.is_staff, True
        users[person.username] = user
    changed = [u for u in users.values() if u.pk]
    user_model.objects.bulk_create([u for u in users.values() if not u.pk])
    user_model.objects.bulk_update(changed, USER_FIELDS)
    _groups_write(users, people)
    return users


def _groups_write(users: Users, people: Sequence[Person]) -> None:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES.values()}
    through = get_user_model().groups.through
    ids = [u.pk for u in users.values()]
    through.objects.filter(user_id__in=ids, group__name__in=GROUP_NAMES.values()).delete()
    through.objects.bulk_create(
        [
            through(user_id=users[p.username].pk, group_id=groups[GROUP_NAMES[role]].pk)
            for p in people
            for role in p.roles
        ],
        batch_size=5000,
    )


def merger_write(*, plan: DemoPlan, users: Users, leader: Person) -> Merger:
    merger = Merger.objects.create(
        name=DEMO_MERGER_NAME,
        day_one=plan.day_one,
        reporting_currency="USD",
        horizon_months=plan.horizon_months,
        accountable_leader=users[leader.username],
    )
    memberships_write(merger=merger, users=users)
    return merger


def memberships_write(*, merger: Merger, users: Users) -> None:
    ProgramMembership.objects.bulk_create(
        [ProgramMembership(merger=merger, user=user) for user in users.values()], batch_size=5000
    )


def teams_write(
    *, merger: Merger, users: Users, teams: Sequence[TeamDef] = TEAMS
) -> dict[str, Team]:
    written: dict[str, Team] = {}
    # Parents first: a child needs its parent's id.
    for level in (
        [t for t in teams if t.parent is None],
        [t for t in teams if t.parent is not None],
    ):
        rows = [
            Team(
                merger=merger,
                name=t.name,
                leader=users[t.leader],
                parent=written.get(t.parent or ""),
                region=t.region,
            )
            for t in level
        ]
        Team.objects.bulk_create(rows)
        written.update({t.name: t for t in rows})
    return written


def reps_write(
    *,
    merger: Merger,
    users: Users,
    teams: dict[str, Team],
    companies: dict[str, LegacyCompany],
    products: dict[str, Product],
    reps: list[RepRecord],
) -> dict[str, Rep]:
    rows = [
        Rep(
            merger=merger,
            user=users[r.username],
            team=teams[r.team],
            company=companies[r.company],
            **fields_of(r, "motion start_date typical_core_deal"),
        )
        for r in reps
    ]
    Rep.objects.bulk_create(rows)
    by_username = {r.username: row for r, row in zip(reps, rows, strict=True)}
    Certification.objects.bulk_create(
        [
            Certification(rep=by_username[r.username], product=products[code], certified_on=on)
            for r in reps
            for code, on in r.certifications
        ],
        # The large program's thousand reps hold tens of thousands of certifications.
        batch_size=5000,
    )
    return by_username


def quotas_write(*, reps: dict[str, Rep], quotas: list[QuotaRecord], currency: str) -> None:
    """Quotas entered in the reporting currency `currency`."""
    Quota.objects.bulk_create(
        [
            Quota(
                rep=reps[q.username],
                **fields_of(q, "period_start core_amount cross_sell_amount"),
                currency=currency,
                core_amount_original=q.core_amount,
                cross_sell_amount_original=q.cross_sell_amount,
            )
            for q in quotas
        ],
        batch_size=1000,
    )


def comp_plans_write(
    *,
    merger: Merger,
    plans: Sequence[PlanDef],
    start: date,
    end: date,
    members: Iterable[tuple[str, int]],
) -> None:
    """The plans `plans` from `start` to `end`; `members` are (plan name, rep id) pairs.

    Leaders' plans name no reps: they pay every leader.
    """
    rows = {
        p.name: _entered_in_reporting(
            CompPlan(
                merger=merger,
                period_start=start,
                period_end=end,
                **fields_of(p, "name for_leaders president_club_requires_cross_sell recognition"),
                target_variable_pay=Decimal(p.target_variable_pay).quantize(CENT),
                cross_sell_share_pct=Decimal(p.cross_sell_share_pct).quantize(CENT),
                spif_kind=CompPlan.Spif(p.spif_kind),
                spif_amount=Decimal(p.spif_amount).quantize(CENT),
                spif_percent=Decimal(p.spif_percent).quantize(CENT),
            )
        )
        for p in plans
    }
    CompPlan.objects.bulk_create(rows.values())
    through = CompPlan.reps.through
    through.objects.bulk_create(
        [through(compplan_id=rows[name].pk, rep_id=rep_id) for name, rep_id in members],
        batch_size=5000,
    )


def _entered_in_reporting(plan: CompPlan) -> CompPlan:
    plan.currency = plan.merger.reporting_currency
    plan.target_variable_pay_original = plan.target_variable_pay
    plan.spif_amount_original = plan.spif_amount
    return plan


def core_win_rates_write(
    *,
    merger: Merger,
    companies: dict[str, LegacyCompany],
    records: list[CoreRecord],
    ops: AbstractUser,
) -> None:
    CoreWinRate.objects.bulk_create(
        [
            CoreWinRate(
                merger=merger,
                company=companies[r.company],
                won_count=r.won,
                lost_count=r.lost,
                entered_by=ops,
                **fields_of(r, "period_kind period_start source"),
            )
            for r in records
        ]
    )
