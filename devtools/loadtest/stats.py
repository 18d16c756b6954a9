"""Locust's final statistics (its --json-file) as the numbers the report shows."""

import json
from collections import Counter
from pathlib import Path
from typing import Any


def locust_stats(*, path: Path, seconds: float) -> dict[str, Any]:
    """Throughput, latency percentiles and failures: for the run and per endpoint group.

    A group is a request name of the locustfile ("rep: log opportunity"), over
    every HTTP method it used.
    """
    entries = json.loads(path.read_text())
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(entry["name"], []).append(entry)
    total = _figures(entries)
    total["requests_per_second"] = round(total["requests"] / seconds, 1) if seconds else 0.0
    return {
        "total": total,
        "groups": {name: _figures(group) for name, group in sorted(groups.items())},
    }


def _figures(entries: list[dict]) -> dict[str, Any]:
    times: Counter = Counter()
    for entry in entries:
        times.update({int(ms): count for ms, count in entry["response_times"].items()})
    return {
        "requests": sum(entry["num_requests"] for entry in entries),
        "failures": sum(entry["num_failures"] for entry in entries),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "max_ms": round(max((entry["max_response_time"] for entry in entries), default=0), 1),
    }


def percentile(times: Counter, share: float) -> int:
    """The response time (ms, as locust rounds it) below which `share` of the requests fall."""
    wanted = share * sum(times.values())
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= wanted:
            return ms
    return 0
