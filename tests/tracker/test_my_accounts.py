""" "My accounts": the accounts a user owns a relationship or a deal on, as a filter."""

import pytest
from django.urls import reverse

from accounts.selectors.accounts import unified_accounts_of_user
from tests import factories


@pytest.fixture
def accounts(merger, acquirer, acquired, rep, rep_user, other_rep):
    rep_user.first_name, rep_user.last_name = "Rita", "Moreau"
    rep_user.save()
    related = factories.UnifiedAccountFactory(merger=merger, name="Related Corp")
    factories.SourceAccountFactory(
        company=acquirer, unified=related, relationship_owner="rita moreau"
    )
    with_deal = factories.UnifiedAccountFactory(merger=merger, name="Deal Corp")
    factories.OpportunityFactory(merger=merger, owner=rep, account=with_deal)
    others = factories.UnifiedAccountFactory(merger=merger, name="Others Corp")
    factories.SourceAccountFactory(
        company=acquired, unified=others, relationship_owner="Somebody Else"
    )
    factories.OpportunityFactory(merger=merger, owner=other_rep, account=others)
    return {"related": related, "with_deal": with_deal, "others": others}


def test_my_accounts_are_those_i_own_a_relationship_or_a_deal_on(merger, rep_user, accounts):
    mine = unified_accounts_of_user(user=rep_user, merger_id=merger.pk)

    assert set(mine) == {accounts["related"], accounts["with_deal"]}


def test_another_programs_accounts_are_never_mine(merger, rep_user, accounts, acquirer):
    elsewhere = factories.MergerFactory(name="Elsewhere")
    account = factories.UnifiedAccountFactory(merger=elsewhere)
    company = factories.CompanyFactory(merger=elsewhere, role="acquirer")
    factories.SourceAccountFactory(
        company=company, unified=account, relationship_owner="Rita Moreau"
    )

    assert account not in unified_accounts_of_user(user=rep_user, merger_id=merger.pk)


def test_the_account_list_filters_on_my_accounts(client, rep_user, accounts):
    client.force_login(rep_user)

    body = client.get(reverse("accounts:account_list"), {"mine": "on"}).content.decode()

    assert "Related Corp" in body and "Deal Corp" in body
    assert "Others Corp" not in body


def test_the_pipeline_filters_on_my_accounts_for_a_leader(
    client, leader_user, merger, accounts, rep, acquirer
):
    leader_user.first_name, leader_user.last_name = "Lea", "Kim"
    leader_user.save()
    factories.SourceAccountFactory(
        company=acquirer, unified=accounts["with_deal"], relationship_owner="Lea Kim"
    )
    team_only = factories.UnifiedAccountFactory(merger=merger, name="Team Corp")
    factories.OpportunityFactory(merger=merger, owner=rep, account=team_only)
    client.force_login(leader_user)

    everything = client.get(reverse("tracker:pipeline")).content.decode()
    mine = client.get(reverse("tracker:pipeline"), {"mine": "on"}).content.decode()

    assert "Team Corp" in everything and "Deal Corp" in everything
    assert "Deal Corp" in mine and "Team Corp" not in mine
