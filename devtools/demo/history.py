"""How one opportunity lived: its stage walk and every change, with who and when."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from devtools.world.rand import moment, weighted, working_day
from devtools.world.vocabulary import LOST_REASONS, NEXT_STEPS
from tracker.figures import PROGRESS_FIELDS as PROGRESS


@dataclass(frozen=True)
class StageDef:
    name: str
    order: int
    probability: int
    forecast: str
    outcome: str


STAGES: tuple[StageDef, ...] = (
    StageDef("Identified", 1, 10, "pipeline", "open"),
    StageDef("Qualified", 2, 25, "pipeline", "open"),
    StageDef("Proposal", 3, 50, "best_case", "open"),
    StageDef("Negotiation", 4, 75, "commit", "open"),
    StageDef("Closed won", 5, 100, "closed", "won"),
    StageDef("Closed lost", 6, 0, "omitted", "lost"),
)
OPEN_STAGES = STAGES[:4]
WON = STAGES[4]
LOST = STAGES[5]


@dataclass
class ChangeRecord:
    action: str  # created, changed, reopened
    field: str
    old: str
    new: str
    actor: str
    at: datetime


@dataclass
class Life:
    """What the history walk decided; the opportunity's fields follow from it."""

    stage: StageDef
    probability: int
    amount: Decimal
    expected_close: date
    closed_on: date | None = None
    lost_reason: str = ""
    next_step: str = ""
    reopen_count: int = 0
    changes: list[ChangeRecord] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return self.changes[0].at

    @property
    def updated_at(self) -> datetime:
        return self.changes[-1].at

    @property
    def progressed_at(self) -> datetime:
        """The last change that moved the deal along (tracker.figures.PROGRESS_FIELDS)."""
        moves = [c.at for c in self.changes if c.action == "created" or c.field in PROGRESS]
        return moves[-1]


class Recorder:
    """Appends changes with strictly increasing timestamps."""

    def __init__(self, rng: random.Random, life: Life, last_day: date) -> None:
        self.rng = rng
        self.life = life
        self.last_day = last_day

    def at(self, day: date) -> datetime:
        workday = working_day(day)
        when = moment(self.rng, workday if workday <= self.last_day else day)
        if self.life.changes and when <= self.life.changes[-1].at:
            when = self.life.changes[-1].at + timedelta(minutes=self.rng.randint(3, 40))
        return when

    def add(
        self, action: str, field_name: str, old: str, new: str, actor: str, when: datetime
    ) -> None:
        self.life.changes.append(ChangeRecord(action, field_name, old, new, actor, when))


@dataclass(frozen=True)
class Walk:
    """The inputs of one history walk."""

    created: date
    end: date  # close date, or the last activity of an open opportunity
    outcome: str  # won, lost, open
    final_open_stage: int  # index into OPEN_STAGES reached before the end
    amount: Decimal
    expected_close: date
    owner: str
    leader: str
    ops: str
    last_day: date


def _spread(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    span = max(0, (end - start).days)
    return sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(count))


def _actor(rng: random.Random, walk: Walk, stage: StageDef) -> str:
    # Leaders move deals to Commit or close them out in pipeline reviews.
    if stage.order >= 4 and rng.random() < 0.15:
        return walk.leader
    return walk.owner


def walk_history(rng: random.Random, walk: Walk) -> Life:
    life = Life(OPEN_STAGES[0], OPEN_STAGES[0].probability, walk.amount, walk.expected_close)
    rec = Recorder(rng, life, walk.last_day)
    rec.add("created", "", "", "", walk.owner, rec.at(walk.created))
    path = list(OPEN_STAGES[1 : walk.final_open_stage + 1])
    if path and walk.outcome == "won" and len(path) > 2 and rng.random() < 0.1:
        path.pop(0)  # a warm referral skips qualification
    days = _spread(rng, walk.created + timedelta(days=1), walk.end, len(path))
    for stage, day in zip(path, days, strict=True):
        _move(rng, rec, walk, stage, day)
        if stage.order == 3 and rng.random() < 0.4:
            _change_amount(rng, rec, walk.owner, day, rng.uniform(0.8, 1.3))
    if walk.outcome == "won":
        if rng.random() < 0.5:
            _change_amount(rng, rec, walk.owner, walk.end, rng.uniform(0.85, 0.97))
        close(rng, rec, walk, WON, walk.end)
    elif walk.outcome == "lost":
        close(rng, rec, walk, LOST, walk.end)
    else:
        _keep_open(rng, rec, walk)
    return life


def _move(rng: random.Random, rec: Recorder, walk: Walk, stage: StageDef, day: date) -> str:
    """Moves to `stage` on `day`; returns who did it."""
    life = rec.life
    when = rec.at(day)
    actor = _actor(rng, walk, stage)
    rec.add("changed", "stage", life.stage.name, stage.name, actor, when)
    if life.probability != stage.probability:
        probabilities = str(life.probability), str(stage.probability)
        rec.add("changed", "probability", *probabilities, actor, when)
    life.stage, life.probability = stage, stage.probability
    return actor


def _change_amount(
    rng: random.Random, rec: Recorder, actor: str, day: date, factor: float
) -> None:
    life = rec.life
    new = max(Decimal("500.00"), Decimal(round(float(life.amount) * factor / 500) * 500))
    new = new.quantize(Decimal("0.01"))
    if new != life.amount:
        rec.add("changed", "amount", str(life.amount), str(new), actor, rec.at(day))
        life.amount = new


def close(rng: random.Random, rec: Recorder, walk: Walk, stage: StageDef, day: date) -> None:
    life = rec.life
    actor = _move(rng, rec, walk, stage, day)
    when = life.changes[-1].at
    life.closed_on = when.date()
    rec.add("changed", "closed_on", "", life.closed_on.isoformat(), actor, when)
    if stage is LOST:
        life.lost_reason = weighted(rng, LOST_REASONS)
        rec.add("changed", "lost_reason", "", life.lost_reason, actor, when)


def _keep_open(rng: random.Random, rec: Recorder, walk: Walk) -> None:
    life = rec.life
    life.next_step = rng.choice(NEXT_STEPS)
    if life.expected_close < walk.end and rng.random() < 0.75:
        # Slipped deals get a new date; the rest stay overdue for the hygiene report.
        new = walk.end + timedelta(days=rng.randint(21, 120))
        actor = walk.ops if rng.random() < 0.3 else walk.owner
        dates = life.expected_close.isoformat(), new.isoformat()
        rec.add("changed", "expected_close", *dates, actor, rec.at(walk.end))
        life.expected_close = new
    if walk.end > life.changes[-1].at.date():
        rec.add("changed", "next_step", "", life.next_step, walk.owner, rec.at(walk.end))


def close_again(rng: random.Random, life: Life, walk: Walk, stage: StageDef, day: date) -> None:
    close(rng, Recorder(rng, life, walk.last_day), walk, stage, day)


def reopen(
    rng: random.Random, life: Life, walk: Walk, reopen_day: date, won_day: date | None
) -> None:
    """A lost deal brought back; it may be won soon after, right before a period ends."""
    rec = Recorder(rng, life, walk.last_day)
    qualified = OPEN_STAGES[1]
    when = rec.at(reopen_day)
    rec.add("reopened", "stage", life.stage.name, qualified.name, walk.owner, when)
    probabilities = str(life.probability), str(qualified.probability)
    rec.add("changed", "probability", *probabilities, walk.owner, when)
    if life.closed_on:
        rec.add("changed", "closed_on", life.closed_on.isoformat(), "", walk.owner, when)
    if life.lost_reason:
        rec.add("changed", "lost_reason", life.lost_reason, "", walk.owner, when)
    life.stage, life.probability = qualified, qualified.probability
    life.reopen_count += 1
    life.closed_on = None
    life.lost_reason = ""
    if won_day is None:
        life.next_step = rng.choice(NEXT_STEPS)
        life.expected_close = walk.last_day + timedelta(days=rng.randint(20, 90))
        return
    close(rng, rec, walk, WON, won_day)
