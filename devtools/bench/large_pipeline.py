"""The large program's pipeline: stages, opportunities with history and credit, targets.

Opportunities take distinct (account, product) pairs, so that the one-open-per-
pair constraint holds without bookkeeping; each account is covered by one rep.
History rows are spread so that their total is exactly the size asked for.
"""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from accounts.models import Direction, Kind, Merger, Product, RecordChange
from accounts.services.bulk_rows import rows_write
from devtools.bench.large_accounts import AccountBook, Catalogue, sides_of
from devtools.bench.large_org import Org
from devtools.bench.rows import IdRange
from devtools.bench.sizes import BenchSize
from devtools.demo.linking import sale_direction
from devtools.demo.targets import TargetRecord
from devtools.world.rand import day_between, money, weighted
from devtools.world.skew import even_spread, zipf_weights
from devtools.world.vocabulary import LOST_REASONS, NEED_TEMPLATES, NEXT_STEPS
from tracker.models import CreditSplit, Opportunity, Stage
from tracker.pipeline_math import add_months

CHANGED, CREATED = RecordChange.Action.CHANGED, RecordChange.Action.CREATED
OUTCOMES = ((Stage.Outcome.OPEN, 0.5), (Stage.Outcome.WON, 0.28), (Stage.Outcome.LOST, 0.22))
SPLIT_SHARE = 0.1
CHUNK = 20_000  # opportunities held in memory, with their history, before they are written
# Every generated change moves the deal along (stage, amount or next step): progressed_at.
OPPORTUNITY_FIELDS = (
    "id merger_id account_id product_id segment_id kind direction owner_id stage_id outcome "
    "probability amount expected_close closed_on customer_need next_step lost_reason source "
    "version created_by_id created_at updated_at progressed_at"
)
SPLIT_FIELDS = "opportunity_id rep_id kind percent"
CHANGE_FIELDS = (
    "merger_id content_type_id object_id object_repr action changes actor_id actor_name via at"
)


def opportunities_write(
    *,
    rng: random.Random,
    merger: Merger,
    size: BenchSize,
    catalogue: Catalogue,
    book: AccountBook,
    org: Org,
    stages: list[Stage],
    day_one: date,
    today: date,
) -> dict[date, Decimal]:
    """Writes the deals; returns the cross-sell won per month, which the targets follow."""
    products = [p for company in catalogue.products.values() for p in company]
    role_of = {c.pk: role for role, c in catalogue.companies.items()}
    if size.opportunities > len(book.ids) * len(products):
        raise ValueError("More opportunities than distinct account and product pairs")
    order = list(range(len(book.ids)))
    rng.shuffle(order)
    offsets = [rng.randrange(len(products)) for _ in book.ids]
    ids = IdRange(Opportunity).take(size.opportunities)
    counts = even_spread(size.changes, size.opportunities, 12)
    writer = _PipelineWriter(rng, merger, stages, org, day_one, today)
    if size.skewed:
        # Each account's deals go to one rep, a few reps holding most of them.
        reps = range(len(org.rep_ids))
        weights = zipf_weights(len(org.rep_ids), skewed=True)
        writer.rep_of = rng.choices(reps, weights, k=len(book.ids))
    for j, pk in enumerate(ids):
        n = order[j % len(order)]
        product = products[(offsets[n] + j // len(order)) % len(products)]
        writer.add(pk, n, book, product, role_of[product.company_id], counts[j])
        if len(writer.opportunities) == CHUNK:
            writer.flush()
    writer.flush()
    return writer.won


class _PipelineWriter:
    """Collects opportunity, history and credit rows for one program."""

    def __init__(self, rng, merger, stages, org, day_one: date, today: date) -> None:
        self.rng, self.merger, self.org = rng, merger, org
        self.open_stages = [s for s in stages if s.outcome == Stage.Outcome.OPEN]
        self.closing = {s.outcome: s for s in stages if s.outcome != Stage.Outcome.OPEN}
        self.shown = {s.pk: f"{s} (#{s.pk})" for s in stages}
        self.day_one, self.yesterday = day_one, today - timedelta(days=1)
        self.today = today
        self.opportunities: list[tuple] = []
        self.changes: list[tuple] = []
        self.deal_type = ContentType.objects.get_for_model(Opportunity).pk
        self.splits: list[tuple] = []
        self.won: dict[date, Decimal] = defaultdict(Decimal)
        # Rep index per account; None: account n's deals go to rep n modulo the reps.
        self.rep_of: list[int] | None = None

    def add(self, pk, n, book: AccountBook, product: Product, role: str, changes: int) -> None:
        rng = self.rng
        rep_index = n % len(self.org.rep_ids) if self.rep_of is None else self.rep_of[n]
        owner, user = self.org.rep_ids[rep_index], self.org.rep_user_ids[rep_index]
        direction = sale_direction(seller=role, customer_of=sides_of(book.statuses[n]))
        kind = Kind.UPSELL if direction == Direction.WITHIN else Kind.CROSS_SELL
        outcome = weighted(rng, OUTCOMES)
        created = day_between(rng, self.day_one, self.yesterday - timedelta(days=3))
        end = created + timedelta(days=rng.randint(14, 200))
        if outcome != Stage.Outcome.OPEN and end > self.yesterday:
            outcome = Stage.Outcome.OPEN
        if outcome == Stage.Outcome.OPEN:
            end = day_between(rng, created, self.yesterday)
            stage = rng.choice(self.open_stages)
        else:
            stage = self.closing[outcome]
        amount = money(rng, float(product.typical_deal_size or 10000), 0.5, step=100)
        times = self._moments(created, end, changes)
        self._history(pk, user, stage, amount, times)
        closed_on = end if outcome != Stage.Outcome.OPEN else None
        if outcome == Stage.Outcome.WON:
            if kind == Kind.CROSS_SELL:
                self.won[end.replace(day=1)] += amount
            if rng.random() < SPLIT_SHARE:
                partner = self.org.rep_ids[(rep_index + 1) % len(self.org.rep_ids)]
                self.splits.append((pk, owner, CreditSplit.Kind.SPLIT, Decimal("60.00")))
                self.splits.append((pk, partner, CreditSplit.Kind.SPLIT, Decimal("40.00")))
        self.opportunities.append(
            (
                pk,
                self.merger.pk,
                book.ids[n],
                product.pk,
                book.segments[n],
                kind,
                direction,
                owner,
                stage.pk,
                stage.outcome,
                stage.probability,
                amount,
                closed_on or self.today + timedelta(days=rng.randint(10, 150)),
                closed_on,
                # The demo's needs, with no site or assets in particular.
                rng.choice(NEED_TEMPLATES).format(assets="critical assets", city="main"),
                rng.choice(NEXT_STEPS) if outcome == Stage.Outcome.OPEN else "",
                weighted(rng, LOST_REASONS) if outcome == Stage.Outcome.LOST else "",
                Opportunity.Source.WHITESPACE if rng.random() < 0.6 else Opportunity.Source.MANUAL,
                len(times),
                user,
                times[0],
                times[-1],
                times[-1],
            )
        )

    def flush(self) -> None:
        rows_write(model=Opportunity, names=OPPORTUNITY_FIELDS.split(), rows=self.opportunities)
        rows_write(model=RecordChange, names=CHANGE_FIELDS.split(), rows=self.changes)
        rows_write(model=CreditSplit, names=SPLIT_FIELDS.split(), rows=self.splits)
        self.opportunities, self.changes, self.splits = [], [], []

    def _moments(self, start: date, end: date, count: int) -> list[datetime]:
        """`count` strictly increasing office-hour moments from `start` to `end`."""
        first = datetime.combine(start, time(9), tzinfo=UTC)
        span = max(1, int((datetime.combine(end, time(17), tzinfo=UTC) - first).total_seconds()))
        offsets = sorted(self.rng.randrange(span) for _ in range(count - 1))
        return [first] + [
            first + timedelta(seconds=offset + i + 1) for i, offset in enumerate(offsets)
        ]

    def _history(self, pk, user, stage: Stage, amount: Decimal, times: list[datetime]) -> None:
        """Created, then stage moves up to `stage`, the rest amount and next-step edits."""
        kept = (self.merger.pk, self.deal_type, pk, f"#{pk}")
        rows = [(*kept, CREATED, {}, user, "", "task", times[0])]
        path = [s for s in self.open_stages[1:] if s.order < stage.order]
        if stage.order > self.open_stages[0].order:
            path.append(stage)
        path = path[-(len(times) - 1) :] if len(times) > 1 else []
        previous = self.open_stages[0]
        edits = len(times) - 1 - len(path)
        for i, when in enumerate(times[1:]):
            if i >= edits:
                nxt = path[i - edits]
                stage_move = {"stage": [self.shown[previous.pk], self.shown[nxt.pk]]}
                rows.append((*kept, CHANGED, stage_move, user, "", "task", when))
                previous = nxt
            elif i % 2:
                step = self.rng.choice(NEXT_STEPS)
                rows.append((*kept, CHANGED, {"next_step": ["", step]}, user, "", "task", when))
            else:
                edit = {"amount": ["", str(amount)]}
                rows.append((*kept, CHANGED, edit, user, "", "task", when))
        self.changes.extend(rows)


def targets_build(
    *, merger: Merger, segments: list[str], won: dict[date, Decimal], today: date
) -> list[TargetRecord]:
    """Program and segment targets over the horizon, segment rows adding up to the program's;
    the program misses them by about a fifth of what it wins (`won`, by month)."""
    elapsed = [m for m in won if m < today.replace(day=1)]
    achieved = sum((won[m] for m in elapsed), Decimal(0))
    run_rate = max(achieved / max(1, len(elapsed)), Decimal(100000)) / Decimal("0.8")
    rows = []
    first = merger.day_one.replace(day=1)
    for i in range(merger.horizon_months):
        month = add_months(first, i)
        ramp = Decimal(str(round(0.6 + 0.8 * i / max(1, merger.horizon_months - 1), 3)))
        cross = (run_rate * ramp).quantize(Decimal("1"))
        rows.append(TargetRecord(month, None, cross * Decimal("1.6"), cross))
        part = (cross / len(segments)).quantize(Decimal("1"))
        for n, segment in enumerate(segments):
            share = part + (cross - part * len(segments) if n == 0 else 0)
            rows.append(TargetRecord(month, segment, share * Decimal("1.6"), share))
    return rows
