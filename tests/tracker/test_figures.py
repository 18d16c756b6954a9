"""The figure definitions on plain values: the predicates agree with the domain's words."""

import datetime as dt

from django.utils import timezone

from tracker.figures import is_cross_company, is_realized, stale_cutoff, win_rate

JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def test_cross_company_is_a_sale_across_the_merger_never_within():
    assert is_cross_company("a_to_b")
    assert is_cross_company("b_to_a")
    assert not is_cross_company("within")


def test_realized_needs_a_cross_company_win_closed_in_the_period():
    def realized(**values):
        row = {"outcome": "won", "direction": "a_to_b", "closed_on": dt.date(2026, 6, 2)}
        row |= values
        return is_realized(**row, closed_from=JUNE[0], closed_to=JUNE[1])

    assert realized()
    assert not realized(direction="within")
    assert not realized(outcome="lost")
    assert not realized(closed_on=dt.date(2026, 7, 1))
    assert not realized(closed_on=None)


def test_stale_counts_days_before_the_start_of_the_day():
    at = dt.date(2026, 6, 30)
    cutoff = stale_cutoff(at=at, days=30)
    assert cutoff == timezone.make_aware(dt.datetime(2026, 5, 31))


def test_win_rate_is_not_measured_without_closed_deals():
    assert win_rate(won=0, lost=0) is None
    assert str(win_rate(won=1, lost=3)) == "0.2500"
