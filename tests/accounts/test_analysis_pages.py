"""Overlap, product map and whitespace pages, and the screen on the account page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import (
    ProductMapping,
    SourceAccount,
    UnifiedAccount,
    UserPreference,
    WhitespaceCell,
)
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.risk import account_signals_refresh
from accounts.services.whitespace import whitespace_rollup_recount
from accounts.views.overlap import overlap_chart
from tests import factories
from tests.accounts.install_base import account_owning, customers_of_both


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def segment(merger):
    return factories.SegmentFactory(merger=merger, name="Utilities")


@pytest.fixture
def products(acquirer, acquired):
    return {
        "sensor": factories.ProductFactory(company=acquirer, name="Sensor"),
        "analytics": factories.ProductFactory(
            company=acquired, name="Analytics", typical_deal_size=Decimal("50000")
        ),
    }


@pytest.fixture
def mapped(merger, products):
    return factories.ProductMappingFactory(
        merger=merger,
        source=products["sensor"],
        target=products["analytics"],
        reason="Sensors feed the analytics",
    )


def _accounts(merger, acquirer, products, segment, n: int) -> list[UnifiedAccount]:
    accounts = [
        account_owning(merger, acquirer, products["sensor"], segment=segment, name=f"Mill {i:03d}")
        for i in range(n)
    ]
    merger_analysis_refresh(merger_id=merger.pk)
    return accounts


def test_overlap_page_links_counts_to_the_account_list(
    client, rep_user, merger, acquirer, products, segment
):
    _accounts(merger, acquirer, products, segment, 2)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:overlap"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"?segment={segment.pk}&amp;status=acquirer_only" in html
    assert "Utilities" in html


def test_whitespace_page_links_candidates_to_a_prefilled_opportunity(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    (account,) = _accounts(merger, acquirer, products, segment, 1)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"))
    assert response.status_code == 200
    html = response.content.decode()
    link = (
        f"/pipeline/new/?account={account.pk}&amp;product={products['analytics'].pk}"
        "&amp;kind=cross_sell&amp;direction=b_to_a&amp;amount=50000.00"
    )
    assert link in html
    assert 'data-chart="whitespace-heatmap"' in html


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_whitespace_page_query_count_does_not_grow_with_accounts(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    client.force_login(rep_user)
    rep = factories.RepFactory(merger=merger, user=rep_user, company=acquirer)
    urls = [
        reverse("accounts:whitespace") + f"?segment={segment.pk}",
        reverse("accounts:whitespace") + "?mine=on&segment=none&recommendation=sell&sort=name",
        reverse("accounts:whitespace") + "?direction=b_to_a&sort=value&page=7",
    ]
    _accounts(merger, acquirer, products, segment, 3)
    few = [_page_queries(client, url) for url in urls]
    accounts = _accounts(merger, acquirer, products, segment, 30)
    for account in accounts[:10]:
        factories.OpportunityFactory(merger=merger, account=account, owner=rep)
    assert [_page_queries(client, url) for url in urls] == few


def test_whitespace_page_filters_by_direction(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    _accounts(merger, acquirer, products, segment, 2)
    client.force_login(rep_user)
    response = client.get(
        reverse("accounts:whitespace"), {"segment": segment.pk, "direction": "a_to_b"}
    )
    assert "No account matches these filters." in response.content.decode()


def _listed(response) -> list[str]:
    return [row.name for row in response.context["matrix"].rows]


def test_whitespace_lists_every_segment_largest_potential_first(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    small, large = _accounts(merger, acquirer, products, segment, 2)
    elsewhere = factories.SegmentFactory(merger=merger, name="Mining")
    other = account_owning(merger, acquirer, products["sensor"], segment=elsewhere, name="Pit")
    merger_analysis_refresh(merger_id=merger.pk)
    # What the refresh keeps on each account (tests/accounts/test_whitespace.py checks it).
    UnifiedAccount.objects.filter(pk=large.pk).update(whitespace_value=Decimal("90000"))
    UnifiedAccount.objects.filter(pk=other.pk).update(whitespace_value=Decimal("70000"))
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"))
    assert _listed(response) == [large.name, other.name, small.name]
    by_name = client.get(reverse("accounts:whitespace"), {"sort": "name"})
    assert _listed(by_name) == sorted([large.name, other.name, small.name])


def test_candidates_of_accounts_without_a_segment_can_be_opened(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    _accounts(merger, acquirer, products, segment, 1)
    loose = account_owning(merger, acquirer, products["sensor"], name="Unsorted Mill")
    merger_analysis_refresh(merger_id=merger.pk)
    UnifiedAccount.objects.filter(pk=loose.pk).update(segment=None, segment_source="")
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"), {"segment": "none"})
    assert _listed(response) == ["Unsorted Mill"]
    html = response.content.decode()
    assert f"/pipeline/new/?account={loose.pk}&amp;product={products['analytics'].pk}" in html


def test_my_accounts_are_those_i_hold_the_relationship_or_a_deal_on(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    related, dealt, other = _accounts(merger, acquirer, products, segment, 3)
    rep_user.first_name, rep_user.last_name = "Ann", "Lee"
    rep_user.save()
    related.sources.update(relationship_owner="ann lee")
    other.sources.update(relationship_owner="Someone Else")
    rep = factories.RepFactory(merger=merger, user=rep_user, company=acquirer)
    factories.OpportunityFactory(
        merger=merger, account=dealt, owner=rep, product=factories.ProductFactory(company=acquirer)
    )
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"), {"mine": "on", "sort": "name"})
    assert _listed(response) == sorted([related.name, dealt.name])


def test_whitespace_filters_by_risk_recommendation(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    risky, _safe = _accounts(merger, acquirer, products, segment, 2)
    UnifiedAccount.objects.filter(pk=risky.pk).update(recommendation="dont_sell")
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"), {"recommendation": "dont_sell"})
    assert _listed(response) == [risky.name]


def test_a_page_past_the_end_shows_the_last_page(
    client, rep_user, merger, acquirer, products, segment, mapped, monkeypatch
):
    monkeypatch.setattr("accounts.views.whitespace.PAGE_SIZE", 2)
    _accounts(merger, acquirer, products, segment, 5)
    client.force_login(rep_user)
    for asked in ("99", "-3", "x", "9" * 30):
        response = client.get(reverse("accounts:whitespace"), {"sort": "name", "page": asked})
        assert response.status_code == 200
    response = client.get(reverse("accounts:whitespace"), {"sort": "name", "page": "99"})
    assert response.context["matrix"].page == 3
    assert _listed(response) == ["Mill 004"]


def test_whitespace_grid_groups_products_by_family_with_full_names_on_hover(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    _accounts(merger, acquirer, products, segment, 1)
    client.force_login(rep_user)
    html = client.get(reverse("accounts:whitespace")).content.decode()
    analytics = products["analytics"]
    assert f'title="{analytics.name} ({analytics.company.short_name})"' in html
    assert 'scope="colgroup"' in html


def test_whitespace_page_without_data_explains_how_to_get_candidates(client, rep_user, merger):
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"))
    assert "No cross-sell candidates yet." in response.content.decode()


def test_product_map_page_shows_sample_interval_and_verdict(
    client, rep_user, merger, acquirer, acquired, products, mapped
):
    customers_of_both(
        merger,
        acquirer,
        acquired,
        products["sensor"],
        products["analytics"],
        owners=30,
        co_owners=6,
        others=30,
    )
    merger_analysis_refresh(merger_id=merger.pk)
    client.force_login(rep_user)
    html = client.get(reverse("accounts:product_map")).content.decode()
    # 6 of 30 owners (20%, CI 10-37%) against a 10% base rate among 60 customers of both.
    assert "of 60" in html and "customers of both" in html
    assert "95% CI 10–37 %" in html
    assert "Inconclusive" in html
    assert "Wilson score interval" in html


def test_product_map_page_flags_pairs_without_evidence(client, rep_user, mapped):
    client.force_login(rep_user)
    html = client.get(reverse("accounts:product_map")).content.decode()
    assert "No evidence yet" in html and "too few owners to say" in html
    assert "Not validated with customers" in html
    # Reps read the map; only sales ops changes it.
    assert reverse("accounts:product_mapping_create") not in html


def test_sales_ops_adds_a_pair_and_the_whitespace_follows(
    client, ops_user, merger, acquirer, products, segment, django_capture_on_commit_callbacks
):
    account = account_owning(merger, acquirer, products["sensor"], segment=segment)
    client.force_login(ops_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:product_mapping_create"),
            {
                "source": products["sensor"].pk,
                "target": products["analytics"].pk,
                "relation": ProductMapping.Relation.COMPLEMENTARY,
                "reason": "Sensors feed the analytics",
                "validated_with_customers": "on",
            },
        )
    assert response.status_code == 302
    mapping = ProductMapping.objects.get(merger=merger)
    assert mapping.validated_with_customers
    assert WhitespaceCell.objects.filter(account=account, via=mapping).exists()


def test_the_form_shows_why_a_pair_is_refused(client, ops_user, products):
    client.force_login(ops_user)
    response = client.post(
        reverse("accounts:product_mapping_create"),
        {
            "source": products["sensor"].pk,
            "target": products["sensor"].pk,
            "relation": ProductMapping.Relation.COMPLEMENTARY,
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "cannot be mapped to itself" in response.content.decode()


def test_a_rep_cannot_add_a_pair(client, rep_user, products):
    client.force_login(rep_user)
    assert client.get(reverse("accounts:product_mapping_create")).status_code == 403


def test_sales_ops_edits_and_removes_a_pair(client, ops_user, mapped, products):
    client.force_login(ops_user)
    edit = reverse("accounts:product_mapping_update", args=[mapped.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "source": products["sensor"].pk,
            "target": products["analytics"].pk,
            "relation": ProductMapping.Relation.ACCESSORY,
            "reason": "An add-on to the sensor",
        },
    )
    assert response.status_code == 302
    mapped.refresh_from_db()
    assert mapped.relation == ProductMapping.Relation.ACCESSORY
    client.post(reverse("accounts:product_mapping_delete", args=[mapped.pk]))
    assert not ProductMapping.objects.filter(pk=mapped.pk).exists()


def test_another_programs_pair_does_not_exist_for_its_sales_ops(client, mapped):
    other = factories.MergerFactory()
    ops = factories.UserFactory(username="other_ops", role="sales_ops")
    factories.MembershipFactory(merger=other, user=ops)
    client.force_login(ops)
    edit = reverse("accounts:product_mapping_update", args=[mapped.pk])
    assert client.get(edit).status_code == 404


def test_account_page_shows_the_connection_and_risk_screen(
    client, rep_user, merger, acquirer, products, segment
):
    (account,) = _accounts(merger, acquirer, products, segment, 1)
    client.force_login(rep_user)
    html = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "Connection and risk screen" in html
    assert "No risk profile flagged." in html
    assert "Decision maker not known" in html


def test_overlap_page_counts_the_changes_of_status_since_day_one_in_a_fixed_query_count(
    client, rep_user, merger, acquirer, acquired, products, segment
):
    merger.day_one = date(2025, 7, 1)
    merger.save()
    client.force_login(rep_user)
    url = reverse("accounts:overlap")

    def cross_sold(n: int) -> None:
        for _ in range(n):
            account = account_owning(merger, acquirer, products["sensor"], segment=segment)
            source = factories.SourceAccountFactory(company=acquired, unified=account)
            factories.HoldingFactory(
                account=source, product=products["analytics"], since=date(2025, 9, 3)
            )
        merger_analysis_refresh(merger_id=merger.pk)

    cross_sold(2)
    few = _page_queries(client, url)
    cross_sold(5)
    assert _page_queries(client, url) == few

    html = client.get(url).content.decode()
    assert "Acquirer&#x27;s customer → customer of both" in html
    assert 'data-chart="overlap-transitions"' in html
    assert '<th scope="row">2025-09</th><td class="num">7</td>' in html


def test_a_direction_filter_sorts_by_the_potential_in_that_direction(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    small, large = _accounts(merger, acquirer, products, segment, 2)
    WhitespaceCell.objects.filter(account=large).update(potential_value=Decimal("90000"))
    # Cells written by hand: their rollups counted again, as a refresh keeps them.
    whitespace_rollup_recount(merger_id=merger.pk)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"), {"direction": "b_to_a"})
    assert _listed(response) == [large.name, small.name]


def test_overlap_chart_legend_sits_above_the_plot_clear_of_the_axis_title():
    """Below the plot, the legend ran over the "Accounts" axis title."""
    rows = [
        {"segment_name": f"Segment {n}", "counts": dict.fromkeys(UnifiedAccount.Status, n)}
        for n in range(9)
    ]
    layout = overlap_chart(rows).figure["layout"]
    assert layout["legend"]["yanchor"] == "bottom" and layout["legend"]["y"] > 1
    assert layout["margin"]["t"] >= 90
    assert layout["height"] >= 9 * 24


def test_the_risk_screens_reason_is_read_in_the_readers_language(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    (account,) = _accounts(merger, acquirer, products, segment, 1)
    SourceAccount.objects.filter(unified=account).update(average_discount_pct=Decimal("50"))
    with translation.override("en"):  # the screen runs in an English-speaking task
        account_signals_refresh(merger_id=merger.pk)
    UserPreference.objects.update_or_create(user=rep_user, defaults={"language": "ru"})
    client.force_login(rep_user)

    html = client.get(reverse("accounts:whitespace")).content.decode()

    assert 'title="Только апсейл: охотник за скидками (Покупает со средней скидкой 50%).' in html
    assert "Upsell only" not in html


def test_a_reason_stored_as_text_before_is_shown_as_written(client, rep_user, merger):
    account = factories.UnifiedAccountFactory(
        merger=merger, recommendation="upsell_only", recommendation_reason="Written long ago."
    )
    client.force_login(rep_user)
    html = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "Written long ago." in html


def test_whitespace_totals_cells_open_the_candidates_they_count(
    client, rep_user, merger, acquirer, products, segment, mapped
):
    _accounts(merger, acquirer, products, segment, 2)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:whitespace"))
    [row] = response.context["totals_rows"]
    [cell] = [cell for cell in row["cells"] if cell]
    html = response.content.decode()
    cell_link = f'href="?segment={segment.pk}&amp;direction={cell["direction"]}#whitespace-matrix"'
    total_link = f'href="?direction={cell["direction"]}#whitespace-matrix"'
    assert cell_link in html
    assert total_link in html
    listed = client.get(
        reverse("accounts:whitespace"), {"segment": segment.pk, "direction": cell["direction"]}
    ).context["matrix"]
    assert sum(row.candidate_count for row in listed.rows) == cell["count"] == 2
    assert sum(row.candidate_value for row in listed.rows) == cell["value"]
