"""After the run: does the database hold exactly what the clients were told was written?

The ledger lists every write the server confirmed (a 201, a 200, a 202).
Nothing confirmed may be missing, nothing unconfirmed may have been written,
and every opportunity's version and history must add up to its writes.
"""

import json
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count

from scorecards.models import ExportJob
from tracker.models import Opportunity, OpportunityChange, Stage


def ledger_read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def loadtest_check(*, ledger: list[dict[str, Any]], started: datetime) -> dict[str, Any]:
    """Every problem found, by kind, with the counts that were compared."""
    created = [entry["id"] for entry in ledger if entry["kind"] == "created"]
    updates: dict[int, list[dict]] = defaultdict(list)
    for entry in ledger:
        if entry["kind"] == "updated":
            updates[entry["id"]].append(entry)
    exports = [entry["id"] for entry in ledger if entry["kind"] == "export"]
    problems: list[str] = []
    problems += _creations(created, started)
    problems += _updates(created, updates)
    problems += _duplicates()
    problems += _exports(exports, started)
    return {
        "created": len(created),
        "updated": sum(len(rows) for rows in updates.values()),
        "conflicts": sum(1 for entry in ledger if entry["kind"] == "conflict"),
        "exports": len(exports),
        "problems": problems,
    }


def _creations(created: list[int], started: datetime) -> list[str]:
    problems = []
    twice = [pk for pk, times in Counter(created).items() if times > 1]
    if twice:
        problems.append(f"ids confirmed as created more than once: {twice[:10]}")
    found = set(Opportunity.objects.filter(pk__in=created).values_list("pk", flat=True))
    missing = sorted(set(created) - found)
    if missing:
        problems.append(f"confirmed opportunities missing: {missing[:10]}")
    written = Opportunity.objects.filter(created_at__gte=started).count()
    if written != len(set(created)):
        problems.append(
            f"{written} opportunities written during the run, {len(created)} confirmed"
        )
    return problems


def _updates(created: list[int], updates: dict[int, list[dict]]) -> list[str]:
    problems = []
    rows = Opportunity.objects.filter(pk__in=created).values_list("pk", "version", "stage_id")
    history = _history(created)
    for pk, version, stage in rows:
        confirmed = sorted(updates.get(pk, []), key=lambda entry: entry["version"])
        if version != 1 + len(confirmed):
            problems.append(f"#{pk}: version {version} after {len(confirmed)} confirmed updates")
        if confirmed and stage != confirmed[-1]["stage"]:
            problems.append(f"#{pk}: stage {stage}, last confirmed {confirmed[-1]['stage']}")
        writes, stage_rows, creations = history.get(pk, (0, 0, 0))
        if (writes, stage_rows, creations) != (1 + len(confirmed), len(confirmed), 1):
            problems.append(
                f"#{pk}: history has {creations} creation, {stage_rows} stage changes and "
                f"{writes} writes for {len(confirmed)} confirmed updates"
            )
    return problems


def _history(ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Per opportunity: distinct write moments, stage-change rows, creation rows."""
    found: dict[int, tuple[int, int, int]] = {}
    changes = OpportunityChange.objects.filter(opportunity_id__in=ids)
    moments = changes.values("opportunity_id").annotate(writes=Count("changed_at", distinct=True))
    stages = Counter(changes.filter(field="stage").values_list("opportunity_id", flat=True))
    creations = Counter(
        changes.filter(action=OpportunityChange.Action.CREATED).values_list(
            "opportunity_id", flat=True
        )
    )
    for row in moments:
        pk = row["opportunity_id"]
        found[pk] = (row["writes"], stages[pk], creations[pk])
    return found


def _duplicates() -> list[str]:
    doubled = (
        Opportunity.objects.filter(outcome=Stage.Outcome.OPEN)
        .values("account_id", "product_id")
        .annotate(open=Count("pk"))
        .filter(open__gt=1)
    )
    return [f"{row['open']} open opportunities for one account and product" for row in doubled]


def _exports(exports: list[int], started: datetime) -> list[str]:
    problems = []
    jobs = ExportJob.objects.filter(pk__in=exports)
    failed = [job.pk for job in jobs if job.status != ExportJob.Status.SUCCEEDED or not job.file]
    if failed:
        problems.append(f"exports not built: {failed[:10]}")
    asked = ExportJob.objects.filter(created_at__gte=started).count()
    if asked != len(set(exports)):
        problems.append(f"{asked} exports written during the run, {len(exports)} confirmed")
    return problems
