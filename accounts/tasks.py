"""Celery tasks of the accounts app: each takes ids and calls one service.

The `enqueue_*` functions are the one place these tasks are queued from: the
services announce what changed (accounts.signals) and `connect` wires each
announcement to its enqueue at start-up, so no service imports this module.
"""

from functools import partial
from typing import Any

from celery import shared_task

from accounts import signals
from accounts.models import Merger
from accounts.services.imports import (
    ImportInterrupted,
    import_give_up,
    import_jobs_fail_stalled,
    import_not_started,
    import_run,
)
from accounts.services.matching import accounts_match
from accounts.services.overlap import account_statuses_refresh
from accounts.services.ownership import product_ownership_refresh
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.whitespace import whitespace_refresh
from core.task_queue import enqueue_on_commit


@shared_task(name="accounts.refresh_account_statuses", acks_late=True)
def refresh_account_statuses(merger_id: int) -> int:
    return account_statuses_refresh(merger_id=merger_id)


@shared_task(name="accounts.refresh_whitespace", acks_late=True)
def refresh_whitespace(merger_id: int) -> int:
    return whitespace_refresh(merger_id=merger_id)


@shared_task(name="accounts.refresh_product_ownership", acks_late=True)
def refresh_product_ownership(merger_id: int) -> int:
    return product_ownership_refresh(merger_id=merger_id)


@shared_task(name="accounts.refresh_merger_analysis", acks_late=True)
def refresh_merger_analysis(merger_id: int) -> dict[str, int]:
    return merger_analysis_refresh(merger_id=merger_id)


IMPORT_RETRIES = 3
IMPORT_RETRY_SECONDS = 5


@shared_task(bind=True, name="accounts.import_run", acks_late=True, max_retries=IMPORT_RETRIES)
def import_run_task(self, job_id: int, attempt: int | None = None) -> str:
    """Re-delivery is safe: a job that already succeeded is returned untouched.

    A run that lost its database connection wrote nothing and is tried again,
    a little later each time; after the last try the job fails and can be
    started again by hand.
    """
    try:
        return import_run(job_id=job_id, attempt=attempt).status
    except ImportInterrupted as interrupted:
        if self.request.retries >= self.max_retries:
            return import_give_up(job_id=job_id).status
        raise self.retry(
            exc=interrupted, countdown=IMPORT_RETRY_SECONDS * 2**self.request.retries
        ) from interrupted


@shared_task(name="accounts.match_accounts", acks_late=True)
def match_accounts_task(merger_id: int) -> dict[str, int]:
    """Idempotent: a re-run over unchanged data writes nothing."""
    result = accounts_match(merger=Merger.objects.get(pk=merger_id))
    return {
        "records": result.records,
        "auto_matches": result.auto_matches,
        "review_candidates": result.review_candidates,
        "new_accounts": result.new_accounts,
    }


@shared_task(name="accounts.fail_stalled_imports")
def fail_stalled_imports() -> int:
    return import_jobs_fail_stalled()


# Receivers of accounts.signals: each queues its task once the sender's transaction commits.


def enqueue_merger_analysis_refresh(*, merger_id: int, **signal_kwargs: Any) -> None:
    enqueue_on_commit(refresh_merger_analysis, merger_id)


def enqueue_product_ownership_refresh(*, merger_id: int, **signal_kwargs: Any) -> None:
    enqueue_on_commit(refresh_product_ownership, merger_id)


def enqueue_whitespace_refresh(*, merger_id: int, **signal_kwargs: Any) -> None:
    enqueue_on_commit(refresh_whitespace, merger_id)


def enqueue_match_accounts(*, merger_id: int, **signal_kwargs: Any) -> None:
    enqueue_on_commit(match_accounts_task, merger_id)


def enqueue_import_run(*, job: Any, **signal_kwargs: Any) -> None:
    """The run of a queued import; a queue that cannot be reached fails the job at once."""
    enqueue_on_commit(
        import_run_task, job.pk, job.attempt, on_not_sent=partial(import_not_started, job=job)
    )


def connect() -> None:
    """Wires the announcements of the accounts services to their tasks (AccountsConfig.ready)."""
    for signal, receiver in (
        (signals.analysis_outdated, enqueue_merger_analysis_refresh),
        (signals.product_ownership_outdated, enqueue_product_ownership_refresh),
        (signals.whitespace_outdated, enqueue_whitespace_refresh),
        (signals.accounts_imported, enqueue_match_accounts),
        (signals.import_queued, enqueue_import_run),
    ):
        signal.connect(receiver, dispatch_uid=f"accounts.{receiver.__name__}")
