"""Matching on the database: runs, re-runs and what reviewers decide."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import MatchCandidate, MatchDecision, SourceAccount, UnifiedAccount
from accounts.selectors.matching import (
    match_candidate_comparison,
    match_candidate_reasons,
    match_decisions_of_account,
    match_review_queue,
)
from accounts.services.matching import (
    MergeConflict,
    accounts_match,
    match_candidate_confirm,
    match_candidate_reject,
    source_account_split,
    unified_accounts_merge,
)
from accounts.tasks import match_accounts_task
from tests import factories

Action = MatchDecision.Action
Status = MatchCandidate.Status


@pytest.fixture
def crms(acquirer, acquired):
    """Two CRMs: one sure match, one for review, and a customer of each alone."""

    def source(company, name, **fields):
        return factories.SourceAccountFactory(company=company, name=name, **fields)

    return {
        "acme_a": source(acquirer, "Acme Corp.", website="https://www.acme.com/", country="US"),
        "acme_b": source(acquired, "ACME Corporation", website="sales@acme.com", country="US"),
        "schneider_a": source(acquirer, "Schneider Electric", country="FR"),
        "schneider_b": source(acquired, "Schnieder Electric SA", country="FR"),
        "lone_a": source(acquirer, "Kestrel Analytics Ltd", country="GB"),
        "lone_b": source(acquired, "Polar Bear Ice Cream Oy", country="FI"),
    }


def refreshed(source):
    source.refresh_from_db()
    return source


def test_a_run_puts_matched_records_on_one_account_and_every_other_record_on_its_own(merger, crms):
    result = accounts_match(merger=merger)

    acme_a, acme_b = refreshed(crms["acme_a"]), refreshed(crms["acme_b"])
    assert acme_a.unified_id == acme_b.unified_id
    unified_ids = {refreshed(s).unified_id for s in crms.values()}
    assert None not in unified_ids
    assert len(unified_ids) == 5
    assert result.auto_matches == 1 and result.review_candidates == 1
    assert UnifiedAccount.objects.filter(merger=merger).count() == 5


def test_a_run_fills_the_normalised_name_and_domain_of_each_record(merger, crms):
    accounts_match(merger=merger)

    acme_b = refreshed(crms["acme_b"])
    assert (acme_b.normalized_name, acme_b.domain) == ("acme", "acme.com")


def test_the_unified_account_takes_name_and_domain_from_the_acquirers_record(merger, crms):
    accounts_match(merger=merger)

    account = refreshed(crms["acme_b"]).unified
    assert (account.name, account.domain, account.country) == ("Acme Corp.", "acme.com", "US")


def test_automatic_decisions_record_method_score_and_no_person(merger, crms):
    accounts_match(merger=merger)

    decision = MatchDecision.objects.get(source=crms["acme_b"])
    assert decision.action == Action.AUTO_MATCH
    assert decision.method == "domain"
    assert decision.score >= 90
    assert decision.decided_by is None
    assert decision.candidate.status == Status.AUTO_MATCHED
    lone = MatchDecision.objects.get(source=crms["lone_b"])
    assert (lone.action, lone.method) == (Action.NEW_ACCOUNT, "no_match")


def test_a_rerun_over_unchanged_data_writes_nothing(merger, crms):
    accounts_match(merger=merger)
    before = (
        {s.pk: refreshed(s).unified_id for s in crms.values()},
        MatchDecision.objects.count(),
        list(MatchCandidate.objects.values_list("id", "status", "score").order_by("id")),
    )

    result = accounts_match(merger=merger)

    after = (
        {s.pk: refreshed(s).unified_id for s in crms.values()},
        MatchDecision.objects.count(),
        list(MatchCandidate.objects.values_list("id", "status", "score").order_by("id")),
    )
    assert after == before
    assert result.moved_records == 0


def test_a_dry_run_counts_without_writing(merger, crms):
    result = accounts_match(merger=merger, dry_run=True)

    assert result.auto_matches == 1 and result.dry_run
    assert not UnifiedAccount.objects.exists()
    assert not MatchCandidate.objects.exists()
    assert refreshed(crms["acme_a"]).normalized_name == ""


def test_the_review_queue_shows_pending_pairs_side_by_side_with_reasons(merger, crms):
    accounts_match(merger=merger)

    queue = list(match_review_queue(merger_id=merger.id))
    assert [(c.left_id, c.right_id) for c in queue] == [
        (crms["schneider_a"].pk, crms["schneider_b"].pk)
    ]
    rows = {str(row.label): row for row in match_candidate_comparison(candidate=queue[0])}
    assert rows["Name"].left == "Schneider Electric"
    assert rows["Name"].right == "Schnieder Electric SA"
    assert rows["Country"].same is True
    texts = [text for text, _ in match_candidate_reasons(candidate=queue[0])]
    assert any("alike" in text for text in texts)


def test_a_confirmed_match_joins_the_accounts_and_survives_a_rerun(merger, crms, ops_user):
    accounts_match(merger=merger)
    candidate = MatchCandidate.objects.get(status=Status.PENDING)
    right_account = refreshed(crms["schneider_b"]).unified_id

    decision = match_candidate_confirm(candidate=candidate, actor=ops_user, note="Same VAT")

    left, right = refreshed(crms["schneider_a"]), refreshed(crms["schneider_b"])
    assert left.unified_id == right.unified_id
    assert not UnifiedAccount.objects.filter(pk=right_account).exists()
    assert (decision.action, decision.decided_by, decision.note) == (
        Action.CONFIRM,
        ops_user,
        "Same VAT",
    )
    assert decision.to_unified_id == left.unified_id
    assert decision.decided_at is not None

    accounts_match(merger=merger)

    assert refreshed(crms["schneider_b"]).unified_id == left.unified_id
    assert MatchCandidate.objects.get(pk=candidate.pk).status == Status.CONFIRMED
    assert not match_review_queue(merger_id=merger.id).exists()


def test_a_rejected_pair_is_never_proposed_again(merger, crms, ops_user):
    accounts_match(merger=merger)
    candidate = MatchCandidate.objects.get(status=Status.PENDING)

    decision = match_candidate_reject(candidate=candidate, actor=ops_user)
    accounts_match(merger=merger)

    assert decision.action == Action.REJECT and decision.decided_by == ops_user
    assert MatchCandidate.objects.get(pk=candidate.pk).status == Status.REJECTED
    assert not match_review_queue(merger_id=merger.id).exists()
    assert refreshed(crms["schneider_a"]).unified_id != refreshed(crms["schneider_b"]).unified_id


def test_rejecting_an_automatic_match_gives_the_record_its_own_account(merger, crms, ops_user):
    accounts_match(merger=merger)
    candidate = MatchCandidate.objects.get(status=Status.AUTO_MATCHED)

    decision = match_candidate_reject(candidate=candidate, actor=ops_user)
    accounts_match(merger=merger)

    acme_a, acme_b = refreshed(crms["acme_a"]), refreshed(crms["acme_b"])
    assert acme_a.unified_id != acme_b.unified_id
    assert decision.from_unified_id == acme_a.unified_id
    assert decision.to_unified_id == acme_b.unified_id


def test_a_decision_cannot_be_taken_twice(merger, crms, ops_user):
    accounts_match(merger=merger)
    candidate = MatchCandidate.objects.get(status=Status.PENDING)
    match_candidate_confirm(candidate=candidate, actor=ops_user)

    with pytest.raises(ValidationError):
        match_candidate_confirm(candidate=candidate, actor=ops_user)


def test_merging_accounts_moves_records_and_opportunities_and_records_who(merger, crms, ops_user):
    accounts_match(merger=merger)
    keep = refreshed(crms["lone_a"]).unified
    absorb = refreshed(crms["lone_b"]).unified
    opportunity = factories.OpportunityFactory(merger=merger, account=absorb)

    decisions = unified_accounts_merge(keep=keep, absorb=absorb, actor=ops_user, note="Parent")

    assert refreshed(crms["lone_b"]).unified_id == keep.pk
    opportunity.refresh_from_db()
    assert opportunity.account_id == keep.pk
    assert not UnifiedAccount.objects.filter(pk=absorb.pk).exists()
    assert [(d.action, d.source_id, d.decided_by, d.note) for d in decisions] == [
        (Action.MERGE, crms["lone_b"].pk, ops_user, "Parent")
    ]
    assert match_decisions_of_account(account=keep).first().action == Action.MERGE

    accounts_match(merger=merger)
    assert refreshed(crms["lone_b"]).unified_id == keep.pk


def test_merging_two_accounts_with_an_open_opportunity_for_one_product_is_refused(
    merger, crms, ops_user
):
    accounts_match(merger=merger)
    keep = refreshed(crms["lone_a"]).unified
    absorb = refreshed(crms["lone_b"]).unified
    first = factories.OpportunityFactory(merger=merger, account=keep)
    factories.OpportunityFactory(
        merger=merger, account=absorb, product=first.product, owner=first.owner
    )

    with pytest.raises(MergeConflict):
        unified_accounts_merge(keep=keep, absorb=absorb, actor=ops_user)

    assert UnifiedAccount.objects.filter(pk=absorb.pk).exists()


def test_accounts_cannot_be_merged_into_themselves_or_across_programs(merger, crms, ops_user):
    accounts_match(merger=merger)
    account = refreshed(crms["lone_a"]).unified
    stranger = factories.UnifiedAccountFactory()

    with pytest.raises(ValidationError):
        unified_accounts_merge(keep=account, absorb=account, actor=ops_user)
    with pytest.raises(ValidationError):
        unified_accounts_merge(keep=account, absorb=stranger, actor=ops_user)


def test_splitting_a_record_off_gives_it_a_new_account_that_reruns_respect(merger, crms, ops_user):
    accounts_match(merger=merger)
    shared = refreshed(crms["acme_a"]).unified_id

    decision = source_account_split(source=crms["acme_b"], actor=ops_user, note="Subsidiary")
    accounts_match(merger=merger)

    acme_b = refreshed(crms["acme_b"])
    assert acme_b.unified_id not in (None, shared)
    assert refreshed(crms["acme_a"]).unified_id == shared
    assert (decision.action, decision.from_unified_id, decision.to_unified_id) == (
        Action.SPLIT,
        shared,
        acme_b.unified_id,
    )
    candidate = MatchCandidate.objects.get(left=crms["acme_a"], right=crms["acme_b"])
    assert candidate.status == Status.REJECTED


def test_a_record_alone_in_its_account_cannot_be_split(merger, crms, ops_user):
    accounts_match(merger=merger)

    with pytest.raises(ValidationError):
        source_account_split(source=crms["lone_a"], actor=ops_user)


def test_an_account_emptied_by_a_run_hands_its_opportunities_to_the_matched_account(
    merger, acquirer, acquired
):
    # Accounts that existed before matching, one per record, one with an opportunity.
    acquirer_account = factories.UnifiedAccountFactory(merger=merger, name="Acme")
    acquired_account = factories.UnifiedAccountFactory(merger=merger, name="ACME Corporation")
    factories.SourceAccountFactory(
        company=acquirer, name="Acme Corp", website="acme.com", unified=acquirer_account
    )
    factories.SourceAccountFactory(
        company=acquired, name="ACME Corporation", website="acme.com", unified=acquired_account
    )
    opportunity = factories.OpportunityFactory(merger=merger, account=acquired_account)

    result = accounts_match(merger=merger)

    opportunity.refresh_from_db()
    assert opportunity.account_id == acquirer_account.pk
    assert not UnifiedAccount.objects.filter(pk=acquired_account.pk).exists()
    assert result.absorbed_accounts == 1
    assert SourceAccount.objects.filter(unified=acquirer_account).count() == 2


def test_matching_refreshes_the_customer_status_of_accounts(merger, crms):
    SourceAccount.objects.filter(pk__in=[crms["acme_a"].pk, crms["acme_b"].pk]).update(
        is_customer=True
    )

    accounts_match(merger=merger)

    assert refreshed(crms["acme_a"]).unified.status == UnifiedAccount.Status.BOTH


def test_the_command_matches_a_program_named_by_name_and_prints_a_summary(merger, crms):
    out = StringIO()

    call_command("match_accounts", merger.name, stdout=out)

    assert "1 matched automatically, 1 to review" in out.getvalue()
    assert refreshed(crms["acme_a"]).unified_id == refreshed(crms["acme_b"]).unified_id


def test_the_command_dry_run_by_id_writes_nothing(merger, crms):
    out = StringIO()

    call_command("match_accounts", str(merger.pk), "--dry-run", stdout=out)

    assert "Dry run" in out.getvalue()
    assert not UnifiedAccount.objects.exists()


def test_the_command_refuses_an_unknown_program_and_thresholds_out_of_order(merger):
    with pytest.raises(CommandError):
        call_command("match_accounts", "No such deal")
    with pytest.raises(CommandError):
        call_command(
            "match_accounts", merger.name, "--auto-threshold", "60", "--review-threshold", "80"
        )


def test_the_task_runs_the_matching_for_a_merger_id(merger, crms):
    summary = match_accounts_task(merger.pk)

    assert summary["auto_matches"] == 1
    assert refreshed(crms["acme_a"]).unified_id == refreshed(crms["acme_b"]).unified_id


def test_a_record_imported_after_a_confirmation_joins_the_confirmed_account(
    merger, crms, acquired, ops_user
):
    accounts_match(merger=merger)
    match_candidate_confirm(
        candidate=MatchCandidate.objects.get(status=Status.PENDING), actor=ops_user
    )
    confirmed = refreshed(crms["schneider_a"]).unified_id
    late = factories.SourceAccountFactory(
        company=factories.CompanyFactory(merger=merger, name="Third CRM", short_name="T"),
        name="Schneider Electric",
        country="FR",
        city="Paris",
    )

    accounts_match(merger=merger)

    assert refreshed(late).unified_id == confirmed
    assert refreshed(crms["schneider_b"]).unified_id == confirmed
    assert MatchDecision.objects.get(source=late).action == Action.AUTO_MATCH


def test_a_record_without_a_website_keeps_its_e_mail_domain(merger, acquirer, acquired):
    factories.SourceAccountFactory(company=acquirer, name="Fjord Pumps AS", domain="fjordpumps.no")
    factories.SourceAccountFactory(company=acquired, name="Unrelated Name", domain="fjordpumps.no")
    accounts_match(merger=merger)
    assert set(SourceAccount.objects.values_list("domain", flat=True)) == {"fjordpumps.no"}
