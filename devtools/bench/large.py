"""A large program written straight into the database, for the performance budgets.

At full size: 100,000 unified accounts (about 120,000 CRM records), 20 segments,
60 products, 1,000,000 install-base holdings, 1,000 reps in 50 teams with quotas,
200,000 opportunities with 1,000,000 history rows, targets, reviews and comp
plans. The same size and date always give the same data. People, catalogue,
targets and reviews are the demo's kinds of records, stored by the demo's
writers; accounts, holdings and the pipeline, by the million, are written as
rows (`devtools.bench.rows`). The derived data (statuses, connection and risk,
whitespace, past months' snapshots) comes from the program's own services,
timed, as after an import.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model

from accounts.models import (
    Holding,
    Merger,
    ProductMapping,
    RecordChange,
    RiskPolicy,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.services.account_segments import account_segments_refresh
from accounts.services.bulk_rows import tables_analyze
from accounts.services.overlap import account_customer_since_refresh, account_statuses_refresh
from accounts.services.ownership import product_ownership_refresh
from accounts.services.risk import account_signals_refresh
from accounts.services.whitespace import whitespace_refresh
from devtools.bench import large_accounts, large_org, large_pipeline
from devtools.bench.rows import sequences_reset, tables_vacuum
from devtools.bench.sizes import BenchSize
from devtools.demo.seed import program_delete
from devtools.demo.targets import reviews_build
from devtools.demo.write_org import memberships_write, users_write
from devtools.demo.write_pipeline import reviews_write, stages_write, targets_write
from scorecards.models import ScoringPolicy
from scorecards.services.month_close import month_close, months_to_close
from scorecards.services.scores import scores_recompute
from tracker.models import Certification, CreditSplit, Opportunity, Quota, Rep, SynergyTarget, Team
from tracker.pipeline_math import add_months
from tracker.services.won_sales import won_sales_sync_program

SEED = 20260101
HISTORY_MONTHS = 12  # Day 1 this many months before the current month
WRITTEN: list[type[Model]] = [
    get_user_model(),
    Team,
    Rep,
    Certification,
    Quota,
    UnifiedAccount,
    SourceAccount,
    Holding,
    ProductMapping,
    Opportunity,
    RecordChange,
    CreditSplit,
    SynergyTarget,
]


@dataclass
class LargeProgram:
    merger: Merger
    built: bool
    seconds: dict[str, float] = field(default_factory=dict)


def large_merger_name(size: BenchSize) -> str:
    skew = ", skewed" if size.skewed else ""
    return f"Benchmark program ({size.accounts:,} accounts{skew})"


def large_merger_find(size: BenchSize) -> Merger | None:
    return Merger.objects.filter(name=large_merger_name(size)).first()


def large_merger_ensure(*, size: BenchSize, today: date, rebuild: bool = False) -> LargeProgram:
    """The large program of this size: the one in the database, or a new one."""
    existing = large_merger_find(size)
    if existing is not None and not rebuild:
        return LargeProgram(existing, built=False)
    if existing is not None:
        large_merger_delete(merger=existing, size=size)
    return large_merger_build(size=size, today=today)


def large_merger_build(*, size: BenchSize, today: date) -> LargeProgram:
    seconds: dict[str, float] = {}
    clock = partial(_timed, seconds)
    with transaction.atomic():
        with clock("write"):
            merger = _write(size, today)
        tables_analyze(WRITTEN)
        with clock("won deals into the install base"):
            won_sales_sync_program(merger_id=merger.pk)
        with clock("account statuses"):
            account_statuses_refresh(merger_id=merger.pk)
            account_customer_since_refresh(merger_id=merger.pk)
        with clock("account segments"):
            account_segments_refresh(merger_id=merger.pk)
        with clock("connection and risk"):
            account_signals_refresh(merger_id=merger.pk)
        with clock("whitespace refresh"):
            whitespace_refresh(merger_id=merger.pk)
        with clock("install-base ownership counts"):
            product_ownership_refresh(merger_id=merger.pk)
        tables_analyze([UnifiedAccount, WhitespaceCell])
    with clock("past months closed (snapshots and scores)"):
        due = months_to_close(merger_id=merger.pk, today=today)
        kept = len(due) if size.past_snapshots is None else size.past_snapshots
        for month in due[len(due) - min(kept, len(due)) :]:
            month_close(merger_id=merger.pk, month=month, today=today)
    with clock("this month's scores"):
        # As the recompute task leaves them after the last data change.
        scores_recompute(merger_id=merger.pk, month=today.replace(day=1), today=today)
    with clock("vacuum"):
        tables_vacuum([*WRITTEN, WhitespaceCell])
    return LargeProgram(merger, built=True, seconds=seconds)


def _write(size: BenchSize, today: date) -> Merger:
    day_one = add_months(today.replace(day=1), -HISTORY_MONTHS)
    people = large_org.People.of(size)
    # None can sign in with a password: pages are measured with force_login.
    users = users_write(password_hash=make_password(None), people=large_org.people_build(size))
    merger = Merger.objects.create(
        name=large_merger_name(size),
        day_one=day_one,
        accountable_leader=users[people.cross_sell_leader],
    )
    memberships_write(merger=merger, users=users)
    ScoringPolicy.objects.create(merger=merger)
    RiskPolicy.objects.create(merger=merger)
    catalogue = large_accounts.catalogue_write(
        rng=_rng(1), merger=merger, size=size, created_by=users[people.ops]
    )
    org = large_org.org_write(
        rngs=(_rng(2), _rng(3), _rng(4)),
        merger=merger,
        size=size,
        users=users,
        catalogue=catalogue,
        day_one=day_one,
        today=today,
    )
    book = large_accounts.accounts_write(
        rng=_rng(5), merger=merger, size=size, catalogue=catalogue, today=today
    )
    won = large_pipeline.opportunities_write(
        rng=_rng(6),
        merger=merger,
        size=size,
        catalogue=catalogue,
        book=book,
        org=org,
        # The demo's stages: the large program moves deals through the same pipeline.
        stages=list(stages_write(merger=merger).values()),
        day_one=day_one,
        today=today,
    )
    targets = large_pipeline.targets_build(
        merger=merger, segments=list(catalogue.segments), won=won, today=today
    )
    targets_write(merger=merger, targets=targets, segments=catalogue.segments)
    reviews = reviews_build(day_one=day_one, today=today)
    reviews_write(merger=merger, reviews=reviews, chair=users[people.cross_sell_leader])
    sequences_reset(WRITTEN)
    return merger


def large_merger_delete(*, merger: Merger, size: BenchSize) -> None:
    people = get_user_model().objects.filter(username__startswith=large_org.People.of(size).prefix)
    program_delete(merger=merger, people=people)


def _rng(part: int) -> random.Random:
    # One stream per part, so that changing one part leaves the others' data alone.
    return random.Random(SEED * 100 + part)


@contextmanager
def _timed(seconds: dict[str, float], label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds[label] = round(time.perf_counter() - started, 2)
