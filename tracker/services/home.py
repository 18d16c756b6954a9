"""A user's visit to their home: remembered so that the next one says what changed since."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Merger
from core.access import User
from tracker.models import HomeVisit


def home_visit_record(*, user: User, merger: Merger, at: datetime | None = None) -> HomeVisit:
    """Marks what the home showed as seen at `at` (now); never moves the mark back."""
    at = at or timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                visit, created = HomeVisit.objects.select_for_update().get_or_create(
                    user=user, merger=merger, defaults={"seen_at": at}
                )
                if not created and visit.seen_at < at:
                    visit.seen_at = at
                    visit.save(update_fields=["seen_at"])
                return visit
        except IntegrityError:
            # Two tabs recorded the first visit at once: the other one's row exists now.
            continue
    return HomeVisit.objects.get(user=user, merger=merger)
