"""The rep-facing pipeline pages: list, log, detail with timeline, edit, stage, reopen, bulk."""

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Direction, Kind, RecordChange, UnifiedAccount, WhitespaceCell
from accounts.selectors.whitespace import opportunity_url
from tests import factories
from tests.history import field_lines
from tracker.models import Opportunity, Stage

DONT_SELL = UnifiedAccount.Recommendation.DONT_SELL
UPSELL_ONLY = UnifiedAccount.Recommendation.UPSELL_ONLY


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won", "lost")


@pytest.fixture
def product(acquired):
    return factories.ProductFactory(company=acquired, name="Vibration sensors")


@pytest.fixture
def account(merger):
    return factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")


@pytest.fixture
def opportunity(merger, rep, product, stages):
    return factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )


def detail(opportunity) -> str:
    return reverse("tracker:opportunity_detail", args=[opportunity.pk])


def edit(opportunity) -> str:
    return reverse("tracker:opportunity_edit", args=[opportunity.pk])


def fresh(opportunity) -> Opportunity:
    return Opportunity.objects.get(pk=opportunity.pk)


def form_data(form, **overrides) -> dict:
    """What the browser posts back for a form shown with its initial values."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = value
        if form.fields[name].show_hidden_initial:
            data[form[name].html_initial_name] = value
    return {**data, **overrides}


# Who may open which page.

PAGES = ["list", "create", "detail", "edit"]
EXPECTED = {
    # page: rep (the owner), leader (the owner's team), executive, ops
    "list": (200, 200, 200, 200),
    "create": (200, 200, 403, 200),
    "detail": (200, 200, 200, 200),
    "edit": (200, 200, 403, 200),
}
PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user"]


def url_of(page: str, opportunity, account) -> str:
    return {
        "list": reverse("tracker:pipeline"),
        "create": f"{reverse('tracker:opportunity_create')}?account={account.pk}",
        "detail": detail(opportunity),
        "edit": edit(opportunity),
    }[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_the_pipeline_pages_its_rules_allow(
    client, request, rep, opportunity, account, page, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url_of(page, opportunity, account))
    assert response.status_code == EXPECTED[page][PERSONAS.index(persona)]


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_login(client, opportunity, account, page):
    response = client.get(url_of(page, opportunity, account))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", ["create", "detail", "edit"])
def test_another_programs_member_finds_nothing(client, outsider_user, opportunity, account, page):
    client.force_login(outsider_user)
    assert client.get(url_of(page, opportunity, account)).status_code == 404


def test_a_rep_cannot_edit_or_move_another_reps_opportunity(
    client, opportunity, other_rep, stages
):
    client.force_login(other_rep.user)
    assert client.get(edit(opportunity)).status_code == 403
    stage_url = reverse("tracker:opportunity_stage", args=[opportunity.pk])
    body = {"stage": stages["proposal"].pk, "version": 1}
    assert client.post(stage_url, body).status_code == 403
    assert fresh(opportunity).stage == stages["identified"]


def test_an_executive_reads_without_change_controls(client, executive_user, opportunity):
    client.force_login(executive_user)
    response = client.get(detail(opportunity))
    assert response.context["stage_form"] is None
    assert edit(opportunity) not in response.content.decode()


# The list: whose opportunities, filters, sorting, figures.


def test_a_rep_sees_only_their_own(client, rep_user, merger, rep, other_rep, product, stages):
    mine = factories.OpportunityFactory(merger=merger, owner=rep, product=product)
    factories.OpportunityFactory(merger=merger, owner=other_rep, product=product)
    client.force_login(rep_user)
    response = client.get(reverse("tracker:pipeline"))
    assert list(response.context["page_obj"]) == [mine]
    assert "owner" not in response.context["filter"].form.fields
    assert "My opportunities" in response.content.decode()


def test_a_leader_sees_their_teams_and_filters_by_owner(
    client, leader_user, merger, rep, team, other_rep, product
):
    teammate = factories.RepFactory(merger=merger, team=team)
    theirs = factories.OpportunityFactory(merger=merger, owner=rep, product=product)
    mate = factories.OpportunityFactory(merger=merger, owner=teammate, product=product)
    factories.OpportunityFactory(merger=merger, owner=other_rep, product=product)
    client.force_login(leader_user)
    url = reverse("tracker:pipeline")
    assert set(client.get(url).context["page_obj"]) == {theirs, mate}
    by_owner = client.get(url, {"owner": teammate.pk})
    assert list(by_owner.context["page_obj"]) == [mate]
    outside = client.get(url, {"owner": other_rep.pk})
    assert "owner" in outside.context["filter"].form.errors


def test_the_list_filters_by_outcome_kind_search_and_stale(
    client, executive_user, merger, rep, product, stages
):
    won = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=dt.date(2026, 3, 1),
    )
    upsell = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, kind=Kind.UPSELL, customer_need="Bigger plan"
    )
    stale = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        progressed_at=timezone.now() - dt.timedelta(days=90),
    )
    client.force_login(executive_user)
    url = reverse("tracker:pipeline")

    def rows(**params):
        return set(client.get(url, params).context["page_obj"])

    assert rows(outcome="won") == {won}
    assert rows(kind="upsell") == {upsell}
    assert rows(q="bigger") == {upsell}
    assert rows(stale="on") == {stale}


def test_the_list_sorts_by_expected_close(client, rep_user, merger, rep, product):
    late = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, expected_close=dt.date(2026, 12, 1)
    )
    soon = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, expected_close=dt.date(2026, 7, 1)
    )
    client.force_login(rep_user)
    response = client.get(reverse("tracker:pipeline"), {"sort": "close"})
    assert list(response.context["page_obj"]) == [soon, late]


def test_the_summary_counts_open_weighted_and_won_this_month(
    client, rep_user, merger, rep, product, stages
):
    factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, amount=Decimal("10000"), probability=60
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("7000"),
        closed_on=timezone.localdate(),
    )
    client.force_login(rep_user)
    figures = client.get(reverse("tracker:pipeline")).context["figures"]
    assert (figures.open_amount, figures.weighted_amount) == (Decimal("10000"), Decimal("6000"))
    assert (figures.won_count, figures.won_amount) == (1, Decimal("7000"))


def _list_queries(user, url: str) -> int:
    # A fresh user object: roles and programs are cached on the instance.
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(merger, owners, product, stages, n: int) -> None:
    for index in range(n):
        factories.OpportunityFactory(
            merger=merger,
            owner=owners[index % len(owners)],
            product=product,
            account=factories.UnifiedAccountFactory(merger=merger),
            stage=stages["identified"],
        )


@pytest.mark.parametrize("persona", ["rep_user", "leader_user", "executive_user", "ops_user"])
def test_the_list_query_count_does_not_grow_with_opportunities(
    request, merger, rep, team, other_rep, product, stages, persona
):
    user = request.getfixturevalue(persona)
    owners = [rep, factories.RepFactory(merger=merger, team=team), other_rep]
    url = reverse("tracker:pipeline")
    _add(merger, owners, product, stages, 5)
    at_five = _list_queries(user, url)
    _add(merger, owners, product, stages, 45)
    assert _list_queries(user, url) == at_five


# Logging an opportunity in three clicks.


@pytest.fixture
def candidate(merger, account, product):
    return WhitespaceCell.objects.create(
        merger=merger,
        account=account,
        product=product,
        direction=Direction.B_TO_A,
        kind=Kind.CROSS_SELL,
        potential_value=Decimal("30000.00"),
    )


def whitespace_link(cell) -> str:
    return opportunity_url(
        account_id=cell.account_id,
        product_id=cell.product_id,
        kind=cell.kind,
        direction=cell.direction,
        amount=cell.potential_value,
    )


def test_a_whitespace_cell_opens_a_prefilled_form_and_one_save_logs_it(
    client, rep_user, rep, candidate, stages
):
    client.force_login(rep_user)
    shown = client.get(whitespace_link(candidate))  # click 1: the cell
    assert shown.status_code == 200
    form = shown.context["form"]
    assert form["product"].value() == candidate.product_id
    assert form["kind"].value() == Kind.CROSS_SELL
    assert shown.context["prefill"].direction_label == Direction.B_TO_A.label
    assert form["amount"].value() == Decimal("30000.00")
    assert form["owner"].value() == rep.pk
    assert form["stage"].value() == stages["identified"].pk

    # Click 2: type the need; click 3: save.
    need = "Bearing failures stop the conveyor twice a month"
    response = client.post(shown.request["PATH_INFO"], form_data(form, customer_need=need))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(opportunity)
    assert (opportunity.source, opportunity.customer_need) == (Opportunity.Source.WHITESPACE, need)
    assert (opportunity.owner, opportunity.amount) == (rep, Decimal("30000.00"))
    assert field_lines(
        opportunity, action=RecordChange.Action.CREATED, created=True, actor=rep_user
    )


def test_the_customer_need_is_required(client, rep_user, rep, candidate, stages):
    client.force_login(rep_user)
    form = client.get(whitespace_link(candidate)).context["form"]
    response = client.post(reverse("tracker:opportunity_create"), form_data(form))
    assert response.status_code == 200
    assert "customer_need" in response.context["form"].errors
    assert not Opportunity.objects.exists()


def test_an_account_link_prefills_from_the_product(client, rep_user, rep, merger, stages):
    account = factories.UnifiedAccountFactory(
        merger=merger, status=UnifiedAccount.Status.ACQUIRED_ONLY
    )
    acquirer_product = factories.ProductFactory(
        company=rep.company, typical_deal_size=Decimal("18000.00"), typical_cycle_days=45
    )
    client.force_login(rep_user)
    query = urlencode({"account": account.pk, "product": acquirer_product.pk})
    page = client.get(f"{reverse('tracker:opportunity_create')}?{query}")
    form = page.context["form"]
    assert page.context["prefill"].direction_label == Direction.A_TO_B.label
    assert form["amount"].value() == Decimal("18000.00")
    assert form["expected_close"].value() == timezone.localdate() + dt.timedelta(days=45)


def test_without_an_account_the_form_asks_which_one(client, rep_user, account):
    client.force_login(rep_user)
    response = client.get(reverse("tracker:opportunity_create"), {"q": "acme"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [account]
    assert f"?account={account.pk}" in response.content.decode()


def test_the_accounts_to_choose_from_page_past_the_first_twenty(client, rep_user, merger):
    """Only the first twenty were listed, with no way to the others but a search."""
    names = [f"Account {n:02d}" for n in range(45)]
    for name in names:
        factories.UnifiedAccountFactory(merger=merger, name=name)
    client.force_login(rep_user)
    url = reverse("tracker:opportunity_create")
    first = client.get(url).content.decode()
    assert "Account 19" in first and "Account 20" not in first
    assert "Page 1 of 3" in first and 'rel="next"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert "Account 44" in last and "Account 39" not in last


def test_a_warning_asks_to_save_anyway(client, rep_user, rep, candidate, stages):
    client.force_login(rep_user)
    form = client.get(whitespace_link(candidate)).context["form"]
    data = form_data(form, customer_need="Spare parts for one site", amount="1000.00")
    url = reverse("tracker:opportunity_create")
    warned = client.post(url, data)
    assert warned.status_code == 200
    body = warned.content.decode()
    assert "smaller than a tenth" in body
    assert 'name="confirm" value="1"' in body
    assert not Opportunity.objects.exists()

    saved = client.post(url, {**data, "confirm": "1"})
    assert saved.status_code == 302
    assert Opportunity.objects.get().amount == Decimal("1000.00")


def test_a_rep_is_told_to_ask_their_leader_on_a_dont_sell_account(
    client, rep_user, rep, candidate, account, stages
):
    account.recommendation = DONT_SELL
    account.recommendation_reason = "Revenue reverser: credits are 30% of revenue."
    account.save()
    client.force_login(rep_user)
    shown = client.get(whitespace_link(candidate))
    assert "Ask your sales leader" in shown.content.decode()
    assert "risk_override_reason" not in shown.context["form"].fields
    response = client.post(
        reverse("tracker:opportunity_create"),
        form_data(shown.context["form"], customer_need="They asked for it"),
    )
    assert response.status_code == 200
    assert "Ask your sales leader" in " ".join(response.context["form"].non_field_errors())
    assert not Opportunity.objects.exists()


def test_a_leader_overrides_dont_sell_with_a_reason_on_record(
    client, leader_user, rep, candidate, account, stages
):
    account.recommendation = DONT_SELL
    account.save()
    client.force_login(leader_user)
    form = client.get(whitespace_link(candidate)).context["form"]
    assert "risk_override_reason" in form.fields
    data = form_data(form, customer_need="Board mandate for condition monitoring", owner=rep.pk)
    url = reverse("tracker:opportunity_create")
    missing = client.post(url, data)
    assert "risk_override_reason" in missing.context["form"].errors

    client.post(url, {**data, "risk_override_reason": "New CFO, credits settled"})
    opportunity = Opportunity.objects.get()
    assert (opportunity.risk_override_by, opportunity.risk_override_reason) == (
        leader_user,
        "New CFO, credits settled",
    )
    assert field_lines(opportunity, action=RecordChange.Action.OVERRIDDEN)
    assert "Overridden by" in client.get(detail(opportunity)).content.decode()


def test_the_form_says_upsell_only_before_a_rep_submits_and_refuses_a_cross_sell(
    client, rep_user, rep, candidate, account, stages
):
    account.recommendation = UPSELL_ONLY
    account.recommendation_reason = "Upsell only: cross-buying only moves money around."
    account.save()
    client.force_login(rep_user)
    shown = client.get(whitespace_link(candidate))
    body = shown.content.decode()
    assert "The risk screen says: upsell only for this account." in body
    assert "You can log an upsell here. A cross-sell is refused" in body
    response = client.post(
        reverse("tracker:opportunity_create"),
        form_data(shown.context["form"], customer_need="They asked for it"),
    )
    assert response.status_code == 200
    assert "upsell only for Acme Mining" in response.context["form"].errors["kind"][0]
    assert not Opportunity.objects.exists()

    upsell = client.post(
        reverse("tracker:opportunity_create"),
        form_data(shown.context["form"], customer_need="More sensors", kind="upsell", confirm="1"),
    )
    assert upsell.status_code == 302
    assert Opportunity.objects.get().kind == Kind.UPSELL


def test_a_leader_logs_a_cross_sell_on_an_upsell_only_account_with_a_reason(
    client, leader_user, rep, candidate, account, stages
):
    account.recommendation = UPSELL_ONLY
    account.save()
    client.force_login(leader_user)
    shown = client.get(whitespace_link(candidate))
    assert "say below why you override the screen" in shown.content.decode()
    data = form_data(shown.context["form"], customer_need="Second plant", owner=rep.pk)
    url = reverse("tracker:opportunity_create")
    assert "risk_override_reason" in client.post(url, data).context["form"].errors
    client.post(url, {**data, "risk_override_reason": "Second plant, separate budget"})
    assert Opportunity.objects.get().risk_override_by == leader_user


def test_the_account_page_says_what_upsell_only_allows(client, rep_user, account):
    account.recommendation = UPSELL_ONLY
    account.recommendation_reason = "Upsell only: service demander."
    account.save()
    client.force_login(rep_user)
    body = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "a cross-sell needs a sales leader's override" in body


def test_editing_an_upsell_into_a_cross_sell_on_an_upsell_only_account(
    client, rep_user, leader_user, merger, rep, product, stages, account
):
    account.recommendation = UPSELL_ONLY
    account.save()
    opportunity = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        account=account,
        product=product,
        stage=stages["identified"],
        kind=Kind.UPSELL,
    )
    client.force_login(rep_user)
    form = client.get(edit(opportunity)).context["form"]
    assert "risk_override_reason" not in form.fields
    refused = client.post(edit(opportunity), form_data(form, kind="cross_sell"))
    assert "upsell only" in refused.context["form"].errors["kind"][0]
    assert fresh(opportunity).kind == Kind.UPSELL

    client.force_login(leader_user)
    form = client.get(edit(opportunity)).context["form"]
    data = form_data(form, kind="cross_sell", risk_override_reason="Board asked", confirm="1")
    assert client.post(edit(opportunity), data).status_code == 302
    assert (fresh(opportunity).kind, fresh(opportunity).risk_override_by) == (
        Kind.CROSS_SELL,
        leader_user,
    )


def test_a_second_open_opportunity_is_refused_with_a_link_to_the_first(
    client, rep_user, rep, candidate, account, product, stages
):
    first = factories.OpportunityFactory(
        merger=rep.merger, owner=rep, account=account, product=product, stage=stages["identified"]
    )
    client.force_login(rep_user)
    form = client.get(whitespace_link(candidate)).context["form"]
    response = client.post(
        reverse("tracker:opportunity_create"), form_data(form, customer_need="Same need again")
    )
    assert response.status_code == 200
    assert f'href="{detail(first)}"' in response.content.decode()
    assert Opportunity.objects.count() == 1


# Editing: the version travels with the form.


def test_an_edit_saves_and_records_old_and_new(client, rep_user, opportunity):
    client.force_login(rep_user)
    form = client.get(edit(opportunity)).context["form"]
    assert form["version"].value() == 1
    response = client.post(edit(opportunity), form_data(form, next_step="Site visit"))
    assert response.status_code == 302
    assert (fresh(opportunity).next_step, fresh(opportunity).version) == ("Site visit", 2)
    [row] = field_lines(opportunity, field="next_step")
    assert (row.old_value, row.new_value, row.changed_by) == ("", "Site visit", rep_user)


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(
    client, rep_user, leader_user, opportunity
):
    client.force_login(rep_user)
    reps_form = client.get(edit(opportunity)).context["form"]
    client.force_login(leader_user)
    leaders_form = client.get(edit(opportunity)).context["form"]

    saved = client.post(
        edit(opportunity), form_data(leaders_form, amount="31000.00", probability=40)
    )
    assert saved.status_code == 302

    client.force_login(rep_user)
    late = client.post(
        edit(opportunity), form_data(reps_form, amount="99.00", next_step="Call back")
    )
    assert late.status_code == 200
    body = late.content.decode()
    leader_name = leader_user.get_full_name()
    assert re.search(rf"{re.escape(leader_name)} changed this opportunity at \d\d:\d\d", body)
    assert "your changes were not saved" in body
    # Only what this user changed, not what the other person changed in between.
    assert late.context["yours"] == [("Amount", "99.00"), ("Next step", "Call back")]
    assert late.context["form"]["version"].value() == 2
    assert late.context["form"]["amount"].value() == Decimal("31000.00")
    assert fresh(opportunity).amount == Decimal("31000.00")


# Stages, reopening and the timeline.


def stage_url(opportunity) -> str:
    return reverse("tracker:opportunity_stage", args=[opportunity.pk])


def test_closed_won_asks_for_the_amount_and_the_close_date(client, rep_user, opportunity, stages):
    client.force_login(rep_user)
    refused = client.post(
        stage_url(opportunity), {"stage": stages["won"].pk, "version": 1, "amount": ""}
    )
    assert refused.status_code == 200
    assert {"amount", "closed_on"} <= set(refused.context["stage_form"].errors)
    assert fresh(opportunity).is_open

    won = client.post(
        stage_url(opportunity),
        {"stage": stages["won"].pk, "version": 1, "amount": "25000", "closed_on": "2026-04-01"},
    )
    assert won.status_code == 302
    stored = fresh(opportunity)
    assert (stored.outcome, stored.amount, stored.closed_on) == (
        Stage.Outcome.WON,
        Decimal("25000.00"),
        dt.date(2026, 4, 1),
    )


def test_closed_lost_asks_for_a_reason(client, rep_user, opportunity, stages):
    client.force_login(rep_user)
    refused = client.post(stage_url(opportunity), {"stage": stages["lost"].pk, "version": 1})
    assert "lost_reason" in refused.context["stage_form"].errors
    client.post(
        stage_url(opportunity),
        {"stage": stages["lost"].pk, "version": 1, "lost_reason": "Budget went to safety"},
    )
    assert fresh(opportunity).lost_reason == "Budget went to safety"


def test_a_stale_stage_move_is_refused_with_who_and_when(
    client, rep_user, leader_user, opportunity, stages
):
    client.force_login(leader_user)
    client.post(stage_url(opportunity), {"stage": stages["proposal"].pk, "version": 1})
    client.force_login(rep_user)
    response = client.post(
        stage_url(opportunity),
        {"stage": stages["lost"].pk, "version": 1, "lost_reason": "x"},
        follow=True,
    )
    assert "changed this opportunity at" in response.content.decode()
    assert fresh(opportunity).stage == stages["proposal"]


def _path_form(body: str, stage_name: str) -> dict[str, str]:
    """The hidden fields of the stage path's button for `stage_name`, as a click posts them."""
    path = body[body.index('class="stage-path"') : body.index("</nav>", body.index("stage-path"))]
    for form in re.findall(r"<form .*?</form>", path, flags=re.S):
        if re.search(rf">{re.escape(stage_name)}</button>", form):
            return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    raise AssertionError(f"no one-click step for {stage_name}")


def test_the_stage_path_moves_a_deal_on_in_one_click_each_and_records_it(
    client, rep_user, opportunity, stages
):
    client.force_login(rep_user)

    body = client.get(detail(opportunity)).content.decode()
    moved = client.post(stage_url(opportunity), _path_form(body, "Proposal"))

    assert moved.status_code == 302 and moved["Location"] == detail(opportunity)
    assert fresh(opportunity).stage == stages["proposal"]
    body = client.get(detail(opportunity)).content.decode()
    assert 'aria-current="step"' in body
    won = client.post(stage_url(opportunity), _path_form(body, "Closed won"))

    assert won.status_code == 302
    stored = fresh(opportunity)
    assert (stored.outcome, stored.amount, stored.closed_on) == (
        Stage.Outcome.WON,
        opportunity.amount,
        timezone.localdate(),
    )
    fields = {line.field for line in field_lines(opportunity)}
    assert "stage" in fields


def test_the_stage_path_sends_lost_through_the_form_and_offers_nothing_to_readers(
    client, rep_user, executive_user, opportunity, stages
):
    client.force_login(rep_user)
    body = client.get(detail(opportunity)).content.decode()
    try:
        _path_form(body, "Closed lost")
    except AssertionError:
        pass
    else:
        raise AssertionError("lost needs a reason and must not be one click")
    assert 'href="#opportunity-actions"' in body

    client.force_login(executive_user)
    body = client.get(detail(opportunity)).content.decode()
    assert 'class="stage-path"' in body
    assert "stage-path__button" not in body


def test_a_stale_click_on_the_stage_path_is_refused(
    client, rep_user, leader_user, opportunity, stages
):
    client.force_login(rep_user)
    body = client.get(detail(opportunity)).content.decode()
    client.force_login(leader_user)
    client.post(stage_url(opportunity), _path_form(body, "Proposal"))
    client.force_login(rep_user)

    response = client.post(stage_url(opportunity), _path_form(body, "Closed won"), follow=True)

    assert "changed this opportunity at" in response.content.decode()
    assert fresh(opportunity).stage == stages["proposal"]


def test_reopening_is_an_explicit_action(client, rep_user, merger, rep, product, stages):
    won = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=dt.date(2026, 3, 1),
    )
    client.force_login(rep_user)
    page = client.get(detail(won))
    stage_choices = list(page.context["stage_form"].fields["stage"].queryset)
    assert stages["identified"] not in stage_choices
    assert page.context["reopen_form"] is not None

    response = client.post(
        reverse("tracker:opportunity_reopen", args=[won.pk]),
        {"stage": stages["proposal"].pk, "version": 1},
    )
    assert response.status_code == 302
    stored = fresh(won)
    assert (stored.outcome, stored.reopen_count, stored.closed_on) == (
        Stage.Outcome.OPEN,
        1,
        None,
    )
    assert field_lines(won, action=RecordChange.Action.REOPENED)


def test_the_timeline_shows_old_and_new_with_the_actor_newest_first(
    client, rep_user, opportunity, stages
):
    client.force_login(rep_user)
    client.post(stage_url(opportunity), {"stage": stages["proposal"].pk, "version": 1})
    form = client.get(edit(opportunity)).context["form"]
    client.post(edit(opportunity), form_data(form, amount="26000.00"))

    response = client.get(detail(opportunity))
    timeline = response.context["timeline"]
    assert timeline[0].field == "amount"
    stage_entry = next(entry for entry in timeline if entry.field == "stage")
    assert (stage_entry.old_value, stage_entry.new_value) == ("Identified", "Proposal")
    assert stage_entry.actor == rep_user.get_full_name()
    body = response.content.decode()
    assert "<del>Identified</del> → <ins>Proposal</ins>" in body
    assert "<del>20,000</del> → <ins>26,000</ins>" in body


def test_history_shows_amounts_and_dates_in_the_readers_format(
    client, rep_user, executive_user, opportunity
):
    client.force_login(rep_user)
    form = client.get(edit(opportunity)).context["form"]
    old_close = opportunity.expected_close
    new_close = old_close + dt.timedelta(days=30)
    client.post(
        edit(opportunity),
        form_data(form, amount="26000.00", expected_close=new_close.isoformat()),
    )
    kept = RecordChange.objects.filter(object_id=opportunity.pk, action="changed").get()
    assert kept.changes["amount"] == ["20000.00", "26000.00"]  # kept as written

    russian = {"HTTP_ACCEPT_LANGUAGE": "ru"}
    timeline = client.get(detail(opportunity), **russian).content.decode()
    client.force_login(executive_user)
    activity = client.get(reverse("accounts:activity"), **russian).content.decode()

    for body in (timeline, activity):
        assert "20\xa0000" in body and "26\xa0000" in body
        assert "20000.00" not in body
        assert f"{old_close:%d.%m.%Y}" in body and f"{new_close:%d.%m.%Y}" in body
        assert old_close.isoformat() not in body
    # When the change was made, in the reader's format too.
    assert f"{timezone.localdate():%d.%m.%Y}" in activity


# Bulk changes from the list.


def bulk(client, **data):
    return client.post(reverse("tracker:pipeline_bulk"), data, follow=True)


def test_a_leader_moves_a_selection_and_hears_about_each_refusal(
    client, leader_user, merger, rep, other_rep, product, stages
):
    ours = [
        factories.OpportunityFactory(
            merger=merger, owner=rep, product=product, stage=stages["identified"]
        )
        for _ in range(2)
    ]
    stale = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"], version=3
    )
    client.force_login(leader_user)
    list_page = client.get(reverse("tracker:pipeline"))
    assert list_page.context["bulk_form"] is not None
    response = bulk(
        client,
        selected=[f"{o.pk}:1" for o in ours] + [f"{stale.pk}:1"],
        stage=stages["proposal"].pk,
        next=reverse("tracker:pipeline"),
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "2 opportunities changed." in messages
    assert any(m.startswith(f"#{stale.pk}:") and "version" in m for m in messages)
    assert [fresh(o).stage for o in ours] == [stages["proposal"]] * 2
    assert fresh(stale).stage == stages["identified"]
    assert (
        len(
            field_lines(
                Opportunity,
                field="stage",
                actor=leader_user,
                object_id__in=[deal.pk for deal in ours],
            )
        )
        == 2
    )


def test_a_leader_hands_a_selection_to_another_rep_of_the_team(
    client, leader_user, merger, rep, team, product, stages
):
    mate = factories.RepFactory(merger=merger, team=team)
    opportunity = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )
    client.force_login(leader_user)
    bulk(client, selected=[f"{opportunity.pk}:1"], owner=mate.pk)
    assert fresh(opportunity).owner == mate


def test_a_rep_gets_no_bulk_action(client, rep_user, opportunity, stages):
    client.force_login(rep_user)
    assert client.get(reverse("tracker:pipeline")).context["bulk_form"] is None
    response = client.post(
        reverse("tracker:pipeline_bulk"),
        {"selected": [f"{opportunity.pk}:1"], "stage": stages["proposal"].pk},
    )
    assert response.status_code == 403
    assert fresh(opportunity).stage == stages["identified"]


# The account page leads to the form; the pages follow the layout's rules.


def test_the_account_page_offers_log_opportunity_to_sellers_only(
    client, rep_user, executive_user, rep, candidate, account
):
    client.force_login(rep_user)
    body = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert f"/pipeline/new/?account={account.pk}" in body
    assert whitespace_link(candidate).replace("&", "&amp;") in body
    client.force_login(executive_user)
    body = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "/pipeline/new/" not in body


def test_the_account_page_links_to_the_open_deal_instead_of_offering_its_product_again(
    client, rep_user, merger, rep, candidate, account, product, stages
):
    deal = factories.OpportunityFactory(
        merger=merger, owner=rep, account=account, product=product, stage=stages["identified"]
    )
    client.force_login(rep_user)

    body = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()

    assert whitespace_link(candidate).replace("&", "&amp;") not in body
    assert f'href="{detail(deal)}">Open deal</a>' in body


def test_the_account_page_offers_only_upsells_on_an_upsell_only_account(
    client, rep_user, rep, merger, account, candidate, acquirer
):
    upsell = WhitespaceCell.objects.create(
        merger=merger,
        account=account,
        product=factories.ProductFactory(company=acquirer, name="Sensor upgrade"),
        direction=Direction.A_TO_B,
        kind=Kind.UPSELL,
        potential_value=Decimal("5000.00"),
    )
    account.recommendation = UPSELL_ONLY
    account.save()
    client.force_login(rep_user)

    body = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()

    assert whitespace_link(upsell).replace("&", "&amp;") in body
    assert whitespace_link(candidate).replace("&", "&amp;") not in body
    assert "only upsells are offered" in body


def test_a_dont_sell_account_offers_a_rep_nothing_and_a_leader_only_the_override(
    client, rep_user, leader_user, rep, account, candidate
):
    account.recommendation = UnifiedAccount.Recommendation.DONT_SELL
    account.save()
    page = reverse("accounts:account_detail", args=[account.pk])

    client.force_login(rep_user)
    body = client.get(page).content.decode()
    assert "/pipeline/new/" not in body
    assert "recommends not selling to this account" in body

    client.force_login(leader_user)
    body = client.get(page).content.decode()
    assert f"/pipeline/new/?account={account.pk}" in body  # with a stated override
    assert whitespace_link(candidate).replace("&", "&amp;") not in body


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.h1 = 0
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        self.h1 += tag == "h1"
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += attributes.get("type") != "application/json"


def test_the_pipeline_pages_have_one_heading_unique_ids_and_no_inline_script(
    client, ops_user, merger, rep, candidate, stages, product
):
    won = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=dt.date(2026, 3, 1),
    )
    client.force_login(ops_user)
    for url in [
        reverse("tracker:pipeline"),
        whitespace_link(candidate),
        reverse("tracker:opportunity_create"),
        detail(won),
        edit(won),
        reverse("tracker:supervision"),
        reverse("tracker:wins"),
    ]:
        page = _Page()
        page.feed(client.get(url).content.decode())
        assert page.h1 == 1, url
        assert len(page.ids) == len(set(page.ids)), url
        assert page.inline_scripts == 0, url


def test_whole_deal_amounts_read_without_cents(client, leader_user, merger, rep, product, stages):
    deal = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["identified"],
        amount=Decimal("12500"),
    )
    client.force_login(leader_user)
    for url in (reverse("tracker:pipeline"), detail(deal)):
        page = client.get(url).content.decode()
        assert "12,500" in page, url
        assert "12,500.00" not in page, url


def test_the_timeline_names_the_stage_field_in_the_readers_language(
    client, rep_user, opportunity, stages
):
    client.force_login(rep_user)
    client.post(stage_url(opportunity), {"stage": stages["proposal"].pk, "version": 1})

    body = client.get(detail(opportunity), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "«этап»" in body
    assert "«stage»" not in body
