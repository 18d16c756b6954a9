"""The project's Celery app with pauses a test can catch a task in; used only by tests/faults.

`celery -A tests.faults.worker_app worker` runs the real tasks. With
FAULT_PAUSE_SECONDS set, an import waits that long after writing its rows,
inside its still open transaction, and an export waits before rendering its
file; FAULT_PAUSE_FLAG names a file that makes the pause happen only once, so
that the run after a fault goes straight through.
"""

import os
import time
from pathlib import Path

import django

from config.celery import app

django.setup()

from accounts.services import import_upserts  # noqa: E402 (needs the apps loaded)
from scorecards.exports import renderers  # noqa: E402

PAUSE_SECONDS = float(os.environ.get("FAULT_PAUSE_SECONDS", "0"))
PAUSE_FLAG = os.environ.get("FAULT_PAUSE_FLAG", "")


def _pause() -> None:
    if not PAUSE_SECONDS:
        return
    if PAUSE_FLAG:
        flag = Path(PAUSE_FLAG)
        if flag.exists():
            return
        flag.touch()
    time.sleep(PAUSE_SECONDS)


def _written_then_paused(writer):
    def write(job, rows):
        result = writer(job, rows)
        _pause()
        return result

    return write


def _paused_then_rendered(renderer):
    def render(report):
        _pause()
        return renderer(report)

    return render


for kind, writer in list(import_upserts.WRITERS.items()):
    import_upserts.WRITERS[kind] = _written_then_paused(writer)
for fmt, renderer in list(renderers.RENDERERS.items()):
    renderers.RENDERERS[fmt] = _paused_then_rendered(renderer)

__all__ = ["app"]
