"""What the pages and the API say about the months of a period that are read as frozen.

The quota and compensation pages read a closed month from its snapshot
(tracker.selectors.period_figures): the reader is told which months those are, which
are live, and which figure of a frozen month is today's for want of a frozen one.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.dates import month_in_text
from core.numbers import rounded_text
from tracker.quota_math import Period


def frozen_notes(
    *,
    frozen_months: Iterable[date],
    live_months: Iterable[date],
    frozen_at: datetime | None,
    uncounted: Iterable[date] = (),
) -> list[str]:
    """Sentences for the page, in the user's language; none for a period all live."""
    frozen, live, uncounted = list(frozen_months), list(live_months), list(uncounted)
    if not frozen or frozen_at is None:
        return []
    values = {
        "month": _months(frozen),
        "months": _months(frozen),
        "live": _months(live),
        "time": formats.date_format(timezone.localtime(frozen_at), "SHORT_DATETIME_FORMAT"),
    }
    if live:
        notes = [
            ngettext(
                "Frozen snapshot of %(months)s; %(live)s from today's deals and quotas.",
                "Frozen snapshots of %(months)s; %(live)s from today's deals and quotas.",
                len(frozen),
            )
        ]
    elif len(frozen) == 1:
        notes = [_("Frozen snapshot of %(month)s, frozen at %(time)s.")]
    else:
        notes = [_("Frozen snapshots of %(months)s, the last frozen at %(time)s.")]
    if uncounted:
        # Snapshots frozen before the count was kept: today's count, said so.
        notes.append(
            ngettext(
                "The won-deal count of %(uncounted)s, which a per-deal SPIF pays on, is "
                "today's: that month was frozen before its count was kept.",
                "The won-deal counts of %(uncounted)s, which a per-deal SPIF pays on, are "
                "today's: those months were frozen before their counts were kept.",
                len(uncounted),
            )
        )
        values["uncounted"] = _months(uncounted)
    return [note % values for note in notes]


def plan_terms_notes(
    *,
    frozen_months: Iterable[date],
    frozen_with: date | None,
    unkept: date | None,
) -> list[str]:
    """Which comp plan terms the payouts used: a closed period's as frozen with its last
    month, today's for a month frozen before plans were kept (said so, never passed off
    as frozen), and today's while a period with frozen months still runs; nothing for a
    period all live, whose figures are all today's."""
    if not list(frozen_months):
        return []
    if frozen_with is not None:
        return [_("Plan terms as frozen with %(month)s.") % {"month": month_in_text(frozen_with)}]
    if unkept is not None:
        return [
            _("Plan terms are today's: %(month)s was frozen before plans were kept with it.")
            % {"month": month_in_text(unkept)}
        ]
    return [_("Plan terms are today's: the period has months still open.")]


def closed_months_note(period: Period, closed: Sequence[date]) -> str:
    """What a quota change does to the period's closed months: nothing. Their quota,
    credit and attainment were frozen at month end and stay the facts reported; the
    change is kept in the quota's history and counts only in months still open."""
    if not closed:
        return ""
    months = _months(list(closed), opening=True)
    if len(closed) == period.months:
        return ngettext(
            "%(months)s is closed: its frozen quota and attainment will not change. "
            "A quota saved here is kept in its history but changes no figure of a closed "
            "month.",
            "%(months)s are closed: their frozen quotas and attainment will not change. "
            "A quota saved here is kept in its history but changes no figure of a closed "
            "month.",
            len(closed),
        ) % {"months": months}
    return ngettext(
        "%(months)s is closed: its frozen quota and attainment will not change. "
        "A quota saved here counts only in the period's open months.",
        "%(months)s are closed: their frozen quotas and attainment will not change. "
        "A quota saved here counts only in the period's open months.",
        len(closed),
    ) % {"months": months}


def closed_period_notes(closed: Mapping[Period, Sequence[date]]) -> list[str]:
    """closed_months_note of each period a write touched, in order of the periods."""
    return [closed_months_note(period, closed[period]) for period in sorted(closed)]


def _months(months: list[date], *, opening: bool = False) -> str:
    """The months as a sentence lists them; `opening` where the list starts the sentence
    ("Ноябрь 2026, декабрь 2026 закрыты")."""
    separator = pgettext("between the items of a list", ", ")
    named = [month_in_text(month) for month in months]
    if opening and named:
        named[0] = formats.date_format(months[0], "YEAR_MONTH_FORMAT")
    return separator.join(named)


def credited_deals_notes(
    *,
    frozen_months: Iterable[date],
    listed: Decimal,
    frozen: Decimal,
    of_team: bool = False,
    credits_kept: Iterable[date] = (),
) -> list[str]:
    """What a rep's list of credited deals reads for closed months: the deals as they
    stood, with their credit then where the month kept it, and, where they no longer
    add up to the frozen figure, by how much and why."""
    kept = set(credits_kept)
    months = [month for month in frozen_months if month not in kept]
    notes = []
    if kept:
        notes.append(
            _("Deals of %(months)s and their credit as they stood at the month's end, frozen.")
            % {"months": _months(sorted(kept))}
        )
    if months:
        notes.append(
            _(
                "Deals of %(months)s as they stood at the month's end, frozen; the credit "
                "splits are today's."
            )
            % {"months": _months(months)}
        )
    if not notes or listed == frozen:
        return notes
    if of_team:
        difference = _(
            "Today these deals credit the team's reps %(listed)s against the frozen "
            "%(frozen)s: a rep changed team or a credit split changed after the freeze, "
            "or a deal was deleted with its credit splits. The frozen figure stands."
        )
    else:
        difference = _(
            "Today these deals credit %(listed)s against the frozen %(frozen)s: a "
            "credit split changed after the freeze, or a deal was deleted with its "
            "credit splits. The frozen figure stands."
        )
    notes.append(
        difference
        % {
            "listed": rounded_text(listed, 0, force_grouping=True),
            "frozen": rounded_text(frozen, 0, force_grouping=True),
        }
    )
    return notes
