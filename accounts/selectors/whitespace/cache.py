"""The cache of the whitespace's aggregates, made stale by each whitespace refresh."""

import datetime as dt
import time
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

from accounts.models import Merger

# Totals and heatmaps sum the merger's rollup (thousands of rows, where grouping
# its million cells took seconds) and change only when the whitespace is
# refreshed. They are also cached under a stamp that each refresh renews; the
# timeout bounds staleness where the cache is per process.
AGGREGATE_CACHE_SECONDS = 15 * 60


def _stamp_key(merger_id: int, created_at: dt.datetime) -> str:
    # The creation time keeps keys apart when a database reuses a merger id.
    return f"accounts:whitespace-stamp:{merger_id}:{created_at.timestamp()}"


def whitespace_cache_renew(*, merger_id: int, created_at: dt.datetime) -> None:
    """Makes every cached aggregate of the merger's whitespace stale."""
    cache.set(_stamp_key(merger_id, created_at), time.time_ns(), None)


def cached[T](merger: Merger, name: str, compute: Callable[[], T]) -> T:
    stamp = cache.get_or_set(_stamp_key(merger.pk, merger.created_at), time.time_ns, None)
    key = f"accounts:whitespace:{merger.pk}:{stamp}:{get_language()}:{name}"
    return cache.get_or_set(key, compute, AGGREGATE_CACHE_SECONDS)
