"""What the scorecards services announce, so that the app queues the work that follows.

Services never import tasks (the tasks call the services): they send one of
these, and ScorecardsConfig.ready connects each to an `enqueue_*` of
scorecards.tasks.
"""

from django.dispatch import Signal

# Sent with job: an export job was created and its build must be sent.
export_requested = Signal()
