"""Materialise the whitespace: which unified accounts are candidates for which products.

The whitespace of a large merger (100k accounts, 1M holdings) is read on every
whitespace page, so it is computed here once per change, set-based, and stored
as `WhitespaceCell` rows: for the whole program after imports and product-map
changes, for a few accounts after a deal on them changes.
"""

from collections.abc import Collection
from decimal import Decimal
from functools import partial

from django.db import connection, transaction
from django.db.models import Count, Sum

from accounts.models import (
    ZERO,
    Merger,
    WhitespaceAccountTotal,
    WhitespaceCell,
    WhitespaceFamilyTotal,
    WhitespaceRollup,
)
from accounts.pipeline import pairs_in_pipeline
from accounts.selectors.whitespace import whitespace_cache_renew
from accounts.services.product_spend import product_spend_refresh
from accounts.services.whitespace_sql import (
    BUSY,
    NEXT,
    apply_sql,
    candidates_sql,
    direction_totals_sql,
    family_totals_insert_sql,
    family_totals_sql,
    params_for,
)


def whitespace_refresh(*, merger_id: int, account_ids: Collection[int] | None = None) -> int:
    """Recompute the whitespace cells of the merger, or of `account_ids` only; returns how
    many candidates there are (in that scope).

    Candidates (see accounts.services.whitespace_sql for the rules): an account
    that owns a mapped source product but not its target, or a prospect or
    greenfield account for the products most of its segment's customers own.
    Never a pair the account owns (CRM or won deal) or has an open deal on.

    The whole program's refresh first recounts what customers pay per segment
    and product (`ProductSpend`), which values the cells; an accounts' refresh
    reads those counts, which wins never change.

    The new candidates go to a temporary table first; then cells no longer
    candidates are deleted, changed ones updated and new ones inserted. Most
    refreshes change few cells, and rewriting a million rows (with their
    index entries and foreign-key checks) took minutes where the diff takes
    seconds; cell ids also stay stable for API clients. All of it runs in one
    transaction under a lock on the merger row, so readers see the old or the
    new whitespace, never half of it, and two refreshes of one merger never
    interleave. Idempotent.
    """
    scope = None if account_ids is None else sorted(set(account_ids))
    if scope == []:
        return 0
    with transaction.atomic():
        # NO KEY: refreshes of one program wait for each other, while writes of rows that
        # point at the program (a deal, a product, its history) go on; a plain FOR UPDATE
        # held them for the whole refresh, a minute on a large program.
        merger = (
            Merger.objects.select_for_update(no_key=True)
            .filter(pk=merger_id)
            .only("created_at")
            .first()
        )
        if merger is None:
            return 0
        if scope is None:
            product_spend_refresh(merger_id=merger_id)
        busy = pairs_in_pipeline(merger_id=merger_id, account_ids=scope)
        count = _materialise(merger_id, scope, busy)
        renew = partial(whitespace_cache_renew, merger_id=merger_id, created_at=merger.created_at)
        # Now for this process, and again once committed for every reader.
        renew()
        transaction.on_commit(renew)
    return count


def _materialise(merger_id: int, scope: list[int] | None, busy: set[tuple[int, int]]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BUSY}")
        cursor.execute(f"CREATE TEMPORARY TABLE {BUSY} (account_id BIGINT, product_id BIGINT)")
        if busy:
            cursor.executemany(f"INSERT INTO {BUSY} VALUES (%s, %s)", sorted(busy))
        cursor.execute(f"CREATE INDEX {BUSY}_pair ON {BUSY} (account_id, product_id)")
        cursor.execute(f"DROP TABLE IF EXISTS {NEXT}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {NEXT} AS {candidates_sql(scope)}",
            params_for(merger_id, scope),
        )
        cursor.execute(f"CREATE INDEX {NEXT}_cell ON {NEXT} (account_id, product_id)")
        cursor.execute(f"ANALYZE {NEXT}")
        before = _scope_totals(merger_id, scope) if scope is not None else None
        for statement, params in apply_sql(merger_id, scope):
            cursor.execute(statement, params)
        if before is None:
            whitespace_rollup_recount(merger_id=merger_id)
        else:
            _rollup_adjust(merger_id, before, _scope_totals(merger_id, scope))
            for statement, params in (
                *direction_totals_sql(merger_id, scope),
                *family_totals_sql(merger_id, scope),
            ):
                cursor.execute(statement, params)
        cursor.execute(f"SELECT COUNT(*) FROM {NEXT}")
        (count,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {NEXT}")
        cursor.execute(f"DROP TABLE {BUSY}")
    return count


type RollupKey = tuple[int | None, int, str]  # segment, product, direction
type Totals = dict[RollupKey, tuple[int, Decimal]]


def whitespace_rollup_recount(*, merger_id: int) -> None:
    """The program's rollup and its accounts' totals per direction and per product family
    counted again from its cells: a DELETE and an INSERT ... SELECT each.

    The whole program's refresh recounts them so; this is also for cells written
    another way (data set up by hand).
    """
    rollup, cell = WhitespaceRollup._meta.db_table, WhitespaceCell._meta.db_table
    total = WhitespaceAccountTotal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {total} WHERE merger_id = %s", [merger_id])
        cursor.execute(
            f"INSERT INTO {total} (merger_id, account_id, direction, cells, value) "
            "SELECT merger_id, account_id, direction, COUNT(*), SUM(potential_value) "
            f"FROM {cell} WHERE merger_id = %s GROUP BY merger_id, account_id, direction",
            [merger_id],
        )
        family_total = WhitespaceFamilyTotal._meta.db_table
        cursor.execute(f"DELETE FROM {family_total} WHERE merger_id = %s", [merger_id])
        cursor.execute(*family_totals_insert_sql(cell, " AND c.merger_id = %s", [merger_id]))
        cursor.execute(f"DELETE FROM {rollup} WHERE merger_id = %s", [merger_id])
        cursor.execute(
            f"INSERT INTO {rollup} (merger_id, segment_id, product_id, direction, cells, value) "
            "SELECT merger_id, segment_id, product_id, direction, COUNT(*), SUM(potential_value) "
            f"FROM {cell} WHERE merger_id = %s "
            "GROUP BY merger_id, segment_id, product_id, direction",
            [merger_id],
        )


def whitespace_family_recount(*, merger_id: int, family_ids: Collection[int | None]) -> None:
    """These product families' account totals counted again from the cells.

    For a product moved between families or (de)activated: the grid of a family reads
    its totals at once, before the refresh that follows has run. Under the refresh's
    lock on the merger row, so that the two never write the same rows at once; while a
    refresh holds it (a minute on a large program) the product's save does not wait:
    that refresh, or the one the change queues after it, recounts every family."""
    ids = sorted({pk for pk in family_ids if pk is not None})
    if not ids:
        return
    locked = (
        Merger.objects.select_for_update(no_key=True, skip_locked=True)
        .filter(pk=merger_id)
        .values_list("pk", flat=True)
        .first()
    )
    if locked is None:
        return
    family_total, cell = WhitespaceFamilyTotal._meta.db_table, WhitespaceCell._meta.db_table
    in_families = f"family_id IN ({', '.join(['%s'] * len(ids))})"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {family_total} WHERE {in_families}", ids)
        cursor.execute(*family_totals_insert_sql(cell, f" AND p.{in_families}", ids))


def _scope_totals(merger_id: int, scope: list[int]) -> Totals:
    rows = (
        WhitespaceCell.objects.filter(merger_id=merger_id, account_id__in=scope)
        .values("segment_id", "product_id", "direction")
        .annotate(n=Count("id"), value=Sum("potential_value"))
        .order_by()
    )
    return {
        (row["segment_id"], row["product_id"], row["direction"]): (row["n"], row["value"])
        for row in rows
    }


def _rollup_adjust(merger_id: int, before: Totals, after: Totals) -> None:
    """Adds what a few accounts' cells changed to the rollup rows they fall in."""
    for key in before.keys() | after.keys():
        cells_before, value_before = before.get(key, (0, ZERO))
        cells_after, value_after = after.get(key, (0, ZERO))
        if (cells_before, value_before) == (cells_after, value_after):
            continue
        segment_id, product_id, direction = key
        row = WhitespaceRollup.objects.filter(
            merger_id=merger_id, segment_id=segment_id, product_id=product_id, direction=direction
        ).first() or WhitespaceRollup(
            merger_id=merger_id,
            segment_id=segment_id,
            product_id=product_id,
            direction=direction,
            cells=0,
            value=ZERO,
        )
        row.cells += cells_after - cells_before
        row.value += value_after - value_before
        if row.cells <= 0:
            if row.pk:
                row.delete()
        else:
            row.save()
