"""The accounts' whitespace totals per product family, and the grid of a family that reads them."""

import importlib
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from accounts.models import (
    Holding,
    Merger,
    ProductMapping,
    UnifiedAccount,
    WhitespaceCell,
    WhitespaceFamilyTotal,
)
from accounts.selectors.whitespace import AccountFilter, MatrixSort, whitespace_matrix
from accounts.services.products import product_delete, product_update
from accounts.services.whitespace import whitespace_refresh
from scorecards.reconcile.whitespace import check_whitespace_family_totals_count_the_cells
from tests import factories
from tests.accounts.install_base import account_owning, record

CENT = Decimal("0.01")


@pytest.fixture
def catalogue(merger, acquirer, acquired):
    sensors = factories.FamilyFactory(company=acquirer, name="Sensors")
    software = factories.FamilyFactory(company=acquired, name="Software")
    products = {
        "sensor": factories.ProductFactory(
            company=acquirer, family=sensors, typical_deal_size=Decimal("20000")
        ),
        "sensor_pro": factories.ProductFactory(
            company=acquirer, family=sensors, typical_deal_size=Decimal("24000")
        ),
        # Outside any family: its cells count in no family's totals.
        "gateway": factories.ProductFactory(company=acquirer, typical_deal_size=Decimal("700")),
        "analytics": factories.ProductFactory(
            company=acquired, family=software, typical_deal_size=Decimal("50000")
        ),
        "support": factories.ProductFactory(
            company=acquired,
            family=software,
            typical_deal_size=Decimal("0"),
            list_price=Decimal("3000"),
        ),
    }
    for source, target, relation in (
        ("sensor", "analytics", ProductMapping.Relation.COMPLEMENTARY),
        ("sensor", "gateway", ProductMapping.Relation.ACCESSORY),
        ("analytics", "sensor", ProductMapping.Relation.COMPLEMENTARY),
        ("sensor", "sensor_pro", ProductMapping.Relation.UPGRADE),
        ("analytics", "support", ProductMapping.Relation.SERVICE),
        # Several candidates of one family per account: sums, not single cells.
        ("analytics", "sensor_pro", ProductMapping.Relation.COMPLEMENTARY),
        ("sensor", "support", ProductMapping.Relation.SERVICE),
    ):
        factories.ProductMappingFactory(
            merger=merger,
            source=products[source],
            target=products[target],
            relation=relation,
            reason=f"{source} owners need {target}",
        )
    return {"sensors": sensors, "software": software, **products}


@pytest.fixture
def program(merger, acquirer, acquired, catalogue):
    """Customers of A (sensors, upgrades capped by what they pay), of B (analytics), and of
    both; two share a name and a potential, so that only the id orders them."""
    accounts = []
    for i in range(9):
        name = "Account 004" if i == 5 else f"Account {i:03d}"
        if i % 3 == 0:
            account = account_owning(merger, acquired, catalogue["analytics"], name=name)
        else:
            account = factories.UnifiedAccountFactory(merger=merger, name=name)
            factories.HoldingFactory(
                account=record(account, acquirer),
                product=catalogue["sensor"],
                annual_revenue=Decimal(4000 * (i % 4 or 1)),
            )
        accounts.append(account)
    record(accounts[2], acquired, catalogue["support"])
    whitespace_refresh(merger_id=merger.pk)
    return accounts


def _totals(merger) -> dict:
    return {
        (t.account_id, t.family_id): (t.cells, t.value.quantize(CENT))
        for t in WhitespaceFamilyTotal.objects.filter(merger=merger)
    }


def _cells_by_account_and_family(merger) -> dict:
    rows = (
        WhitespaceCell.objects.filter(
            merger=merger, product__family__isnull=False, product__is_active=True
        )
        .values("account_id", "product__family")
        .annotate(n=Count("id"), value=Sum("potential_value"))
        .order_by()
    )
    return {
        (r["account_id"], r["product__family"]): (r["n"], r["value"].quantize(CENT)) for r in rows
    }


def test_the_totals_count_the_cells_after_a_whole_and_an_accounts_refresh(
    merger, acquirer, catalogue, program
):
    assert _totals(merger) == _cells_by_account_and_family(merger) != {}
    families = {family for _account, family in _totals(merger)}
    assert families == {catalogue["sensors"].pk, catalogue["software"].pk}
    # One account buys a product it was offered, another drops what made it a candidate.
    record(program[1], acquirer, catalogue["sensor_pro"])
    Holding.objects.filter(account__unified=program[3]).delete()
    whitespace_refresh(merger_id=merger.pk, account_ids=[program[1].pk, program[3].pk])
    assert not any(account == program[3].pk for account, _family in _totals(merger))
    assert _totals(merger) == _cells_by_account_and_family(merger)
    whitespace_refresh(merger_id=merger.pk)
    assert _totals(merger) == _cells_by_account_and_family(merger)


def test_the_totals_follow_a_products_family_its_deactivation_and_its_deletion(
    merger, acquirer, catalogue, program
):
    actor = factories.UserFactory()
    services = factories.FamilyFactory(company=catalogue["support"].company, name="Services")
    # Moved to another family: both families are recounted at once, before the refresh
    # that the change queues has run.
    product_update(actor=actor, product=catalogue["support"], family=services)
    assert _totals(merger) == _cells_by_account_and_family(merger)
    product_update(actor=actor, product=catalogue["support"], family=None)
    assert _totals(merger) == _cells_by_account_and_family(merger)
    whitespace_refresh(merger_id=merger.pk)
    assert _totals(merger) == _cells_by_account_and_family(merger)
    # Deactivated: its cells stay until the refresh, but count in no family meanwhile.
    product_update(actor=actor, product=catalogue["analytics"], is_active=False)
    assert WhitespaceCell.objects.filter(product=catalogue["analytics"]).exists()
    assert _totals(merger) == _cells_by_account_and_family(merger)
    whitespace_refresh(merger_id=merger.pk)
    assert not WhitespaceCell.objects.filter(product=catalogue["analytics"]).exists()
    assert _totals(merger) == _cells_by_account_and_family(merger)
    product_delete(actor=actor, product=catalogue["sensor_pro"])
    assert _totals(merger) == _cells_by_account_and_family(merger) != {}


def test_the_migration_counts_the_totals_of_existing_programs(merger, program):
    expected = _totals(merger)
    WhitespaceFamilyTotal.objects.all().delete()
    migration = importlib.import_module("accounts.migrations.0029_whitespace_family_total")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_TOTALS)
    assert _totals(merger) == expected != {}


def test_reconcile_finds_a_total_that_differs_from_the_cells(merger, catalogue, program):
    assert list(check_whitespace_family_totals_count_the_cells(merger, [])) == []
    first = WhitespaceFamilyTotal.objects.filter(merger=merger).order_by("pk").first()
    WhitespaceFamilyTotal.objects.filter(pk=first.pk).update(value=first.value + 1)
    WhitespaceFamilyTotal.objects.exclude(pk=first.pk).filter(
        family=catalogue["software"]
    ).order_by("pk").first().delete()
    [mismatch] = check_whitespace_family_totals_count_the_cells(merger, [])
    assert mismatch.found == 2
    assert f"account {first.account_id} x family {first.family_id}" in mismatch.records


def _expected_page_order(merger, family, accounts=None) -> list[int]:
    """What the grid of the family sorted by potential lists, from the cells."""
    cells = WhitespaceCell.objects.filter(merger=merger, product__family=family)
    if accounts is not None:
        cells = cells.filter(account__in=accounts)
    sums: dict[int, Decimal] = {}
    for account_id, value in cells.values_list("account_id", "potential_value"):
        sums[account_id] = sums.get(account_id, Decimal(0)) + value
    names = dict(UnifiedAccount.objects.filter(pk__in=sums).values_list("pk", "name"))
    return sorted(sums, key=lambda pk: (-sums[pk], names[pk], pk))


def _grid(merger, family, *, page=1, size=50, **filters) -> tuple[int, int, list[int]]:
    matrix = whitespace_matrix(
        merger=merger,
        product_family=family.pk,
        sort=MatrixSort.VALUE,
        page=page,
        page_size=size,
        **filters,
    )
    return matrix.total_accounts, matrix.page, [row.id for row in matrix.rows]


@pytest.mark.parametrize("family_name", ["sensors", "software"])
def test_the_grid_of_a_family_by_potential_is_what_its_cells_sum_to(
    merger, catalogue, program, family_name
):
    family = catalogue[family_name]
    expected = _expected_page_order(merger, family)
    assert len(expected) >= 4
    assert _grid(merger, family) == (len(expected), 1, expected)
    assert _grid(merger, family, company=family.company_id) == (len(expected), 1, expected)
    assert _grid(merger, family, page=2, size=3) == (len(expected), 2, expected[3:6])
    last = -(-len(expected) // 3)
    assert _grid(merger, family, page=99, size=3) == (
        len(expected),
        last,
        expected[(last - 1) * 3 :],
    )


def test_ties_are_ordered_by_name_then_id(merger, catalogue, program):
    expected = _expected_page_order(merger, catalogue["sensors"])
    twins = [a.pk for a in program if a.name == "Account 004"]
    assert len(twins) == 2
    assert [pk for pk in expected if pk in twins] == sorted(twins)
    assert _grid(merger, catalogue["sensors"])[2] == expected


def test_the_account_filters_still_apply(merger, catalogue, program):
    segment = factories.SegmentFactory(merger=merger, name="Utilities")
    chosen = program[1::2]
    UnifiedAccount.objects.filter(pk__in=[a.pk for a in chosen]).update(
        segment=segment, segment_source="manual"
    )
    whitespace_refresh(merger_id=merger.pk)
    for family in (catalogue["sensors"], catalogue["software"]):
        expected = _expected_page_order(merger, family, accounts=chosen)
        assert _grid(merger, family, accounts=AccountFilter(segment=segment)) == (
            len(expected),
            1,
            expected,
        )
        searched = [a for a in program if a.name == "Account 004"]
        expected = _expected_page_order(merger, family, accounts=searched)
        assert _grid(merger, family, search="t 004") == (len(expected), 1, expected)


@pytest.mark.parametrize(("page", "queries"), [(1, 6), (2, 6), (99, 8)])
def test_the_totals_and_the_cells_give_the_same_page_in_as_many_queries(
    merger, catalogue, program, page, queries, monkeypatch
):
    """Past the end, the count and the last page cost two more queries, either way."""

    def grid():
        with CaptureQueriesContext(connection) as queries_run:
            matrix = whitespace_matrix(
                merger=merger,
                product_family=catalogue["software"].pk,
                sort=MatrixSort.VALUE,
                page=page,
                page_size=2,
            )
        sums_read = " ".join(query["sql"] for query in queries_run.captured_queries)
        return matrix, len(queries_run), sums_read

    from_totals, counted, sql = grid()
    assert WhitespaceFamilyTotal._meta.db_table in sql
    monkeypatch.setattr(
        "accounts.selectors.whitespace.matrix._whole_family", lambda *args, **kwargs: False
    )
    from_cells, counted_cells, sql = grid()
    assert WhitespaceFamilyTotal._meta.db_table not in sql
    assert from_totals == from_cells
    assert from_totals.rows
    assert counted == counted_cells == queries


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_products_save_does_not_wait_for_a_running_refresh(merger, catalogue, program):
    """A refresh holds the program's lock for as long as it runs (a minute on a large
    program): the product's save goes through at once, and the refresh recounts."""
    before = _totals(merger)
    holding, release = threading.Event(), threading.Event()

    def refresh_running() -> None:
        try:
            with transaction.atomic():
                # The whitespace refresh's own lock.
                Merger.objects.select_for_update(no_key=True).filter(pk=merger.pk).first()
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    refresh = threading.Thread(target=refresh_running)
    refresh.start()
    try:
        assert holding.wait(timeout=10)
        # In the caller's transaction: the refresh the change queues runs (in this
        # process, in tests) once it commits, and would wait for the lock, as it should.
        services = factories.FamilyFactory(company=catalogue["support"].company, name="Services")
        with transaction.atomic():
            started = time.monotonic()
            product_update(
                actor=factories.UserFactory(), product=catalogue["support"], family=services
            )
            saved_in = time.monotonic() - started
            left_to_the_refresh = _totals(merger) == before
            release.set()
    finally:
        release.set()
        refresh.join()
    assert saved_in < 5
    assert left_to_the_refresh
    whitespace_refresh(merger_id=merger.pk)
    assert _totals(merger) == _cells_by_account_and_family(merger) != before
