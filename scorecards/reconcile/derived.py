"""Fields the program derives from other records: each account's status from the install
base and the CRM flags, its status over time from the same facts dated, each deal's
direction from the Day-1 install base."""

from collections.abc import Iterator
from datetime import date

from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from accounts.customer_status import NOT_MEASURED, STATUSES, status_at_month_end
from accounts.models import Merger, UnifiedAccount
from accounts.services.overlap import account_status_expression
from scorecards.reconcile.report import Mismatch
from tracker.models import Opportunity
from tracker.selectors.directions import direction_expression


def check_statuses_follow_install_base(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    wrong = list(
        UnifiedAccount.objects.filter(merger=merger)
        .alias(should_be=account_status_expression())
        .exclude(status=F("should_be"))
        .values_list("id", flat=True)
    )
    if wrong:
        yield Mismatch(
            "statuses",
            "accounts whose status disagrees with the install base",
            0,
            len(wrong),
            wrong,
        )


def check_overlap_over_time_ends_at_todays_statuses(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """The overlap chart's month open today counts each account under the status the
    overlap page counts it: one definition, dated."""
    month = timezone.localdate().replace(day=1)
    charted = Case(
        *(
            When(status_at_month_end(status, month=month), then=Value(status))
            for status in (*STATUSES, NOT_MEASURED)
        ),
        default=Value(""),
        output_field=CharField(),
    )
    wrong = list(
        UnifiedAccount.objects.filter(merger=merger)
        .alias(charted=charted)
        .exclude(status=F("charted"))
        .values_list("id", flat=True)
    )
    if wrong:
        yield Mismatch(
            "overlap over time",
            "accounts the overlap chart counts this month under another status than the page",
            0,
            len(wrong),
            wrong,
        )


def check_directions_follow_day_one(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """Every deal's direction is what the Day-1 install base says (realized synergy rests
    on it)."""
    wrong = list(
        Opportunity.objects.filter(merger=merger)
        .annotate(derived=direction_expression(merger=merger))
        .exclude(direction=F("derived"))
        .values_list("id", flat=True)
    )
    if wrong:
        yield Mismatch(
            "directions", "deals whose direction disagrees with Day 1", 0, len(wrong), wrong
        )
