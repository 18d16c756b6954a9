from datetime import date

from accounts.selectors.overlap_history import overlap_history
from tests import factories

MONTHS = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


def _holding(unified, company, since):
    source = factories.SourceAccountFactory(company=company, unified=unified)
    product = factories.ProductFactory(company=company)
    factories.HoldingFactory(account=source, product=product, since=since)


def test_accounts_move_from_one_side_to_both_when_they_first_buy_from_the_other(
    merger, acquirer, acquired, django_assert_num_queries
):
    merger.day_one = date(2025, 7, 1)
    merger.save()
    cross_sold = factories.UnifiedAccountFactory(merger=merger)
    _holding(cross_sold, acquirer, date(2024, 5, 3))
    _holding(cross_sold, acquired, date(2026, 2, 14))
    only_b = factories.UnifiedAccountFactory(merger=merger)
    _holding(only_b, acquired, None)  # undated: counts from Day 1
    factories.UnifiedAccountFactory(merger=merger)  # prospect

    with django_assert_num_queries(2):
        history = overlap_history(merger=merger, months=MONTHS)

    assert history["acquirer_only"] == [1, 0, 0]
    assert history["both"] == [0, 1, 1]
    assert history["acquired_only"] == [1, 1, 1]
    assert history["neither"] == [1, 1, 1]
