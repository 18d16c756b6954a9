"""What the accounts services announce, so that the app queues the work that follows.

Services never import tasks (the tasks call the services): they send one of
these, and AccountsConfig.ready connects each to an `enqueue_*` of
accounts.tasks, which sends the task once the transaction commits.
"""

from django.dispatch import Signal

# Sent with merger_id: statuses, segments, signals, whitespace and ownership are stale.
analysis_outdated = Signal()
# Sent with merger_id: the program-wide product ownership counts are stale.
product_ownership_outdated = Signal()
# Sent with merger_id: the whitespace is stale (the product map changed).
whitespace_outdated = Signal()
# Sent with merger_id: CRM accounts were imported, and matching must place them.
accounts_imported = Signal()
# Sent with job: an import job was queued and its run must be sent.
import_queued = Signal()
