"""Signals that let higher apps react to changes without lower apps importing them."""

from django.dispatch import Signal

# Sent with merger_id after a service changes data that scores and dashboards read.
program_data_changed = Signal()
