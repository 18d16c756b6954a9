"""Which CRM records are one customer: the matching engine decides, from the records alone.

The generator knows which real-world company ("entity") each record stands
for; the engine never sees that. It groups records into unified accounts as
it would after a real import: most pairs automatically, doubtful ones into the
review queue for sales ops. Everything the seed writes afterwards reads the
grouping back from the database.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping

from accounts.models import Direction, Merger, SourceAccount
from devtools.demo.entity import Entity
from devtools.demo.plan import ACQUIRED, ACQUIRER

# Where a CRM knows no record of the company (greenfield): the account's only key.
NO_CRM = ""

type EntityAccounts = Mapping[str, Mapping[str, int]]


def entity_accounts(*, merger: Merger, entities: list[Entity]) -> dict[str, dict[str, int]]:
    """Entity key -> {company role: the unified account matching put that CRM's record in}.

    Where matching missed a pair, the two records of one entity sit in two
    accounts; where it joined strangers, two entities share one.
    """
    linked = {
        (role, crm_id): unified_id
        for role, crm_id, unified_id in SourceAccount.objects.filter(
            company__merger=merger
        ).values_list("company__role", "crm_id", "unified_id")
    }
    accounts: dict[str, dict[str, int]] = defaultdict(dict)
    for entity in entities:
        for role, record in entity.records.items():
            accounts[entity.key][role] = linked[(role, record.crm_id)]
    return dict(accounts)


def sale_direction(*, seller: str, customer_of: Collection[str]) -> str:
    """The direction of a sale of `seller`'s product (tracker.selectors.directions): within
    when `seller` had the account as a customer on Day 1 (`customer_of`), else across."""
    if seller in customer_of:
        return Direction.WITHIN
    return Direction.A_TO_B if seller == ACQUIRER else Direction.B_TO_A


def buyer_role(*, direction: str, product_company: str) -> str:
    """Whose customer record an opportunity of this direction is about.

    A sale of the acquirer's product crosses to the acquired company's
    customer and the other way round; a sale within one company's own base is
    about that company's record.
    """
    if direction == Direction.A_TO_B:
        return ACQUIRED
    if direction == Direction.B_TO_A:
        return ACQUIRER
    return product_company


def account_of(accounts: Mapping[str, int], *, direction: str, product_company: str) -> int:
    """The account of the record an opportunity is about, among the entity's accounts."""
    role = buyer_role(direction=direction, product_company=product_company)
    return accounts[role] if role in accounts else min(accounts.values())
