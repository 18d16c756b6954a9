"""What the tracker services announce, so that the app queues the work that follows.

Services never import tasks (the tasks call the services): they send one of
these, and TrackerConfig.ready connects each to an `enqueue_*` of tracker.tasks.
"""

from django.dispatch import Signal

# Sent with merger_id, pairs (currency, ISO month) and actor_id: rates were saved,
# and what is converted at them must follow.
exchange_rates_changed = Signal()
