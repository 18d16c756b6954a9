"""Sending background tasks: a broker that cannot be reached is an answer, not a crash.

Every app enqueues through here, from the `enqueue_*` functions of its tasks
module: services never import tasks (tasks call services), they announce what
changed with a signal that the app connects to its `enqueue_*` at start-up.

Tasks are sent from `transaction.on_commit`, after their rows are committed, so
an exception here would turn a saved change into an error page. Instead the
failure is logged and reported back; the caller records it where the user
looks (a job's status and message) or, for derived data that a later refresh
rebuilds anyway, only logs it.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# kombu wraps the broker's connection errors; the Redis result backend raises its own.
QUEUE_ERRORS = (OperationalError, RedisError, ConnectionError, TimeoutError)


def task_send(task: Task, *args: Any, **options: Any) -> bool:
    """Sends `task` with `args`; False if the broker could not be reached."""
    try:
        if options:
            task.apply_async(args, **options)
        else:
            task.delay(*args)
    except QUEUE_ERRORS as error:
        logger.warning("task_not_sent task=%s error=%s", task.name, type(error).__name__)
        return False
    return True


def enqueue_on_commit(
    task: Task, *args: Any, on_not_sent: Callable[[], object] | None = None, **options: Any
) -> None:
    """Sends `task` once the caller's transaction commits, so the worker sees its rows.

    `on_not_sent` runs if the broker cannot be reached, for a job whose owner
    must be told; derived data that a later refresh rebuilds needs none.
    """

    def send() -> None:
        if not task_send(task, *args, **options) and on_not_sent is not None:
            on_not_sent()

    transaction.on_commit(send)
