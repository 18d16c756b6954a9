"""Signals that let later apps react to changes without earlier apps importing them."""

from django.dispatch import Signal

# Sent with merger_id after a service changes data that scores and dashboards read.
program_data_changed = Signal()
