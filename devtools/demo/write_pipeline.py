"""Store the stages, opportunities with their history and credit, targets and reviews."""

from django.contrib.auth.models import AbstractUser

from accounts.models import Merger, Product, Segment, UnifiedAccount
from accounts.services.history import history_entries_write, history_entry
from devtools.demo.entity import fields_of
from devtools.demo.history import STAGES, ChangeRecord
from devtools.demo.linking import EntityAccounts, account_of
from devtools.demo.pipeline import OppRecord
from devtools.demo.targets import ReviewRecord, TargetRecord
from devtools.demo.write_org import Users
from scorecards.models import ProgramReview
from tracker.models import CreditSplit, Opportunity, Rep, Stage, SynergyTarget

BATCH = 1000
# An opportunity's fields as its generated life left them.
LIFE_FIELDS = (
    "probability amount expected_close closed_on next_step lost_reason reopen_count "
    "created_at updated_at progressed_at"
)


def stages_write(*, merger: Merger) -> dict[str, Stage]:
    rows = [
        Stage(
            merger=merger,
            forecast_category=s.forecast,
            **fields_of(s, "name order probability outcome"),
        )
        for s in STAGES
    ]
    Stage.objects.bulk_create(rows)
    return {s.name: s for s in rows}


def opportunities_write(
    *,
    merger: Merger,
    opps: list[OppRecord],
    accounts: EntityAccounts,
    products: dict[str, Product],
    stages: dict[str, Stage],
    reps: dict[str, Rep],
    users: Users,
) -> None:
    """Store the opportunities on the accounts matching made.

    An opportunity goes to the account of the record it is about. Where
    matching joined two companies into one account and both have an open
    opportunity for one product, only the first can be stored there (one open
    opportunity per account and product), and the other is left out.
    """
    segment_of = dict(UnifiedAccount.objects.filter(merger=merger).values_list("id", "segment_id"))
    placed = [
        (o, account_id)
        for o, account_id in zip(opps, opportunity_accounts(opps, accounts, products), strict=True)
        if account_id is not None
    ]
    opps = [o for o, _account_id in placed]
    rows = [
        _opportunity(merger, o, account_id, segment_of, products, stages, reps, users)
        for o, account_id in placed
    ]
    Opportunity.objects.bulk_create(rows, batch_size=BATCH)
    shown = {name: f"{stage} (#{stage.pk})" for name, stage in stages.items()}
    shown[""] = ""
    named = Opportunity.objects.filter(merger=merger).values_list(
        "pk", "product__name", "account__name"
    )
    names = {pk: f"{product} for {account}" for pk, product, account in named}
    history_entries_write(
        history_entry(
            model=Opportunity,
            object_id=row.pk,
            object_repr=names[row.pk],
            merger_id=merger.pk,
            action=c.action,
            changes={c.field: _shown(c, shown)} if c.field else {},
            actor=users[c.actor],
            at=c.at,
        )
        for o, row in zip(opps, rows, strict=True)
        for c in o.life.changes
    )
    CreditSplit.objects.bulk_create(
        [
            CreditSplit(
                opportunity=row,
                rep=reps[c.username],
                kind=c.kind,
                percent=c.percent,
                role_note=c.note,
            )
            for o, row in zip(opps, rows, strict=True)
            for c in o.credits
        ],
        batch_size=BATCH,
    )


def opportunity_accounts(
    opps: list[OppRecord], accounts: EntityAccounts, products: dict[str, Product]
) -> list[int | None]:
    """The account of each opportunity, or None where that account has an open one for
    the product already."""
    open_cells: set[tuple[int, str]] = set()
    chosen: list[int | None] = []
    for o in opps:
        account_id = account_of(
            accounts[o.entity],
            direction=o.direction,
            product_company=products[o.product].company.role,
        )
        if o.life.stage.outcome != Stage.Outcome.OPEN:
            chosen.append(account_id)
        elif (account_id, o.product) in open_cells:
            chosen.append(None)
        else:
            open_cells.add((account_id, o.product))
            chosen.append(account_id)
    return chosen


def _shown(change: ChangeRecord, stages: dict[str, str]) -> list[str]:
    # A stage as the opportunity service shows it: by name and id.
    if change.field == "stage":
        return [stages[change.old], stages[change.new]]
    return [change.old, change.new]


def _opportunity(
    merger: Merger,
    o: OppRecord,
    account_id: int,
    segment_of: dict[int, int | None],
    products: dict[str, Product],
    stages: dict[str, Stage],
    reps: dict[str, Rep],
    users: Users,
) -> Opportunity:
    life = o.life
    stage = stages[life.stage.name]
    return Opportunity(
        merger=merger,
        account_id=account_id,
        product=products[o.product],
        segment_id=segment_of[account_id],
        owner=reps[o.owner],
        stage=stage,
        outcome=stage.outcome,
        risk_override_reason=o.override_reason,
        risk_override_by=users[o.override_by] if o.override_by else None,
        # Every save raises the version; one save can change several fields at once.
        version=len({c.at for c in life.changes}),
        created_by=users[o.created_by],
        **fields_of(o, "kind direction customer_need source"),
        **fields_of(life, LIFE_FIELDS),
    )


def targets_write(
    *, merger: Merger, targets: list[TargetRecord], segments: dict[str, Segment]
) -> None:
    SynergyTarget.objects.bulk_create(
        [
            SynergyTarget(
                merger=merger,
                segment=segments[t.segment] if t.segment else None,
                **fields_of(t, "month revenue_synergy cross_sell"),
                currency=merger.reporting_currency,
                revenue_synergy_original=t.revenue_synergy,
                cross_sell_original=t.cross_sell,
            )
            for t in targets
        ],
        batch_size=BATCH,
    )


def reviews_write(*, merger: Merger, reviews: list[ReviewRecord], chair: AbstractUser) -> None:
    ProgramReview.objects.bulk_create(
        [
            ProgramReview(merger=merger, held_on=r.held_on, chaired_by=chair, notes=r.notes)
            for r in reviews
        ]
    )
