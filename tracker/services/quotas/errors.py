"""What a quota write raises when it refuses: nothing is written."""

from django.utils.translation import gettext as _

from tracker.models import Quota, Rep
from tracker.quota_math import Period


class QuotaConflict(Exception):
    """The quota changed since it was read; nothing was written."""

    def __init__(self, *, rep: Rep, period: Period, expected: int | None, current: Quota | None):
        self.rep = rep
        self.period = period
        self.expected = expected
        self.current = current
        super().__init__(self.message)

    @property
    def current_version(self) -> int:
        return self.current.version if self.current is not None else 0

    @property
    def message(self) -> str:
        current = self.current
        values = {"rep": str(self.rep), "period": self.period.code}
        if current is None:
            return (
                _("The quota of %(rep)s for %(period)s no longer exists; reload the page.")
                % values
            )
        values |= {
            "core": current.core_amount,
            "cross": current.cross_sell_amount,
            "version": current.version,
        }
        if not self.expected:
            return (
                _(
                    "Someone else set the quota of %(rep)s for %(period)s meanwhile (core "
                    "%(core)s, cross-sell %(cross)s). Check it and save again to replace it."
                )
                % values
            )
        return (
            _(
                "Someone else changed the quota of %(rep)s for %(period)s after you read it "
                "(now core %(core)s, cross-sell %(cross)s, version %(version)s). Check it and "
                "save again to replace it."
            )
            % values
        )


class QuotaRowErrors(Exception):
    """Some rows of a grid were refused; no row was written."""

    def __init__(self, errors: dict[int, list[str]], conflicts: dict[int, QuotaConflict]):
        self.errors = errors
        self.conflicts = conflicts
        super().__init__(_("%(count)d rows could not be saved.") % {"count": len(errors)})
