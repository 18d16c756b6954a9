"""Misconduct guardrails: patterns a leader should look at, per rep.

Quota pressure without supervision once produced millions of accounts nobody
asked for. These flags do not accuse anyone; they point a leader at bursts of
opportunities with no follow-up, wins with no stated need, frequent reopening
and selling to accounts the risk screen says not to sell to.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Length, TruncDate

from accounts.models import RecordChange, UnifiedAccount
from accounts.selectors.history import changes_of
from tracker.models import Opportunity, Stage

BURST_MIN_OPENED = 10
THIN_NEED_CHARS = 25
REOPEN_MIN = 2


@dataclass
class RepFlags:
    rep_id: int
    bursts: list[tuple[str, int]] = field(default_factory=list)  # (day, opened)
    thin_need_wins: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    dont_sell: list[int] = field(default_factory=list)
    # What a leader reads instead of an id: "account · product", per opportunity id.
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def burst_days(self) -> list[tuple[date, int]]:
        return [(date.fromisoformat(day), opened) for day, opened in self.bursts]

    @property
    def thin_need_win_links(self) -> list[tuple[int, str]]:
        return self._links(self.thin_need_wins)

    @property
    def reopened_links(self) -> list[tuple[int, str]]:
        return self._links(self.reopened)

    @property
    def dont_sell_links(self) -> list[tuple[int, str]]:
        return self._links(self.dont_sell)

    def _links(self, ids: list[int]) -> list[tuple[int, str]]:
        return [(pk, self.labels.get(pk, f"#{pk}")) for pk in ids]

    @property
    def total(self) -> int:
        return (
            len(self.bursts) + len(self.thin_need_wins) + len(self.reopened) + len(self.dont_sell)
        )


def supervision_flags(*, merger_id: int, owner_ids: list[int] | None = None) -> list[RepFlags]:
    """Flags per rep, most flagged first; four grouped queries whatever the data size."""
    opportunities = Opportunity.objects.filter(merger_id=merger_id)
    if owner_ids is not None:
        opportunities = opportunities.filter(owner_id__in=owner_ids)
    flags: dict[int, RepFlags] = defaultdict(lambda: RepFlags(rep_id=0))

    def rep(rep_id: int) -> RepFlags:
        flags[rep_id].rep_id = rep_id
        return flags[rep_id]

    for owner_id, day, opened in _bursts(opportunities):
        rep(owner_id).bursts.append((day.isoformat(), opened))
    thin = opportunities.annotate(need_length=Length("customer_need")).filter(
        outcome=Stage.Outcome.WON, need_length__lt=THIN_NEED_CHARS
    )
    for owner_id, pk in thin.values_list("owner_id", "pk"):
        rep(owner_id).thin_need_wins.append(pk)
    for owner_id, pk in opportunities.filter(reopen_count__gte=REOPEN_MIN).values_list(
        "owner_id", "pk"
    ):
        rep(owner_id).reopened.append(pk)
    dont_sell = opportunities.filter(
        account__recommendation=UnifiedAccount.Recommendation.DONT_SELL
    ).exclude(outcome=Stage.Outcome.LOST)
    for owner_id, pk in dont_sell.values_list("owner_id", "pk"):
        rep(owner_id).dont_sell.append(pk)
    _label(flags.values())
    return sorted(flags.values(), key=lambda item: (-item.total, item.rep_id))


def _label(reps: Iterable[RepFlags]) -> None:
    """Names the flagged opportunities by account and product, in one query."""
    reps = list(reps)
    ids = {pk for r in reps for pk in (*r.thin_need_wins, *r.reopened, *r.dont_sell)}
    if not ids:
        return
    names = {
        pk: f"{account} · {product}"
        for pk, account, product in Opportunity.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "account__name", "product__name")
    }
    for r in reps:
        r.labels = {pk: names[pk] for pk in (*r.thin_need_wins, *r.reopened, *r.dont_sell)}


def _bursts(opportunities):
    """(owner, day, count) where a rep opened many opportunities in a day, none touched since."""
    # NOT EXISTS, not NOT IN: PostgreSQL turns it into an anti-join on the history's
    # index, where NOT IN over a million history rows ran as a subplan per deal (75 s).
    changed = changes_of(Opportunity).filter(
        object_id=OuterRef("pk"),
        action__in=[RecordChange.Action.CHANGED, RecordChange.Action.REOPENED],
    )
    untouched = opportunities.filter(outcome=Stage.Outcome.OPEN).exclude(Exists(changed))
    return (
        untouched.annotate(day=TruncDate("created_at"))
        .values("owner_id", "day")
        .annotate(opened=Count("id"))
        .filter(opened__gte=BURST_MIN_OPENED)
        .values_list("owner_id", "day", "opened")
        .order_by("owner_id", "day")
    )
