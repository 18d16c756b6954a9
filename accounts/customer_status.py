"""An account's customer status from three facts: one definition for every page.

The overlap page counts the status kept on each account (accounts.services.overlap
writes it); the status at an earlier month end is the same rule applied to what
was true then: a customer of a side from the month of its first purchase from that
side (its customer-since date), and known to either company when it has a record in
either CRM. No history of when a CRM first knew an account is kept, so an account
known today counts as a prospect, not greenfield, in every month before it bought.

A customer the CRM flags, with no earlier holding from that side, is dated by the
flag's first import: before it the account's status is not measured, a figure of
its own, never a guessed prospect or customer.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import UnifiedAccount

Status = UnifiedAccount.Status
# Every status, in the order the pages show them.
STATUSES: tuple[str, ...] = tuple(Status.values)
# At an earlier month end, the accounts whose status was not measured then.
NOT_MEASURED = "not_measured"
NOT_MEASURED_LABEL = _("Not measured (customer flag imported later)")


def status_of(*, acquirer: bool, acquired: bool, known: bool) -> str:
    """The status of an account that is (or not) a customer of each side and known to one."""
    if acquirer and acquired:
        return Status.BOTH
    if acquirer:
        return Status.ACQUIRER_ONLY
    if acquired:
        return Status.ACQUIRED_ONLY
    return Status.PROSPECT if known else Status.NEITHER


def status_at_month_end(status: str, *, month: date) -> Q:
    """The accounts that had `status` at the end of `month` (a first day), as status_of says,
    or (NOT_MEASURED) whose status then is not measured."""
    after = month + relativedelta(months=1)
    measured = Q(status_measured_from__isnull=True) | Q(status_measured_from__lt=after)
    if status == NOT_MEASURED:
        return Q(status_measured_from__gte=after)
    acquirer = Q(acquirer_customer_since__lt=after)
    acquired = Q(acquired_customer_since__lt=after)
    # Known to either company: the kept status says so, since only an account with no
    # CRM record at all is greenfield.
    known = ~Q(status=Status.NEITHER)
    return (
        measured
        & {
            Status.BOTH: acquirer & acquired,
            Status.ACQUIRER_ONLY: acquirer & ~acquired,
            Status.ACQUIRED_ONLY: ~acquirer & acquired,
            Status.PROSPECT: ~acquirer & ~acquired & known,
            Status.NEITHER: ~acquirer & ~acquired & ~known,
        }[Status(status)]
    )
