"""Accounts pages: home, account list and account detail, per role and program."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import UnifiedAccount
from core.access import RULES, Action, Role
from core.programs import CURRENT_PROGRAM_SESSION_KEY
from tests import factories

ROLE_FIXTURES = {
    Role.REP: "rep_user",
    Role.LEADER: "leader_user",
    Role.EXECUTIVE: "executive_user",
    Role.OPS: "ops_user",
}
# Each page and the access rule resource that guards it.
LIST_PAGES = {
    "accounts:home": "merger",
    "accounts:account_list": "account",
    "accounts:whitespace": "whitespace",
}


@pytest.fixture
def account(merger, acquirer, acquired):
    segment = factories.SegmentFactory(merger=merger, name="Mid-market industrials")
    account = factories.UnifiedAccountFactory(
        merger=merger,
        name="Northwind Mills",
        domain="northwind.example",
        segment=segment,
        status=UnifiedAccount.Status.BOTH,
    )
    for company in (acquirer, acquired):
        source = factories.SourceAccountFactory(
            company=company, unified=account, name=f"Northwind ({company.short_name})"
        )
        product = factories.ProductFactory(company=company, name=f"{company.short_name} Core")
        factories.HoldingFactory(account=source, product=product)
    return account


def expected_status(role: Role, resource: str) -> int:
    return 200 if role in RULES[(resource, Action.VIEW)] else 403


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", list(LIST_PAGES))
def test_each_role_gets_the_program_pages_its_rules_allow(client, request, role, url_name):
    client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
    response = client.get(reverse(url_name))
    assert response.status_code == expected_status(role, LIST_PAGES[url_name])


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_an_account_page_its_rules_allow(client, request, role, account):
    client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
    response = client.get(reverse("accounts:account_detail", args=[account.pk]))
    assert response.status_code == expected_status(role, "account")


@pytest.mark.parametrize("url_name", [*LIST_PAGES, "accounts:account_detail"])
def test_anonymous_visitor_is_sent_to_login(client, account, url_name):
    args = [account.pk] if url_name == "accounts:account_detail" else []
    url = reverse(url_name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_member_without_a_role_is_refused(client, merger, account):
    user = factories.UserFactory(username="no_role")
    factories.MembershipFactory(merger=merger, user=user)
    client.force_login(user)
    assert client.get(reverse("accounts:account_list")).status_code == 403
    detail = reverse("accounts:account_detail", args=[account.pk])
    assert client.get(detail).status_code == 403


def test_role_removed_from_the_rules_is_refused(client, rep_user, monkeypatch):
    monkeypatch.setitem(RULES, ("account", Action.VIEW), frozenset({Role.OPS}))
    client.force_login(rep_user)
    assert client.get(reverse("accounts:account_list")).status_code == 403


def test_outsider_gets_404_on_an_account_of_another_program(client, outsider_user, account):
    client.force_login(outsider_user)
    response = client.get(reverse("accounts:account_detail", args=[account.pk]))
    assert response.status_code == 404


def test_outsider_sees_none_of_this_programs_accounts(client, outsider_user, account):
    client.force_login(outsider_user)
    response = client.get(reverse("accounts:account_list"))
    assert response.status_code == 200
    assert account.name not in response.content.decode()
    assert list(response.context["page_obj"].object_list) == []


def test_outsider_home_shows_their_own_program(client, outsider_user, merger):
    client.force_login(outsider_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert "Another deal" in body
    assert merger.name not in body


def test_home_shows_the_programs_overview(client, rep_user, merger, account):
    factories.UnifiedAccountFactory(merger=merger, status=UnifiedAccount.Status.PROSPECT)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:home"))
    overview = response.context["overview"]
    assert overview.merger == merger
    assert overview.account_total == 2
    assert overview.status_counts[UnifiedAccount.Status.BOTH] == 1
    assert overview.status_counts[UnifiedAccount.Status.PROSPECT] == 1
    assert overview.product_count == 2
    body = response.content.decode()
    assert "Sensa Instruments" in body and "Predikt Analytics" in body
    assert 'data-chart="status-chart"' in body


def test_home_shows_opportunity_counts_from_the_tracker(client, rep_user, merger, rep, account):
    factories.OpportunityFactory(merger=merger, account=account, owner=rep)
    client.force_login(rep_user)
    body = client.get(reverse("accounts:home") + "?overview").content.decode()
    assert 'id="pipeline-summary"' in body
    assert reverse("tracker:pipeline") in body


def test_home_of_an_empty_program_says_what_is_missing(client, rep_user):
    client.force_login(rep_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert "No unified accounts yet." in body
    assert "No legacy companies yet." in body


def test_user_without_a_program_is_told_to_ask_for_one(client, db):
    client.force_login(factories.UserFactory(username="lonely", role=Role.REP))
    response = client.get(reverse("accounts:account_list"))
    assert response.status_code == 200
    assert "not a member of any cross-sell program" in response.content.decode()


def test_account_list_searches_by_name_and_domain(client, rep_user, merger, account):
    factories.UnifiedAccountFactory(merger=merger, name="Contoso", domain="contoso.example")
    client.force_login(rep_user)
    by_name = client.get(reverse("accounts:account_list"), {"q": "northwind"})
    assert [a.name for a in by_name.context["page_obj"]] == ["Northwind Mills"]
    by_domain = client.get(reverse("accounts:account_list"), {"q": "contoso.ex"})
    assert [a.name for a in by_domain.context["page_obj"]] == ["Contoso"]


def test_account_list_filters_by_segment_status_and_company(
    client, rep_user, merger, acquirer, acquired, account
):
    only_a = factories.UnifiedAccountFactory(
        merger=merger, name="Alpha", status=UnifiedAccount.Status.ACQUIRER_ONLY
    )
    factories.SourceAccountFactory(company=acquirer, unified=only_a)
    client.force_login(rep_user)
    url = reverse("accounts:account_list")

    def names(**params):
        return [a.name for a in client.get(url, params).context["page_obj"]]

    assert names(segment=account.segment_id) == ["Northwind Mills"]
    assert names(status="acquirer_only") == ["Alpha"]
    assert names(company=acquirer.pk) == ["Alpha", "Northwind Mills"]
    assert names(company=acquired.pk) == ["Northwind Mills"]


def test_account_list_sorts_and_counts_source_records(client, rep_user, merger, account):
    factories.UnifiedAccountFactory(merger=merger, name="Zeta")
    client.force_login(rep_user)
    url = reverse("accounts:account_list")
    rows = list(client.get(url, {"sort": "-sources"}).context["page_obj"])
    assert [(a.name, a.source_count) for a in rows] == [("Northwind Mills", 2), ("Zeta", 0)]
    rows = list(client.get(url, {"sort": "-name"}).context["page_obj"])
    assert [a.name for a in rows] == ["Zeta", "Northwind Mills"]


def test_account_list_ignores_a_segment_of_another_program(client, rep_user, account):
    foreign = factories.SegmentFactory()
    client.force_login(rep_user)
    response = client.get(reverse("accounts:account_list"), {"segment": foreign.pk})
    assert response.status_code == 200
    assert "segment" in response.context["filter"].form.errors


def test_account_list_pages_by_fifty(client, rep_user, merger):
    factories.UnifiedAccountFactory.create_batch(51, merger=merger)
    client.force_login(rep_user)
    url = reverse("accounts:account_list")
    first = client.get(url)
    assert len(first.context["page_obj"].object_list) == 50
    second = client.get(url, {"page": 2})
    assert len(second.context["page_obj"].object_list) == 1


def _populate(merger, acquirer, count):
    segment = factories.SegmentFactory(merger=merger)
    for _ in range(count):
        account = factories.UnifiedAccountFactory(merger=merger, segment=segment)
        factories.SourceAccountFactory(company=acquirer, unified=account)


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("accounts:account_list"))
    assert response.status_code == 200
    return len(captured)


def test_account_list_query_count_does_not_grow_with_accounts(client, rep_user, merger, acquirer):
    client.force_login(rep_user)
    _populate(merger, acquirer, 5)
    at_five = _queries_for_list(client)
    _populate(merger, acquirer, 45)
    at_fifty = _queries_for_list(client)
    assert at_fifty == at_five
    assert at_five <= 12


def test_account_detail_shows_sources_install_base_and_opportunities(
    client, rep_user, merger, rep, account
):
    opportunity = factories.OpportunityFactory(merger=merger, account=account, owner=rep)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:account_detail", args=[account.pk]))
    body = response.content.decode()
    assert "Northwind (Sensa)" in body and "Northwind (Predikt)" in body
    assert "Sensa Core" in body and "Predikt Core" in body
    assert response.context["install_base"].total_revenue == 24000
    assert opportunity.product.name in body


def test_account_detail_query_count_does_not_grow_with_records(
    client, rep_user, merger, acquirer, rep, account, django_assert_max_num_queries
):
    for _ in range(10):
        source = factories.SourceAccountFactory(company=acquirer, unified=account)
        factories.HoldingFactory(
            account=source, product=factories.ProductFactory(company=acquirer)
        )
        factories.OpportunityFactory(merger=merger, account=account, owner=rep)
    client.force_login(rep_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("accounts:account_detail", args=[account.pk]))
    assert response.status_code == 200


def test_imported_names_are_shown_escaped(client, rep_user, merger, acquirer):
    hostile = "<script>alert('x')</script>"
    account = factories.UnifiedAccountFactory(merger=merger, name=hostile, domain="<b>d</b>")
    source = factories.SourceAccountFactory(company=acquirer, unified=account, name=hostile)
    product = factories.ProductFactory(company=acquirer, name=f"Product {hostile}")
    factories.HoldingFactory(account=source, product=product)
    client.force_login(rep_user)
    for url in (
        reverse("accounts:account_list"),
        reverse("accounts:account_detail", args=[account.pk]),
    ):
        body = client.get(url).content.decode()
        assert hostile not in body
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
        assert "<b>d</b>" not in body


def test_program_switch_changes_the_current_program(client, rep_user, merger):
    second = factories.MergerFactory(name="Zulu deal")
    factories.MembershipFactory(merger=second, user=rep_user)
    client.force_login(rep_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert 'name="merger"' in body  # the switcher shows for two programs
    response = client.post(
        reverse("accounts:program_switch"),
        {"merger": second.pk, "next": reverse("accounts:account_list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account_list")
    assert client.session[CURRENT_PROGRAM_SESSION_KEY] == second.pk
    assert client.get(reverse("accounts:home")).context["overview"].merger == second


def test_program_switch_refuses_a_program_the_user_is_not_in(client, outsider_user, merger):
    client.force_login(outsider_user)
    response = client.post(reverse("accounts:program_switch"), {"merger": merger.pk})
    assert response.status_code == 404
    assert CURRENT_PROGRAM_SESSION_KEY not in client.session


def test_program_switch_ignores_an_outside_next_address(client, rep_user, merger):
    client.force_login(rep_user)
    response = client.post(
        reverse("accounts:program_switch"), {"merger": merger.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:home")


def test_program_switch_needs_post(client, rep_user, merger):
    client.force_login(rep_user)
    assert client.get(reverse("accounts:program_switch")).status_code == 405


def test_switcher_is_hidden_with_one_program(client, rep_user, merger):
    client.force_login(rep_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert reverse("accounts:program_switch") not in body


def test_stale_program_in_session_falls_back_to_the_first(client, rep_user, merger):
    client.force_login(rep_user)
    session = client.session
    session[CURRENT_PROGRAM_SESSION_KEY] = factories.MergerFactory().pk
    session.save()
    assert client.get(reverse("accounts:home")).context["overview"].merger == merger
