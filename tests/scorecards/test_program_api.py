"""Program reviews, the scoring policy and the setup checklist over the API."""

import pytest
from rest_framework.test import APIClient

from accounts.models import RecordChange
from scorecards.models import ProgramReview, ScoringPolicy
from scorecards.services.policy import scoring_policy_problems

API = "/api/v1"
WEIGHTS = {
    "complementarity": 10,
    "connection": 10,
    "capacity": 20,
    "capability": 20,
    "compensation": 10,
    "commitment": 30,
}


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_policy_problems_are_named_by_field():
    assert scoring_policy_problems(weights=WEIGHTS, thresholds={}, strong_from=4) == {}
    problems = scoring_policy_problems(
        weights={**WEIGHTS, "commitment": 101},
        thresholds={"stale_share": [10, 20, 35, 50], "nope": [1, 2, 3, 4]},
        strong_from=6,
    )
    assert set(problems) == {"weights", "thresholds", "strong_from"}
    assert len(problems["thresholds"]) == 2  # lower is better: descending, and an unknown code
    zero = dict.fromkeys(WEIGHTS, 0)
    assert "weights" in scoring_policy_problems(weights=zero, thresholds={}, strong_from=4)


def test_a_review_is_recorded_changed_and_deleted_with_history(merger, executive_user, rep_user):
    executive = client_as(executive_user)
    made = executive.post(
        f"{API}/program-reviews/",
        {"merger": merger.pk, "held_on": "2026-04-30", "chaired_by": executive_user.pk},
        format="json",
    )
    assert made.status_code == 201, made.content
    review_id = made.json()["id"]
    changed = executive.patch(
        f"{API}/program-reviews/{review_id}/", {"notes": "Pipeline up 20%"}, format="json"
    )
    assert changed.status_code == 200
    assert client_as(rep_user).delete(f"{API}/program-reviews/{review_id}/").status_code == 403
    assert executive.delete(f"{API}/program-reviews/{review_id}/").status_code == 204
    assert not ProgramReview.objects.exists()
    actions = list(
        RecordChange.objects.filter(content_type__model="programreview", object_id=review_id)
        .order_by("id")
        .values_list("action", "via")
    )
    assert actions == [("created", "api"), ("changed", "api"), ("deleted", "api")]
    wrong = executive.post(
        f"{API}/program-reviews/", {"merger": merger.pk, "held_on": "0001-01-01"}, format="json"
    )
    assert wrong.status_code == 400


def test_scoring_policy_is_read_by_all_and_set_by_ops(merger, ops_user, leader_user):
    read = client_as(leader_user).get(f"{API}/scoring-policies/{merger.pk}/")
    assert read.status_code == 200
    assert read.json()["weights"]["commitment"] == 25
    refused = client_as(leader_user).patch(
        f"{API}/scoring-policies/{merger.pk}/", {"strong_from": "3.5"}, format="json"
    )
    assert refused.status_code == 403
    ops = client_as(ops_user)
    saved = ops.patch(
        f"{API}/scoring-policies/{merger.pk}/",
        {"weights": WEIGHTS, "strong_from": "3.50"},
        format="json",
    )
    assert saved.status_code == 200, saved.content
    policy = ScoringPolicy.objects.get(merger=merger)
    assert policy.weights["commitment"] == 30
    change = RecordChange.objects.get(content_type__model="scoringpolicy")
    assert change.changes["strong_from"] == ["4.00", "3.50"]
    bad = ops.patch(
        f"{API}/scoring-policies/{merger.pk}/",
        {"weights": {"commitment": 10}},
        format="json",
    )
    assert bad.status_code == 400
    assert "weights" in bad.json()


@pytest.mark.parametrize(("persona", "status"), [("ops_user", 200), ("leader_user", 403)])
def test_setup_checklist_is_for_sales_ops(merger, persona, status, request):
    response = client_as(request.getfixturevalue(persona)).get(f"{API}/setup/{merger.pk}/")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["merger"] == merger.pk
        assert {step["key"] for step in body["steps"]} >= {"program", "accounts", "stages"}
