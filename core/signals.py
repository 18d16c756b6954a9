"""Signals that let higher apps react to changes without lower apps importing them."""

from django.db import transaction
from django.dispatch import Signal

# Sent with merger_id after a service changes data that scores and dashboards read.
program_data_changed = Signal()


def program_data_announce(sender: type, merger_id: int) -> None:
    """Sends program_data_changed once the current write commits (at once outside one)."""
    transaction.on_commit(lambda: program_data_changed.send(sender=sender, merger_id=merger_id))
