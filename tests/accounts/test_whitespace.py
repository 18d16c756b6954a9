"""Whitespace: materialised candidate cells, the matrix, totals, heatmap and prefill."""

from dataclasses import replace
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Count, Sum
from django.utils import translation

from accounts.charts import whitespace_heatmap_figure
from accounts.models import (
    Merger,
    ProductMapping,
    UnifiedAccount,
    WhitespaceAccountTotal,
    WhitespaceCell,
    WhitespaceRollup,
)
from accounts.selectors.whitespace import (
    AccountFilter,
    CellState,
    HeatmapData,
    MatrixSort,
    ProductColumn,
    WhitespaceMatrix,
    whitespace_cell_prefill,
    whitespace_heatmap,
    whitespace_matrix,
    whitespace_totals,
    whitespace_totals_by_direction,
)
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.whitespace import whitespace_refresh
from accounts.signals import whitespace_outdated
from accounts.views.whitespace import HEATMAP_ROW_HEIGHT, heatmap_chart
from tests import factories
from tests.accounts.install_base import account_owning, record


@pytest.fixture
def segment(merger):
    return factories.SegmentFactory(merger=merger, name="Utilities")


@pytest.fixture
def products(acquirer, acquired):
    return {
        # Acquirer (A): sensors; acquired (B): analytics software.
        "sensor": factories.ProductFactory(
            company=acquirer, name="Sensor", typical_deal_size=Decimal("20000")
        ),
        "sensor_pro": factories.ProductFactory(
            company=acquirer, name="Sensor Pro", typical_deal_size=Decimal("24000")
        ),
        "analytics": factories.ProductFactory(
            company=acquired, name="Analytics", typical_deal_size=Decimal("50000")
        ),
        "support": factories.ProductFactory(
            company=acquired,
            name="Support plan",
            typical_deal_size=Decimal("0"),
            list_price=Decimal("3000"),
        ),
    }


@pytest.fixture
def product_map(merger, products):
    def pair(source, target, relation=ProductMapping.Relation.COMPLEMENTARY, **kwargs):
        return factories.ProductMappingFactory(
            merger=merger,
            source=products[source],
            target=products[target],
            relation=relation,
            reason=f"{source} owners need {target}",
            **kwargs,
        )

    return {
        "sensor>analytics": pair("sensor", "analytics"),
        "analytics>sensor": pair("analytics", "sensor"),
        "sensor>sensor_pro": pair("sensor", "sensor_pro", ProductMapping.Relation.UPGRADE),
        "analytics>support": pair("analytics", "support", ProductMapping.Relation.SERVICE),
    }


def _cells(account) -> dict[str, WhitespaceCell]:
    return {
        c.product.name: c
        for c in WhitespaceCell.objects.filter(account=account).select_related("product")
    }


def test_a_customer_of_a_only_is_a_candidate_for_bs_mapped_product(
    merger, acquirer, products, product_map, segment
):
    account = account_owning(merger, acquirer, products["sensor"], segment=segment)
    whitespace_refresh(merger_id=merger.pk)
    cells = _cells(account)
    assert set(cells) == {"Analytics", "Sensor Pro"}
    analytics = cells["Analytics"]
    assert analytics.direction == "b_to_a"
    assert analytics.kind == "cross_sell"
    assert analytics.potential_value == Decimal("50000.00")
    assert analytics.segment == segment
    assert analytics.via == product_map["sensor>analytics"]


def test_a_customer_of_b_only_is_a_candidate_for_as_product(
    merger, acquired, products, product_map
):
    account = account_owning(merger, acquired, products["analytics"])
    whitespace_refresh(merger_id=merger.pk)
    cells = _cells(account)
    assert cells["Sensor"].direction == "a_to_b"
    assert cells["Support plan"].direction == "within"


def test_an_upgrade_mapping_makes_an_upsell_within_the_same_company(
    merger, acquirer, products, product_map
):
    account = account_owning(merger, acquirer, products["sensor"])
    whitespace_refresh(merger_id=merger.pk)
    sensor_pro = _cells(account)["Sensor Pro"]
    assert (sensor_pro.kind, sensor_pro.direction) == ("upsell", "within")


def test_value_falls_back_to_list_price_without_a_typical_deal_size(
    merger, acquired, products, product_map
):
    account = account_owning(merger, acquired, products["analytics"])
    whitespace_refresh(merger_id=merger.pk)
    assert _cells(account)["Support plan"].potential_value == Decimal("3000.00")


def test_owning_the_target_through_another_crm_record_means_no_candidate(
    merger, acquirer, acquired, products, product_map
):
    account = account_owning(merger, acquirer, products["sensor"])
    record(account, acquired, products["analytics"])
    whitespace_refresh(merger_id=merger.pk)
    cells = _cells(account)
    assert "Analytics" not in cells
    assert "Sensor" not in cells
    # Customer of both: support is offered within B's own base.
    assert cells["Support plan"].direction == "within"


def test_a_validated_mapping_wins_when_two_lead_to_the_same_cell(
    merger, acquirer, acquired, products, product_map
):
    validated = factories.ProductMappingFactory(
        merger=merger,
        source=products["sensor_pro"],
        target=products["analytics"],
        validated_with_customers=True,
        reason="Validated in 12 customer interviews",
    )
    account = account_owning(merger, acquirer, products["sensor"], products["sensor_pro"])
    whitespace_refresh(merger_id=merger.pk)
    assert _cells(account)["Analytics"].via == validated


def test_inactive_products_are_not_offered(merger, acquirer, products, product_map):
    products["analytics"].is_active = False
    products["analytics"].save()
    account = account_owning(merger, acquirer, products["sensor"])
    whitespace_refresh(merger_id=merger.pk)
    assert "Analytics" not in _cells(account)


def test_a_prospect_record_without_holdings_gives_no_candidates(
    merger, acquirer, products, product_map
):
    unified = factories.UnifiedAccountFactory(merger=merger)
    record(unified, acquirer, is_customer=False)
    assert whitespace_refresh(merger_id=merger.pk) == 0


def test_refresh_replaces_stale_cells_and_is_idempotent(merger, acquirer, products, product_map):
    account = account_owning(merger, acquirer, products["sensor"])
    assert whitespace_refresh(merger_id=merger.pk) == 2
    record(account, acquirer, products["sensor_pro"])
    assert whitespace_refresh(merger_id=merger.pk) == 1
    assert whitespace_refresh(merger_id=merger.pk) == 1
    assert set(_cells(account)) == {"Analytics"}


def test_refresh_updates_changed_cells_in_place_and_keeps_unchanged_ones(
    merger, acquirer, products, product_map, segment
):
    account = account_owning(merger, acquirer, products["sensor"])
    whitespace_refresh(merger_id=merger.pk)
    before = {name: cell.pk for name, cell in _cells(account).items()}
    products["analytics"].typical_deal_size = Decimal("60000")
    products["analytics"].save()
    UnifiedAccount.objects.filter(pk=account.pk).update(segment=segment, segment_source="manual")
    whitespace_refresh(merger_id=merger.pk)
    after = _cells(account)
    assert {name: cell.pk for name, cell in after.items()} == before
    assert after["Analytics"].potential_value == Decimal("60000.00")
    assert after["Analytics"].segment == segment


def test_refresh_leaves_other_programs_alone(merger, acquirer, products, product_map):
    other_cell = WhitespaceCell.objects.create(
        merger=factories.MergerFactory(),
        account=factories.UnifiedAccountFactory(),
        product=factories.ProductFactory(),
        direction="a_to_b",
    )
    whitespace_refresh(merger_id=merger.pk)
    assert WhitespaceCell.objects.filter(pk=other_cell.pk).exists()


def test_refresh_of_an_unknown_program_does_nothing(db):
    assert whitespace_refresh(merger_id=999_999) == 0


def test_enqueued_refresh_runs_after_commit(
    merger, acquirer, products, product_map, django_capture_on_commit_callbacks
):
    account_owning(merger, acquirer, products["sensor"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        whitespace_outdated.send(sender=Merger, merger_id=merger.pk)
    assert not WhitespaceCell.objects.exists()
    callbacks[0]()
    assert WhitespaceCell.objects.filter(merger=merger).count() == 2


def test_merger_analysis_refresh_runs_statuses_signals_and_whitespace(
    merger, acquirer, products, product_map
):
    account = account_owning(merger, acquirer, products["sensor"])
    result = merger_analysis_refresh(merger_id=merger.pk)
    account.refresh_from_db()
    assert account.status == UnifiedAccount.Status.ACQUIRER_ONLY
    assert account.connection_strength is not None
    assert result["whitespace_cells"] == 2


@pytest.fixture
def segment_of(merger, acquirer, acquired, products, product_map, segment):
    def build(n: int) -> list[UnifiedAccount]:
        accounts = []
        for i in range(n):
            company, product = (
                (acquirer, products["sensor"]) if i % 2 else (acquired, products["analytics"])
            )
            accounts.append(
                account_owning(merger, company, product, segment=segment, name=f"Account {i:03d}")
            )
        whitespace_refresh(merger_id=merger.pk)
        return accounts

    return build


def test_matrix_marks_owned_candidate_and_not_applicable_cells(merger, segment, segment_of):
    segment_of(2)
    matrix = whitespace_matrix(merger=merger, segment=segment)
    assert [p.name for p in matrix.products] == [
        "Sensor",
        "Sensor Pro",
        "Analytics",
        "Support plan",
    ]
    b_customer, a_customer = matrix.rows  # Account 000 owns analytics, 001 the sensor.
    states = {p.name: c.state for p, c in zip(matrix.products, a_customer.cells, strict=True)}
    assert states == {
        "Sensor": CellState.OWNED,
        "Sensor Pro": CellState.CANDIDATE,
        "Analytics": CellState.CANDIDATE,
        "Support plan": CellState.NOT_APPLICABLE,
    }
    analytics = a_customer.cells[2]
    assert (analytics.value, analytics.kind, analytics.direction) == (
        Decimal("50000.00"),
        "cross_sell",
        "b_to_a",
    )
    assert analytics.reason == "sensor owners need analytics"
    # The Sensor Pro upsell is worth 25% of the 12,000 the account pays for its sensor.
    assert a_customer.candidate_value == Decimal("53000.00")
    assert b_customer.candidate_count == 2


def test_candidate_cells_link_to_a_prefilled_new_opportunity(merger, segment, segment_of):
    accounts = segment_of(2)
    matrix = whitespace_matrix(merger=merger, segment=segment)
    url = matrix.rows[1].cells[2].opportunity_url
    parts = urlsplit(url)
    assert parts.path == "/pipeline/new/"
    assert parse_qs(parts.query) == {
        "account": [str(accounts[1].pk)],
        "product": [str(matrix.products[2].id)],
        "kind": ["cross_sell"],
        "direction": ["b_to_a"],
        "amount": ["50000.00"],
    }


@pytest.mark.parametrize("size", [5, 50])
def test_matrix_query_count_does_not_grow_with_the_data(
    merger, segment, segment_of, size, django_assert_num_queries
):
    segment_of(size)
    with django_assert_num_queries(6):
        matrix = whitespace_matrix(merger=merger, segment=segment, page_size=50)
    assert len(matrix.rows) == size
    assert matrix.total_accounts == size


def test_matrix_pages_through_the_segment(merger, segment, segment_of):
    segment_of(5)
    matrix = whitespace_matrix(merger=merger, segment=segment, page=2, page_size=2)
    assert [r.name for r in matrix.rows] == ["Account 002", "Account 003"]
    assert (matrix.total_accounts, matrix.num_pages, matrix.has_next) == (5, 3, True)


def test_matrix_filters_by_direction_and_search(merger, segment, segment_of):
    segment_of(4)
    to_b = whitespace_matrix(merger=merger, segment=segment, direction="a_to_b")
    # Customers of B (even-numbered accounts) are offered A's sensor.
    assert [r.name for r in to_b.rows] == ["Account 000", "Account 002"]
    states = {c.state for r in to_b.rows for c in r.cells}
    assert {c.direction for r in to_b.rows for c in r.cells if c.direction} == {"a_to_b"}
    assert CellState.OWNED in states
    found = whitespace_matrix(merger=merger, segment=segment, search="003")
    assert [r.name for r in found.rows] == ["Account 003"]


def test_matrix_filters_products_by_company_and_family(
    merger, segment, segment_of, acquired, products
):
    family = factories.FamilyFactory(company=acquired, name="Services")
    products["support"].family = family
    products["support"].save()
    segment_of(4)
    by_company = whitespace_matrix(merger=merger, segment=segment, company=acquired.pk)
    # Products are grouped by family; those without one come last.
    assert [p.name for p in by_company.products] == ["Support plan", "Analytics"]
    by_family = whitespace_matrix(merger=merger, segment=segment, product_family=family.pk)
    assert [p.name for p in by_family.products] == ["Support plan"]
    assert [r.name for r in by_family.rows] == ["Account 000", "Account 002"]


def test_totals_per_segment_and_direction_grouped_by_ids_then_named(
    merger, segment_of, django_assert_num_queries
):
    segment_of(4)
    with django_assert_num_queries(2):
        totals = whitespace_totals(merger=merger)
    by_direction = {row["direction"]: row for row in totals}
    assert by_direction["b_to_a"]["count"] == 2
    assert by_direction["b_to_a"]["value"] == Decimal("100000.00")
    assert by_direction["a_to_b"]["value"] == Decimal("40000.00")
    assert all(row["segment_name"] == "Utilities" for row in totals)
    folded = whitespace_totals_by_direction(totals)
    # Within: two Sensor Pro upsells capped at 3,000 and two support plans at 3,000.
    assert folded["within"] == {"count": 4, "value": Decimal("12000.00")}


def test_heatmap_by_segment_and_by_direction(
    merger, segment, segment_of, django_assert_num_queries
):
    segment_of(4)
    # Cells grouped by ids, then product and segment names: never by the joined names.
    with django_assert_num_queries(3):
        overall = whitespace_heatmap(merger=merger)
    assert overall.x_labels == ("Utilities",)
    assert overall.y_labels[0] == "Analytics (Predikt)"
    assert overall.values[0] == (Decimal("100000.00"),)
    within_segment = whitespace_heatmap(merger=merger, segment=segment)
    assert within_segment.x_title == "Direction"
    assert len(within_segment.x_labels) == 3
    assert sum(sum(row) for row in within_segment.counts) == 8


def test_heatmap_figure_has_titles_units_and_the_values():
    data = HeatmapData(
        x_labels=("Utilities", "Automotive"),
        y_labels=("Analytics (B)",),
        values=((Decimal("100000.00"), Decimal("0")),),
        counts=((2, 0),),
        x_title="Segment",
        y_title="Product",
        currency="EUR",
    )
    figure = whitespace_heatmap_figure(data)
    (trace,) = figure["data"]
    layout = figure["layout"]
    assert trace["type"] == "heatmap"
    assert trace["z"][0] == [100000.0, 0.0]
    assert trace["x"] == ["Utilities", "Automotive"]
    assert "EUR" in layout["title"]["text"]
    assert layout["xaxis"]["title"]["text"] == "Segment"
    assert layout["yaxis"]["title"]["text"] == "Product"
    assert trace["colorbar"]["title"]["text"] == "EUR"
    assert "EUR" in trace["hovertemplate"]


def test_prefill_from_a_candidate_cell(merger, acquirer, products, product_map):
    account = account_owning(merger, acquirer, products["sensor"])
    UnifiedAccount.objects.filter(pk=account.pk).update(
        recommendation="upsell_only", recommendation_reason="Promotion maximizer"
    )
    whitespace_refresh(merger_id=merger.pk)
    prefill = whitespace_cell_prefill(
        merger=merger, account_id=account.pk, product_id=products["sensor_pro"].pk
    )
    assert prefill == {
        "account": account.pk,
        "product": products["sensor_pro"].pk,
        "kind": "upsell",
        "direction": "within",
        # 25% of the 12,000 a year the account pays for the sensor it upgrades.
        "amount": Decimal("3000.00"),
        "reason": "sensor owners need sensor_pro",
        "recommendation": "upsell_only",
        "recommendation_reason": "Promotion maximizer",
    }


def test_prefill_of_another_programs_cell_does_not_exist(merger, acquirer, products, product_map):
    account = account_owning(merger, acquirer, products["sensor"])
    whitespace_refresh(merger_id=merger.pk)
    with pytest.raises(WhitespaceCell.DoesNotExist):
        whitespace_cell_prefill(
            merger=factories.MergerFactory(),
            account_id=account.pk,
            product_id=products["sensor_pro"].pk,
        )


def _column(pk: int, *, code: str, family: str, company: str = "Sensa") -> ProductColumn:
    return ProductColumn(
        id=pk,
        name=f"Product {pk}",
        code=code,
        company_id=1,
        company_short_name=company,
        company_role="acquirer",
        family_name=family,
    )


def test_product_columns_have_short_labels_and_group_by_family():
    columns = (
        _column(1, code="SEN-VIB-100", family="Vibration"),
        _column(2, code="SEN-VIB-300", family="Vibration"),
        _column(3, code="", family="Support"),
        _column(4, code="CMMS", family="Support", company="Predikt"),
    )
    assert [c.short_label for c in columns] == ["VIB-100", "VIB-300", "Product 3", "CMMS"]
    assert columns[0].full_label == "Product 1 (Sensa)"
    matrix = WhitespaceMatrix(products=columns, rows=(), page=1, page_size=50, total_accounts=0)
    assert [(g.family_name, g.company_short_name, g.span) for g in matrix.product_groups] == [
        ("Vibration", "Sensa", 2),
        ("Support", "Sensa", 1),
        ("Support", "Predikt", 1),
    ]


def test_refresh_keeps_each_accounts_total_potential(merger, acquirer, products, product_map):
    owner = account_owning(merger, acquirer, products["sensor"])
    bystander = factories.UnifiedAccountFactory(merger=merger)
    whitespace_refresh(merger_id=merger.pk)
    owner.refresh_from_db()
    cells = _cells(owner)
    assert len(cells) == 2  # analytics (cross-sell) and sensor pro (upsell)
    assert owner.whitespace_value == sum(c.potential_value for c in cells.values())
    # Once the account owns the analytics too, a refresh of it alone lowers its total.
    record(owner, acquirer, products["analytics"])
    whitespace_refresh(merger_id=merger.pk, account_ids=[owner.pk])
    owner.refresh_from_db()
    bystander.refresh_from_db()
    assert owner.whitespace_value == sum(c.potential_value for c in _cells(owner).values())
    assert owner.whitespace_value < sum(c.potential_value for c in cells.values())
    assert bystander.whitespace_value == 0


def _heat(products: int, columns: tuple[str, ...]) -> HeatmapData:
    return HeatmapData(
        x_labels=columns,
        y_labels=tuple(f"Product {i}" for i in range(products)),
        values=tuple(tuple(Decimal("1") for _ in columns) for _ in range(products)),
        counts=tuple(tuple(1 for _ in columns) for _ in range(products)),
        x_title="Segment",
        y_title="Product",
        currency="USD",
    )


def test_the_heatmap_grows_with_the_products_and_breaks_labels_between_words():
    segments = ("Discrete manufacturing, mid-market, North America", "Mining", "Oil", "Gas", "X")
    small = heatmap_chart(_heat(5, segments)).figure["layout"]
    large = heatmap_chart(_heat(60, segments)).figure["layout"]
    assert large["height"] - small["height"] == 55 * HEATMAP_ROW_HEIGHT
    assert large["height"] >= 60 * HEATMAP_ROW_HEIGHT
    assert (
        large["xaxis"]["ticktext"][0]
        == "Discrete<br>manufacturing,<br>mid-market,<br>North<br>America"
    )


def _rollup(merger) -> dict:
    return {
        (r.segment_id, r.product_id, r.direction): (r.cells, r.value)
        for r in WhitespaceRollup.objects.filter(merger=merger)
    }


def _grouped_cells(merger) -> dict:
    rows = (
        WhitespaceCell.objects.filter(merger=merger)
        .values("segment_id", "product_id", "direction")
        .annotate(n=Count("id"), value=Sum("potential_value"))
        .order_by()
    )
    return {(r["segment_id"], r["product_id"], r["direction"]): (r["n"], r["value"]) for r in rows}


def test_the_rollup_counts_the_cells_after_a_whole_and_an_accounts_refresh(
    merger, acquirer, products, segment, segment_of
):
    accounts = segment_of(6)
    assert _rollup(merger) == _grouped_cells(merger) != {}
    # One account buys a product it was offered, another moves out of the segment: only
    # their cells are refreshed, and the rollup follows by the difference.
    record(accounts[1], acquirer, products["sensor_pro"])
    UnifiedAccount.objects.filter(pk=accounts[3].pk).update(segment=None, segment_source="manual")
    whitespace_refresh(merger_id=merger.pk, account_ids=[accounts[1].pk, accounts[3].pk])
    assert _rollup(merger) == _grouped_cells(merger)
    whitespace_refresh(merger_id=merger.pk, account_ids=[a.pk for a in accounts])
    assert _rollup(merger) == _grouped_cells(merger)
    whitespace_refresh(merger_id=merger.pk)
    assert _rollup(merger) == _grouped_cells(merger)


def _direction_totals(merger) -> dict:
    return {
        (t.account_id, t.direction): (t.cells, t.value)
        for t in WhitespaceAccountTotal.objects.filter(merger=merger)
    }


def _cells_by_account_and_direction(merger) -> dict:
    rows = (
        WhitespaceCell.objects.filter(merger=merger)
        .values("account_id", "direction")
        .annotate(n=Count("id"), value=Sum("potential_value"))
        .order_by()
    )
    return {(r["account_id"], r["direction"]): (r["n"], r["value"]) for r in rows}


def test_the_accounts_totals_per_direction_count_the_cells_after_every_refresh(
    merger, acquirer, products, segment, segment_of
):
    accounts = segment_of(6)
    assert _direction_totals(merger) == _cells_by_account_and_direction(merger) != {}
    record(accounts[1], acquirer, products["sensor_pro"])
    record(accounts[2], acquirer, products["sensor"])
    whitespace_refresh(merger_id=merger.pk, account_ids=[accounts[1].pk, accounts[2].pk])
    assert _direction_totals(merger) == _cells_by_account_and_direction(merger)
    whitespace_refresh(merger_id=merger.pk)
    assert _direction_totals(merger) == _cells_by_account_and_direction(merger)


@pytest.mark.parametrize("direction", ["a_to_b", "b_to_a", "within"])
def test_sorting_one_direction_by_value_lists_what_its_cells_sum_to(
    merger, acquirer, acquired, products, segment, segment_of, direction
):
    accounts = segment_of(7)
    # Customers of both, and different upsell values: totals that differ per direction.
    factories.HoldingFactory(
        account=record(accounts[0], acquirer),
        product=products["sensor"],
        annual_revenue=Decimal("9000"),
    )
    record(accounts[3], acquired, products["analytics"])
    whitespace_refresh(merger_id=merger.pk)
    names = {a.pk: a.name for a in accounts}
    sums = {
        account_id: value
        for (account_id, cell_direction), (_n, value) in _cells_by_account_and_direction(
            merger
        ).items()
        if cell_direction == direction
    }
    expected = sorted(sums, key=lambda pk: (-sums[pk], names[pk], pk))
    assert len(expected) >= 2

    def page(number: int, size: int) -> list[int]:
        matrix = whitespace_matrix(
            merger=merger, direction=direction, sort=MatrixSort.VALUE, page_size=size, page=number
        )
        assert matrix.total_accounts == len(expected)
        return [row.id for row in matrix.rows]

    assert page(1, 50) == expected
    assert page(2, 1) == expected[1:2]


@pytest.mark.parametrize("direction", [None, "within", "a_to_b"])
def test_sorting_a_product_family_by_value_lists_what_its_cells_sum_to(
    merger, acquirer, acquired, products, segment, segment_of, direction
):
    family = factories.FamilyFactory(company=acquired, name="Software")
    for name in ("analytics", "support"):
        products[name].family = family
        products[name].save()
    accounts = segment_of(7)
    record(accounts[3], acquired, products["analytics"])
    whitespace_refresh(merger_id=merger.pk)
    names = {a.pk: a.name for a in accounts}
    cells = WhitespaceCell.objects.filter(merger=merger, product__family=family)
    if direction:
        cells = cells.filter(direction=direction)
    sums: dict[int, Decimal] = {}
    for account_id, value in cells.values_list("account_id", "potential_value"):
        sums[account_id] = sums.get(account_id, Decimal(0)) + value
    expected = sorted(sums, key=lambda pk: (-sums[pk], names[pk], pk))

    def page(number: int, size: int) -> list[int]:
        matrix = whitespace_matrix(
            merger=merger,
            direction=direction,
            product_family=family.pk,
            sort=MatrixSort.VALUE,
            page_size=size,
            page=number,
        )
        assert matrix.total_accounts == len(expected)
        return [row.id for row in matrix.rows]

    assert page(1, 50) == expected
    assert page(2, 1) == expected[1:2]


def test_sorting_products_by_value_keeps_the_account_filters_and_the_last_page(
    merger, acquirer, acquired, products, segment, segment_of
):
    family = factories.FamilyFactory(company=acquired, name="Software")
    for name in ("analytics", "support"):
        products[name].family = family
        products[name].save()
    accounts = segment_of(12)
    elsewhere = factories.SegmentFactory(merger=merger, name="Retail")
    account_owning(merger, acquirer, products["sensor"], segment=elsewhere, name="Account 900")
    whitespace_refresh(merger_id=merger.pk)
    sums: dict[int, Decimal] = {}
    cells = WhitespaceCell.objects.filter(
        merger=merger,
        product__family=family,
        account__segment=segment,
        account__name__icontains="count 00",
    )
    for account_id, value in cells.values_list("account_id", "potential_value"):
        sums[account_id] = sums.get(account_id, Decimal(0)) + value
    names = {a.pk: a.name for a in accounts}
    expected = sorted(sums, key=lambda pk: (-sums[pk], names[pk], pk))
    assert 2 < len(expected) < len(accounts)

    def page(number: int, size: int) -> tuple[int, list[int]]:
        matrix = whitespace_matrix(
            merger=merger,
            accounts=AccountFilter(segment=segment, search="count 00"),
            product_family=family.pk,
            sort=MatrixSort.VALUE,
            page_size=size,
            page=number,
        )
        assert matrix.total_accounts == len(expected)
        return matrix.page, [row.id for row in matrix.rows]

    assert page(1, 50) == (1, expected)
    last = -(-len(expected) // 2)
    assert page(99, 2) == (last, expected[(last - 1) * 2 :])


@pytest.mark.parametrize(("persona", "links"), [("rep_user", True), ("executive_user", False)])
def test_candidate_cells_link_to_the_new_deal_form_only_for_who_may_log_one(
    request, client, merger, segment, segment_of, persona, links
):
    """Executives read the whitespace; a link to a form they may not open would end
    on "Not allowed"."""
    segment_of(2)
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/whitespace/").text
    assert page.count("whitespace-cell--candidate whitespace-cell--") == 4
    assert ('href="/pipeline/new/?' in page) is links
    assert ("Select to log an opportunity." in page) is links
    assert ("Select a candidate to open a new opportunity" in page) is links
    if not links:
        assert client.get("/pipeline/new/").status_code == 403


def test_the_heatmaps_data_table_shows_whole_amounts_grouped_for_the_reader():
    data = replace(
        _heat(1, ("Mining",)), values=((Decimal("54772060.9600000"),),)
    )  # a sum as the database returns it
    with translation.override("ru"):
        rows_html = heatmap_chart(data).rows_html
    assert "54\xa0772\xa0061" in rows_html
    assert "9600000" not in rows_html
