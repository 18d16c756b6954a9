"""The first viewer after each kind of data change, on the large program.

Each change runs through the program's own services, end to end and timed:
an install-base import (checked, written, then the analysis refresh it
queues, run in this process as in development), the analysis refresh a
matching run ends with, and a whitespace refresh. Then the cache is emptied
(as when the figures' time is up, or on another worker of a per-process cache)
and the first request of the dashboard and of the whitespace heatmap is timed.
"""

import csv
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache

from accounts.imports.columns import INSTALL_BASE
from accounts.models import Holding, LegacyCompany, Merger
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.whitespace import whitespace_refresh
from devtools.bench.imports import file_import_prepare, file_import_run
from devtools.bench.pages import first_request_ms
from devtools.bench.results import Measure, Rule, load_average

IMPORT_ROWS = 1000
VIEWED = (
    ("Program dashboard", "scorecards:dashboard", 1000.0),
    ("Whitespace heatmap", "accounts:whitespace", 500.0),
)


def first_viewer(*, merger: Merger, username: str) -> list[Measure]:
    changes: list[tuple[str, Callable[[], str]]] = [
        (f"an install-base import of {IMPORT_ROWS:,} rows", lambda: _import(merger)),
        ("a matching run's analysis refresh", lambda: _refresh(merger)),
        ("a whitespace refresh", lambda: _whitespace(merger)),
    ]
    measures = []
    for label, change in changes:
        load = load_average()
        started = time.perf_counter()
        note = change()
        seconds = round(time.perf_counter() - started, 2)
        measures.append(
            Measure(
                "first_viewer",
                f"Change: {label}, end to end",
                "large",
                seconds,
                "s",
                rule=Rule.INFO,
                load=load,
                note=note,
            )
        )
        for page, url_name, budget in VIEWED:
            cache.clear()
            load = load_average()
            ms, queries, error = first_request_ms(username=username, url_name=url_name)
            measures.append(
                Measure(
                    "first_viewer",
                    f"{page}, first viewer after {label}",
                    "large",
                    ms,
                    "ms",
                    budget,
                    queries=queries,
                    load=load,
                    note=error or "cache emptied after the change",
                )
            )
    return measures


def _import(merger: Merger) -> str:
    """Re-imports holdings of the acquirer's CRM with every revenue changed."""
    company = merger.companies.get(role=LegacyCompany.Role.ACQUIRER)
    holdings = (
        Holding.objects.filter(account__company=company, origin=Holding.Origin.CRM)
        .order_by("pk")
        .values_list("account__crm_id", "product__code", "annual_revenue", "since")[:IMPORT_ROWS]
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "assets.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["AccountId", "ProductCode", "Price", "InstallDate"])
            for crm_id, code, revenue, since in holdings:
                raised = f"{(revenue or 0) + 1:.2f}"
                writer.writerow([crm_id, code, raised, since.isoformat() if since else ""])
        job = file_import_prepare(merger=merger, company=company, kind=INSTALL_BASE, path=path)
    job = file_import_run(job=job)
    job.file.delete(save=False)
    return f"{job.created_count} new, {job.updated_count} changed holdings"


def _refresh(merger: Merger) -> str:
    result = merger_analysis_refresh(merger_id=merger.pk)
    return ", ".join(f"{key} {value:,}" for key, value in result.items())


def _whitespace(merger: Merger) -> str:
    return f"{whitespace_refresh(merger_id=merger.pk):,} cells"
