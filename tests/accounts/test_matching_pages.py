"""Review queue pages: who may look, who may decide, and what gets recorded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import MatchCandidate, MatchDecision, UnifiedAccount
from accounts.services.matching import accounts_match
from tests import factories

Status = MatchCandidate.Status


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _pending_pairs(acquirer, acquired, count: int) -> None:
    for i in range(count):
        factories.SourceAccountFactory(company=acquirer, name=f"Schneider{i:03d} Electric")
        factories.SourceAccountFactory(company=acquired, name=f"Schnieder{i:03d} Electric SA")


@pytest.fixture
def matched(merger, acquirer, acquired):
    acme_a = factories.SourceAccountFactory(company=acquirer, name="Acme Corp", website="acme.com")
    acme_b = factories.SourceAccountFactory(company=acquired, name="ACME Inc", website="acme.com")
    _pending_pairs(acquirer, acquired, 1)
    accounts_match(merger=merger)
    return {
        "acme_a": acme_a,
        "acme_b": acme_b,
        "pending": MatchCandidate.objects.get(status=Status.PENDING),
    }


def test_sales_ops_sees_the_queue_with_both_records_and_reasons(client, ops_user, matched):
    client.force_login(ops_user)

    html = client.get(reverse("accounts:match_review")).content.decode()

    assert "Schneider000 Electric" in html and "Schnieder000 Electric SA" in html
    assert "alike" in html


def test_the_candidate_page_shows_the_records_side_by_side_with_decide_buttons(
    client, ops_user, matched
):
    client.force_login(ops_user)

    response = client.get(reverse("accounts:match_candidate", args=[matched["pending"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Schneider000 Electric" in html and "Schnieder000 Electric SA" in html
    assert reverse("accounts:match_candidate_confirm", args=[matched["pending"].pk]) in html


def test_confirming_on_the_page_records_who_decided_and_moves_on(client, ops_user, matched):
    client.force_login(ops_user)
    candidate = matched["pending"]

    response = client.post(
        reverse("accounts:match_candidate_confirm", args=[candidate.pk]), {"note": "Same VAT"}
    )

    assert response.status_code == 302
    decision = MatchDecision.objects.get(candidate=candidate, action=MatchDecision.Action.CONFIRM)
    assert (decision.decided_by, decision.note) == (ops_user, "Same VAT")
    candidate.refresh_from_db()
    assert candidate.status == Status.CONFIRMED


def test_rejecting_on_the_page_keeps_the_records_apart(client, ops_user, matched):
    client.force_login(ops_user)
    candidate = matched["pending"]

    client.post(reverse("accounts:match_candidate_reject", args=[candidate.pk]))

    candidate.refresh_from_db()
    assert candidate.status == Status.REJECTED
    assert candidate.left.unified_id != candidate.right.unified_id


@pytest.fixture
def many_pending(merger, acquirer, acquired):
    _pending_pairs(acquirer, acquired, 4)
    accounts_match(merger=merger)
    return list(MatchCandidate.objects.filter(status=Status.PENDING).order_by("pk"))


def _reject_ticked(client, candidates, **extra):
    return client.post(
        reverse("accounts:match_candidates_reject"),
        {"selected": [str(c.pk) for c in candidates], "page": "1", **extra},
        follow=True,
    )


def test_sales_ops_reject_the_ticked_pairs_together_with_one_reason(
    client, ops_user, many_pending
):
    ticked, left = many_pending[:3], many_pending[3:]
    client.force_login(ops_user)

    response = _reject_ticked(
        client, [*ticked, ticked[0]], note="Different companies, same family name"
    )

    assert "3 pairs rejected." in response.text
    assert "decided meanwhile" not in response.text  # the pair ticked twice counts once
    assert {c.pk for c in MatchCandidate.objects.filter(status=Status.REJECTED)} == {
        c.pk for c in ticked
    }
    assert all(MatchCandidate.objects.get(pk=c.pk).status == Status.PENDING for c in left)
    decisions = MatchDecision.objects.filter(candidate__in=ticked)
    assert decisions.count() == 3
    assert {(d.action, d.decided_by_id, d.note) for d in decisions} == {
        ("reject", ops_user.pk, "Different companies, same family name")
    }
    assert response.redirect_chain[-1][0].endswith("?page=1")


def test_a_pair_decided_meanwhile_is_left_as_it_is_and_the_page_says_so(
    client, ops_user, many_pending
):
    client.force_login(ops_user)
    client.post(reverse("accounts:match_candidate_confirm", args=[many_pending[0].pk]))

    response = _reject_ticked(client, many_pending[:2])

    assert "1 pair rejected." in response.text
    assert "1 pair was decided meanwhile" in response.text
    assert MatchCandidate.objects.get(pk=many_pending[0].pk).status == Status.CONFIRMED


def test_rejecting_with_nothing_ticked_asks_to_tick_pairs(client, ops_user, many_pending):
    client.force_login(ops_user)

    response = _reject_ticked(client, [])

    assert "Tick the pairs to reject first." in response.text
    assert not MatchCandidate.objects.filter(status=Status.REJECTED).exists()


def test_a_rejected_pair_is_not_proposed_again_by_the_next_matching_run(
    client, ops_user, merger, many_pending
):
    client.force_login(ops_user)
    _reject_ticked(client, many_pending[:1])

    accounts_match(merger=merger)

    rejected = MatchCandidate.objects.get(pk=many_pending[0].pk)
    assert rejected.status == Status.REJECTED
    assert rejected.left.unified_id != rejected.right.unified_id


def test_an_executive_sees_no_tick_boxes_and_cannot_reject_in_bulk(
    client, executive_user, many_pending
):
    client.force_login(executive_user)

    page = client.get(reverse("accounts:match_review")).content.decode()
    response = _reject_ticked(client, many_pending)

    assert 'name="selected"' not in page
    assert response.status_code == 403
    assert not MatchCandidate.objects.filter(status=Status.REJECTED).exists()


def _confirm_ticked(client, candidates, **extra):
    return client.post(
        reverse("accounts:match_candidates_confirm"),
        {"selected": [str(c.pk) for c in candidates], "page": "1", **extra},
        follow=True,
    )


def test_sales_ops_confirm_the_ticked_pairs_together_like_single_confirmations(
    client, ops_user, many_pending
):
    ticked, left = many_pending[:3], many_pending[3:]
    client.force_login(ops_user)
    accounts_before = UnifiedAccount.objects.count()

    response = _confirm_ticked(client, [*ticked, ticked[0]], note="Same VAT numbers")

    assert "3 pairs confirmed" in response.text
    assert "decided meanwhile" not in response.text
    for candidate in ticked:
        candidate.refresh_from_db()
        assert candidate.status == Status.CONFIRMED
        assert candidate.left.unified_id == candidate.right.unified_id
    assert all(MatchCandidate.objects.get(pk=c.pk).status == Status.PENDING for c in left)
    decisions = MatchDecision.objects.filter(candidate__in=ticked)
    assert {(d.action, d.decided_by_id, d.note) for d in decisions} == {
        ("confirm", ops_user.pk, "Same VAT numbers")
    }
    assert all(d.to_unified_id is not None for d in decisions)
    # Each confirmed pair leaves one account fewer, as three single confirmations would.
    assert UnifiedAccount.objects.count() == accounts_before - 3
    assert response.redirect_chain[-1][0].endswith("?page=1")


def test_confirming_in_bulk_leaves_a_pair_decided_meanwhile_and_says_so(
    client, ops_user, many_pending
):
    client.force_login(ops_user)
    client.post(reverse("accounts:match_candidate_reject", args=[many_pending[0].pk]))

    response = _confirm_ticked(client, many_pending[:2])

    assert "1 pair confirmed" in response.text
    assert "1 pair was decided meanwhile" in response.text
    assert MatchCandidate.objects.get(pk=many_pending[0].pk).status == Status.REJECTED


def test_a_pair_confirmed_in_bulk_stays_together_after_the_next_matching_run(
    client, ops_user, merger, many_pending
):
    client.force_login(ops_user)
    _confirm_ticked(client, many_pending[:2])

    accounts_match(merger=merger)

    for candidate in many_pending[:2]:
        candidate.refresh_from_db()
        assert candidate.status == Status.CONFIRMED
        assert candidate.left.unified_id == candidate.right.unified_id


def test_an_executive_cannot_confirm_in_bulk(client, executive_user, many_pending):
    client.force_login(executive_user)

    response = _confirm_ticked(client, many_pending)

    assert response.status_code == 403
    assert not MatchCandidate.objects.filter(status=Status.CONFIRMED).exists()


def test_an_executive_may_look_but_not_decide(client, executive_user, matched):
    client.force_login(executive_user)
    candidate = matched["pending"]

    page = client.get(reverse("accounts:match_candidate", args=[candidate.pk]))
    post = client.post(reverse("accounts:match_candidate_confirm", args=[candidate.pk]))

    assert page.status_code == 200
    assert reverse("accounts:match_candidate_confirm", args=[candidate.pk]) not in (
        page.content.decode()
    )
    assert post.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == Status.PENDING


def test_a_rep_cannot_see_the_review_queue(client, rep_user, matched):
    client.force_login(rep_user)

    assert client.get(reverse("accounts:match_review")).status_code == 403


def test_another_programs_candidate_does_not_exist_for_an_outsider(client, matched):
    outsider = factories.UserFactory(username="other_ops", role="sales_ops")
    factories.MembershipFactory(user=outsider)
    client.force_login(outsider)

    response = client.get(reverse("accounts:match_candidate", args=[matched["pending"].pk]))

    assert response.status_code == 404


def test_splitting_and_merging_on_the_account_page(client, ops_user, matched):
    client.force_login(ops_user)
    shared = matched["acme_a"]
    shared.refresh_from_db()
    account = shared.unified

    client.post(reverse("accounts:match_source_split", args=[matched["acme_b"].pk]))
    matched["acme_b"].refresh_from_db()
    split_off = matched["acme_b"].unified
    assert split_off.pk != account.pk

    page = client.get(reverse("accounts:match_account", args=[account.pk]), {"q": "ACME"})
    assert split_off.name in page.content.decode()
    client.post(
        reverse("accounts:match_account_merge", args=[account.pk]), {"absorb": split_off.pk}
    )

    matched["acme_b"].refresh_from_db()
    assert matched["acme_b"].unified_id == account.pk
    assert not UnifiedAccount.objects.filter(pk=split_off.pk).exists()
    actions = set(
        MatchDecision.objects.filter(decided_by=ops_user).values_list("action", flat=True)
    )
    assert actions == {MatchDecision.Action.SPLIT, MatchDecision.Action.MERGE}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_page_query_count_does_not_grow_with_pairs(
    client, ops_user, merger, acquirer, acquired
):
    client.force_login(ops_user)
    url = reverse("accounts:match_review")
    _pending_pairs(acquirer, acquired, 2)
    accounts_match(merger=merger)
    few = _queries(client, url)
    _pending_pairs(acquirer, acquired, 12)
    accounts_match(merger=merger)

    assert _queries(client, url) == few


def test_ticks_and_ids_that_are_not_plain_numbers_are_ignored_not_a_crash(
    client, ops_user, merger, many_pending
):
    client.force_login(ops_user)
    account = UnifiedAccount.objects.filter(merger=merger).first()

    rejected = _reject_ticked(client, [], selected=["²", "x"])
    merged = client.post(
        reverse("accounts:match_account_merge", args=[account.pk]), {"absorb": "²"}
    )

    assert rejected.status_code == 200
    assert "Tick the pairs to reject first." in rejected.text
    assert merged.status_code == 404
