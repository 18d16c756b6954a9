"""Celery tasks of the tracker app: each takes ids and calls one service.

The `enqueue_*` functions are the one place these tasks are queued from:
`connect` wires them at start-up to the signals the services send, so no
service imports this module.
"""

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from accounts.models import Merger
from core.signals import program_data_changed
from core.task_queue import enqueue_on_commit, task_send
from tracker.selectors.stale import reps_with_stale_opportunities
from tracker.services.digests import stale_digest_send
from tracker.services.directions import opportunity_directions_refresh
from tracker.services.exchange_rates import amounts_convert_at_rates
from tracker.signals import exchange_rates_changed


@shared_task(name="tracker.send_stale_digest", acks_late=True)
def send_stale_digest(rep_id: int, day: str) -> bool:
    return stale_digest_send(rep_id=rep_id, today=date.fromisoformat(day))


@shared_task(name="tracker.send_stale_digests")
def send_stale_digests() -> int:
    """Beat, daily: one digest per rep with stale opportunities."""
    today = timezone.localdate()
    queued = 0
    for merger_id in Merger.objects.values_list("id", flat=True):
        for rep_id in reps_with_stale_opportunities(merger_id=merger_id, today=today):
            send_stale_digest.delay(rep_id, today.isoformat())
            queued += 1
    return queued


@shared_task(name="tracker.refresh_opportunity_directions", acks_late=True)
def refresh_opportunity_directions(merger_id: int) -> int:
    return opportunity_directions_refresh(merger_id=merger_id)


def enqueue_directions_refresh(*, sender, merger_id: int, **signal_kwargs) -> None:
    """After the CRM data of a program changed (the accounts refresh sends this once it
    has committed), deals follow what the Day-1 install base now says."""
    if sender is Merger:
        task_send(refresh_opportunity_directions, merger_id)


@shared_task(name="tracker.convert_amounts_at_rates", acks_late=True)
def convert_amounts_at_rates(
    merger_id: int, pairs: list[list[str]], actor_id: int | None = None
) -> int:
    """After exchange rates were saved: what depends on them converts (idempotent)."""
    return amounts_convert_at_rates(
        merger_id=merger_id,
        pairs={(currency, date.fromisoformat(month)) for currency, month in pairs},
        actor_id=actor_id,
    )


def enqueue_amounts_conversion(
    *, merger_id: int, pairs: list[tuple[str, str]], actor_id: int | None, **signal_kwargs: Any
) -> None:
    """Once the saved rates commit, what is converted at them follows."""
    enqueue_on_commit(
        convert_amounts_at_rates, merger_id, [list(pair) for pair in pairs], actor_id
    )


def connect() -> None:
    """Wires the signals the tracker follows to its tasks (TrackerConfig.ready)."""
    program_data_changed.connect(
        enqueue_directions_refresh, dispatch_uid="tracker.directions_on_crm_change"
    )
    exchange_rates_changed.connect(
        enqueue_amounts_conversion, dispatch_uid="tracker.enqueue_amounts_conversion"
    )
