"""The heatmap: potential value per product x segment, or x direction within a segment."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from accounts.models import Direction, Merger, Product, Segment, WhitespaceRollup
from accounts.selectors.whitespace.cache import cached
from accounts.selectors.whitespace.grid import ZERO


@dataclass(frozen=True)
class HeatmapData:
    """Potential value per product (rows) x segment or direction (columns)."""

    x_labels: tuple[str, ...]
    y_labels: tuple[str, ...]
    values: tuple[tuple[Decimal, ...], ...]
    counts: tuple[tuple[int, ...], ...]
    x_title: str
    y_title: str
    currency: str


def whitespace_heatmap(
    *, merger: Merger, segment: Segment | None = None, unsegmented: bool = False
) -> HeatmapData:
    """Product x segment for the whole merger, or product x direction within a segment
    (or among the accounts without a segment, when `unsegmented`).

    Three queries (cached): the cells grouped by ids, then the product and segment
    names; products and segments without candidates are left out.
    """
    scope = "none" if unsegmented else segment.pk if segment is not None else "all"
    return cached(
        merger, f"heatmap:{scope}", lambda: _whitespace_heatmap(merger, segment, unsegmented)
    )


def _whitespace_heatmap(
    merger: Merger, segment: Segment | None, unsegmented: bool = False
) -> HeatmapData:
    # The rollup (thousands of rows, kept by the whitespace refresh) rather than the
    # cells (a million on the large program), grouped by ids only and names looked up
    # afterwards: grouping the cells by their joined names made PostgreSQL sort wide
    # rows and spill to disk (3.3 s on the large program, 0.25 s by ids).
    cells = WhitespaceRollup.objects.filter(merger=merger)
    by_segment = segment is None and not unsegmented
    if by_segment:
        column_key = "segment_id"
        x_title = _("Segment")
    else:
        cells = cells.filter(Q(segment__isnull=True) if unsegmented else Q(segment=segment))
        column_key = "direction"
        x_title = _("Direction")
    rows = list(
        cells.values("product_id", column_key)
        .annotate(count=Sum("cells"), value=Sum("value"))
        .order_by()
    )
    product_names = {
        pk: f"{name} ({short_name})"
        for pk, name, short_name in Product.objects.filter(
            company__merger=merger, pk__in={row["product_id"] for row in rows}
        ).values_list("pk", "name", "company__short_name")
    }
    segment_names = (
        dict(Segment.objects.filter(merger=merger).values_list("pk", "name")) if by_segment else {}
    )
    columns: dict[Any, str] = {}
    products: dict[int, str] = {}
    value: dict[tuple[int, Any], Decimal] = {}
    count: dict[tuple[int, Any], int] = {}
    for row in rows:
        key = row[column_key]
        if by_segment:
            columns[key] = segment_names.get(key) or _("No segment")
        else:
            columns[key] = str(Direction(key).label)
        products[row["product_id"]] = product_names[row["product_id"]]
        value[(row["product_id"], key)] = row["value"] or ZERO
        count[(row["product_id"], key)] = row["count"]
    if by_segment:
        x_keys = sorted(columns, key=lambda k: (k is None, columns[k].lower()))
    else:
        x_keys = [d for d in Direction.values if d in columns]
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (product_id, _key), amount in value.items():
        totals[product_id] += amount
    # Largest potential first, so the heatmap's top rows are where to look.
    y_keys = sorted(products, key=lambda p: (-totals[p], products[p].lower()))
    return HeatmapData(
        x_labels=tuple(columns[k] for k in x_keys),
        y_labels=tuple(products[p] for p in y_keys),
        values=tuple(tuple(value.get((p, k), ZERO) for k in x_keys) for p in y_keys),
        counts=tuple(tuple(count.get((p, k), 0) for k in x_keys) for p in y_keys),
        x_title=x_title,
        y_title=_("Product"),
        currency=merger.reporting_currency,
    )
