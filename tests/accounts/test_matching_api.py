"""Match candidates over the API: reading the queue and deciding."""

import pytest
from rest_framework.test import APIClient

from accounts.models import MatchCandidate, MatchDecision
from accounts.services.matching import accounts_match
from tests import factories

API = "/api/v1/match-candidates/"
Status = MatchCandidate.Status


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def pending(merger, acquirer, acquired):
    factories.SourceAccountFactory(company=acquirer, name="Acme Corp", website="acme.com")
    factories.SourceAccountFactory(company=acquired, name="ACME Inc", website="acme.com")
    factories.SourceAccountFactory(company=acquirer, name="Schneider Electric", country="FR")
    factories.SourceAccountFactory(company=acquired, name="Schnieder Electric SA", country="FR")
    accounts_match(merger=merger)
    return MatchCandidate.objects.get(status=Status.PENDING)


def test_sales_ops_lists_pending_candidates_with_both_records_and_reasons(ops_user, pending):
    response = client_as(ops_user).get(API, {"status": "pending"})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == pending.pk
    assert (row["left"]["name"], row["right"]["name"]) == (
        "Schneider Electric",
        "Schnieder Electric SA",
    )
    assert any("alike" in reason["text"] for reason in row["reasons"])


def test_sales_ops_confirms_a_candidate_and_the_decision_names_them(ops_user, pending):
    response = client_as(ops_user).post(f"{API}{pending.pk}/confirm/", {"note": "Checked"})

    assert response.status_code == 200
    assert response.json()["action"] == MatchDecision.Action.CONFIRM
    decision = MatchDecision.objects.get(pk=response.json()["id"])
    assert (decision.decided_by, decision.note) == (ops_user, "Checked")


def test_a_second_decision_on_the_same_candidate_is_refused(ops_user, pending):
    client = client_as(ops_user)
    client.post(f"{API}{pending.pk}/reject/")

    response = client.post(f"{API}{pending.pk}/reject/")

    assert response.status_code == 400


def test_an_executive_reads_but_cannot_decide(executive_user, pending):
    client = client_as(executive_user)

    assert client.get(f"{API}{pending.pk}/").status_code == 200
    assert client.post(f"{API}{pending.pk}/confirm/").status_code == 403


def test_a_rep_cannot_read_the_queue(rep_user, pending):
    assert client_as(rep_user).get(API).status_code == 403


def test_another_programs_candidates_do_not_exist_for_an_outsider(pending):
    outsider = factories.UserFactory(username="ops_elsewhere", role="sales_ops")
    factories.MembershipFactory(user=outsider)
    client = client_as(outsider)

    assert client.get(f"{API}{pending.pk}/").status_code == 404
    assert client.get(API).json()["count"] == 0
