import random
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.models import UnifiedAccount
from accounts.overlap_transitions import (
    ACQUIRED_ONLY_TO_BOTH,
    ACQUIRER_ONLY_TO_BOTH,
    NEW_ACQUIRED_ONLY,
    NEW_ACQUIRER_ONLY,
    NEW_BOTH,
    TRANSITIONS,
    overlap_transitions,
)
from accounts.selectors.overlap import overlap_counts
from accounts.selectors.overlap_history import (
    STATUSES,
    first_purchase_groups,
    history_of_groups,
    transitions_of_groups,
)
from accounts.services.overlap import account_customer_since_refresh, account_statuses_refresh
from tests import factories

MONTHS = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


def _history(merger, months, segment=None):
    """The status history as the pages read it: one grouped query, then arithmetic."""
    groups = first_purchase_groups(merger=merger, segment=segment)
    return history_of_groups(groups=groups, months=months)


def _holding(unified, company, since):
    source = factories.SourceAccountFactory(company=company, unified=unified)
    product = factories.ProductFactory(company=company)
    factories.HoldingFactory(account=source, product=product, since=since)


@pytest.fixture
def day_one_in_july(merger):
    merger.day_one = date(2025, 7, 1)
    merger.save()
    return merger


def _since(account) -> tuple[date | None, date | None]:
    account.refresh_from_db()
    return account.acquirer_customer_since, account.acquired_customer_since


def test_accounts_move_from_one_side_to_both_when_they_first_buy_from_the_other(
    day_one_in_july, acquirer, acquired, django_assert_num_queries
):
    merger = day_one_in_july
    cross_sold = factories.UnifiedAccountFactory(merger=merger)
    _holding(cross_sold, acquirer, date(2024, 5, 3))
    _holding(cross_sold, acquired, date(2026, 2, 14))
    only_b = factories.UnifiedAccountFactory(merger=merger)
    _holding(only_b, acquired, None)  # undated: counts from Day 1
    factories.UnifiedAccountFactory(merger=merger)  # greenfield: no CRM knows it
    account_customer_since_refresh(merger_id=merger.pk)

    with django_assert_num_queries(1):
        history = _history(merger, MONTHS)

    assert history["acquirer_only"] == [1, 0, 0]
    assert history["both"] == [0, 1, 1]
    assert history["acquired_only"] == [1, 1, 1]
    assert history["neither"] == [1, 1, 1]


def test_prospects_are_counted_as_the_overlap_page_counts_them_not_as_greenfield(
    day_one_in_july, acquirer, acquired
):
    """The overlap page's statuses, each month: a prospect of either company is not
    greenfield before it buys, and today's month end equals the page's counts."""
    merger = day_one_in_july
    for _ in range(3):  # prospects: known to a CRM, no purchase
        factories.SourceAccountFactory(
            company=acquirer, unified=factories.UnifiedAccountFactory(merger=merger)
        )
    won = factories.UnifiedAccountFactory(merger=merger)
    _holding(won, acquired, date(2026, 2, 10))  # a prospect until February
    factories.UnifiedAccountFactory(merger=merger)  # greenfield
    account_statuses_refresh(merger_id=merger.pk)
    account_customer_since_refresh(merger_id=merger.pk)

    history = _history(merger, MONTHS)

    assert history["prospect"] == [4, 3, 3]
    assert history["neither"] == [1, 1, 1]
    assert history["acquired_only"] == [0, 1, 1]
    assert {status: history[status][-1] for status in STATUSES} == overlap_counts(merger=merger)
    assert history["not_measured"] == [0, 0, 0]


def test_history_of_one_segment_counts_only_its_accounts(merger, acquirer):
    segment = factories.SegmentFactory(merger=merger)
    inside = factories.UnifiedAccountFactory(merger=merger, segment=segment)
    _holding(inside, acquirer, date(2025, 12, 2))
    _holding(factories.UnifiedAccountFactory(merger=merger), acquirer, date(2025, 12, 2))
    account_customer_since_refresh(merger_id=merger.pk)

    history = _history(merger, MONTHS, segment)

    assert history["acquirer_only"] == [1, 1, 1]
    assert history["neither"] == [0, 0, 0]


def test_customer_since_is_the_earliest_holding_of_each_sides_products(
    day_one_in_july, acquirer, acquired
):
    account = factories.UnifiedAccountFactory(merger=day_one_in_july)
    _holding(account, acquirer, date(2024, 5, 3))
    _holding(account, acquirer, date(2023, 1, 9))
    _holding(account, acquired, None)

    assert account_customer_since_refresh(merger_id=day_one_in_july.pk) == 1

    assert _since(account) == (date(2023, 1, 9), date(2025, 7, 1))


def test_a_product_of_the_other_side_recorded_in_one_crm_counts_for_the_other_side(
    merger, acquirer, acquired
):
    account = factories.UnifiedAccountFactory(merger=merger)
    source = factories.SourceAccountFactory(company=acquirer, unified=account)
    bought = factories.ProductFactory(company=acquired)
    factories.HoldingFactory(account=source, product=bought, since=date(2026, 2, 1))

    account_customer_since_refresh(merger_id=merger.pk)

    assert _since(account) == (None, date(2026, 2, 1))


def test_a_rerun_writes_nothing_and_a_removed_holding_clears_the_date(merger, acquirer):
    account = factories.UnifiedAccountFactory(merger=merger)
    _holding(account, acquirer, date(2024, 5, 3))
    assert account_customer_since_refresh(merger_id=merger.pk) == 1
    assert account_customer_since_refresh(merger_id=merger.pk) == 0

    account.sources.get().holdings.all().delete()

    assert account_customer_since_refresh(merger_id=merger.pk) == 1
    assert _since(account) == (None, None)
    assert UnifiedAccount.objects.filter(acquirer_customer_since__isnull=False).count() == 0


def test_an_unknown_program_changes_nothing(db):
    assert account_customer_since_refresh(merger_id=999_999) == 0


def test_moving_day_one_through_the_api_moves_undated_holdings_with_it(
    merger, acquirer, ops_user, django_capture_on_commit_callbacks
):
    account = factories.UnifiedAccountFactory(merger=merger)
    _holding(account, acquirer, None)
    account_customer_since_refresh(merger_id=merger.pk)
    client = APIClient()
    client.force_authenticate(ops_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/v1/mergers/{merger.pk}/", {"day_one": "2026-02-01"}, format="json"
        )

    assert response.status_code == 200, response.content
    assert _since(account) == (date(2026, 2, 1), None)


JAN, FEB, MAR = MONTHS
BEFORE = date(2025, 1, 1)


def test_transitions_count_each_accounts_change_in_its_month():
    groups = [
        (BEFORE, FEB, 3),  # acquirer's customers buying from B in February
        (MAR, BEFORE, 2),  # B's customers buying from A in March
        (JAN, None, 4),  # new customers of A in January
        (None, MAR, 1),  # a new customer of B in March
        (FEB, FEB, 5),  # new customers of both at once
        (JAN, MAR, 6),  # new to A in January, then both in March
        (BEFORE, BEFORE, 7),  # customers of both before: no change
        (None, None, 8),  # never bought
        (date(2026, 4, 1), None, 9),  # after the last month shown
    ]

    transitions = overlap_transitions(groups=groups, months=MONTHS)

    assert transitions == {
        ACQUIRER_ONLY_TO_BOTH: [0, 3, 6],
        ACQUIRED_ONLY_TO_BOTH: [0, 0, 2],
        NEW_BOTH: [0, 5, 0],
        NEW_ACQUIRER_ONLY: [10, 0, 0],
        NEW_ACQUIRED_ONLY: [0, 0, 1],
    }


def test_transitions_without_accounts_are_zero_for_every_month():
    assert overlap_transitions(groups=[], months=MONTHS) == {key: [0, 0, 0] for key in TRANSITIONS}


def test_transitions_by_month_start_customers_of_day_one_before_the_program(
    day_one_in_july, acquirer, acquired, django_assert_num_queries
):
    merger = day_one_in_july
    months = [date(2025, 7, 1), date(2025, 8, 1)]
    day_one_customer = factories.UnifiedAccountFactory(merger=merger)
    _holding(day_one_customer, acquirer, None)  # undated: a customer on Day 1
    cross_sold = factories.UnifiedAccountFactory(merger=merger)
    _holding(cross_sold, acquirer, date(2024, 3, 1))
    _holding(cross_sold, acquired, date(2025, 7, 20))  # won after Day 1, in its month
    new_logo = factories.UnifiedAccountFactory(merger=merger)
    _holding(new_logo, acquired, date(2025, 8, 2))
    account_customer_since_refresh(merger_id=merger.pk)

    with django_assert_num_queries(1):
        groups = first_purchase_groups(merger=merger)
    transitions = transitions_of_groups(groups=groups, months=months)

    assert transitions[ACQUIRER_ONLY_TO_BOTH] == [1, 0]
    assert transitions[NEW_ACQUIRED_ONLY] == [0, 1]
    assert transitions[NEW_ACQUIRER_ONLY] == [0, 0]


def _transitions_by_their_own_query(merger, months):
    """The transitions as one query of their own counted them before both figures shared one."""
    from django.db.models import Case, Count, DateField, F, Value, When

    from core.db_functions import MonthStart

    def first_month(field):
        return Case(
            When(**{f"{field}__lte": merger.day_one}, then=Value(date(1900, 1, 1))),
            default=MonthStart(F(field)),
            output_field=DateField(),
        )

    rows = (
        UnifiedAccount.objects.filter(merger=merger)
        .values(
            first_a=first_month("acquirer_customer_since"),
            first_b=first_month("acquired_customer_since"),
        )
        .annotate(accounts=Count("id"))
        .values_list("first_a", "first_b", "accounts")
        .order_by()
    )
    return overlap_transitions(groups=list(rows), months=months)


def _history_account_by_account(merger, months):
    """The status history counted one account at a time from its customer-since dates."""
    counts = {status: [0] * len(months) for status in (*STATUSES, "not_measured")}
    for account in UnifiedAccount.objects.filter(merger=merger):
        for index, month in enumerate(months):
            if month < _first_month(account.status_measured_from, unmeasured=date.min):
                counts["not_measured"][index] += 1
                continue
            has_a = _first_month(account.acquirer_customer_since) <= month
            has_b = _first_month(account.acquired_customer_since) <= month
            known = account.status != UnifiedAccount.Status.NEITHER
            status = {
                (True, True): "both",
                (True, False): "acquirer_only",
                (False, True): "acquired_only",
                (False, False): "prospect" if known else "neither",
            }[has_a, has_b]
            counts[status][index] += 1
    return counts


def _first_month(since, *, unmeasured=date.max):
    return unmeasured if since is None else since.replace(day=1)


def test_history_and_transitions_read_from_one_query_equal_their_own_queries(
    day_one_in_july, acquirer, acquired, django_assert_num_queries
):
    merger = day_one_in_july
    months = [date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]
    sinces = [
        (None, None),
        (date(2024, 3, 1), None),
        (None, date(2025, 7, 1)),  # Day 1 itself: a customer before the program
        (date(2025, 7, 2), None),  # Day 1's month, after Day 1: a change in July
        (date(2024, 3, 1), date(2025, 7, 20)),
        (date(2025, 6, 30), date(2025, 8, 2)),
        (date(2025, 9, 5), date(2025, 9, 6)),
        (date(2025, 8, 9), date(2024, 1, 1)),
    ]
    for side_a, side_b in sinces:
        account = factories.UnifiedAccountFactory(merger=merger)
        if side_a:
            _holding(account, acquirer, side_a)
        if side_b:
            _holding(account, acquired, side_b)
    factories.SourceAccountFactory(
        company=acquired, unified=factories.UnifiedAccountFactory(merger=merger)
    )  # a prospect
    account_statuses_refresh(merger_id=merger.pk)
    account_customer_since_refresh(merger_id=merger.pk)

    with django_assert_num_queries(1):
        groups = first_purchase_groups(merger=merger)
    assert transitions_of_groups(groups=groups, months=months) == (
        _transitions_by_their_own_query(merger, months)
    )
    assert history_of_groups(groups=groups, months=months) == _history_account_by_account(
        merger, months
    )
    assert sum(transitions_of_groups(groups=groups, months=months)[ACQUIRER_ONLY_TO_BOTH]) == 2


def _history_month_by_month(groups, months):
    """The plain definition: each group's status tested at each month's end."""
    counts = {
        status: [0] * len(months)
        for status in ("acquirer_only", "acquired_only", "both", "prospect", "neither")
    }
    counts["not_measured"] = [0] * len(months)
    for first_a, _a_by_day_one, first_b, _b_by_day_one, measured, known, accounts in groups:
        for index, month in enumerate(months):
            if measured is not None and month < measured:
                counts["not_measured"][index] += accounts
                continue
            has_a = first_a is not None and first_a <= month
            has_b = first_b is not None and first_b <= month
            status = {(True, True): "both", (True, False): "acquirer_only"}.get(
                (has_a, has_b),
                "acquired_only" if has_b else ("prospect" if known else "neither"),
            )
            counts[status][index] += accounts
    return counts


@pytest.mark.parametrize("seed", range(20))
def test_history_of_groups_is_each_groups_status_month_by_month(seed):
    rng = random.Random(seed)
    firsts = [None, *(date(2024 + n // 12, n % 12 + 1, 1) for n in range(36))]
    groups = [
        (
            rng.choice(firsts),
            rng.random() < 0.3,
            rng.choice(firsts),
            rng.random() < 0.3,
            rng.choice([None, None, *firsts[1:]]),
            rng.random() < 0.5,
            rng.randint(1, 50),
        )
        for _ in range(rng.randint(0, 80))
    ]
    months = sorted(rng.sample(firsts[1:], rng.randint(1, 30)))
    if seed % 3 == 1:
        rng.shuffle(months)
    if seed % 3 == 2:
        months += months[:3]
    assert history_of_groups(groups=groups, months=months) == _history_month_by_month(
        groups, months
    )
