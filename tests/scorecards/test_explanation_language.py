"""Six-C explanations are written in the reader's language when read, not in the language
of the process that scored them, and counted sentences take the right plural."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import UserPreference
from scorecards.models import CScore, SixC
from scorecards.scoring import score_c
from scorecards.selectors.scores import segment_scores_for
from scorecards.services.scores import assessment_create
from tests.scorecards.dashboard_program import PAST_MONTH, freeze_today
from tests.scorecards.export_program import scored_program

ONE_REVIEW_RU = "за последние три месяца проведён лишь 1 ежемесячный обзор"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch)


@pytest.fixture
def segment(merger, rep):
    return scored_program(merger, rep, ["Food & beverage"])[0]


def _one_review_weakest(segment) -> CScore:
    """The stored commitment score as an English-speaking task wrote it, its weakest
    indicator one review held."""
    CScore.objects.filter(segment=segment, month=PAST_MONTH, c=SixC.COMMITMENT).update(
        score=Decimal("2.5"),
        computed=Decimal("2.5"),
        weakest_code="reviews_held",
        weakest_value=Decimal("1"),
        weakest_score=Decimal("2"),
        explanation="2.5/5: only 1 monthly reviews were held in the last three months",
    )
    return CScore.objects.get(segment=segment, month=PAST_MONTH, c=SixC.COMMITMENT)


def _as_russian_reader(client, user) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": "ru"})
    client.force_login(user)


@pytest.mark.parametrize("page", ["scorecard", "segment"])
def test_a_stored_explanation_is_read_in_the_readers_language(
    client, executive_user, segment, page
):
    _one_review_weakest(segment)
    _as_russian_reader(client, executive_user)
    url = (
        reverse("scorecards:scorecard")
        if page == "scorecard"
        else reverse("scorecards:segment", args=[segment.pk])
    )

    body = client.get(f"{url}?month={PAST_MONTH:%Y-%m}").content.decode()

    assert f"2,5/5: {ONE_REVIEW_RU}" in body
    assert "monthly review" not in body
    # A month that ends a sentence: "Май 2026." (Django's "Май 2026 г.." doubled the stop).
    assert ".." not in body.replace("...", "")


def test_the_selector_writes_the_explanation_in_the_active_language(merger, segment):
    _one_review_weakest(segment)
    scores = segment_scores_for(merger=merger, month=PAST_MONTH)
    commitment = scores.c_of(segment.pk, SixC.COMMITMENT)

    assert commitment.explanation == (
        "2.5/5: only 1 monthly review was held in the last three months"
    )
    with translation.override("ru"):
        assert commitment.explanation == f"2,5/5: {ONE_REVIEW_RU}"


def test_a_leaders_assessment_is_said_in_the_readers_language_too(merger, segment, leader_user):
    assessment_create(
        actor=leader_user,
        segment=segment,
        month=PAST_MONTH,
        c=SixC.COMMITMENT,
        mode="override",
        score=Decimal("3"),
        evidence="Monthly reviews are booked with the board.",
    )
    assert CScore.objects.get(segment=segment, month=PAST_MONTH, c=SixC.COMMITMENT).assessed

    commitment = segment_scores_for(merger=merger, month=PAST_MONTH).c_of(
        segment.pk, SixC.COMMITMENT
    )
    with translation.override("ru"):
        assert commitment.explanation.startswith("3/5: ")
        assert commitment.explanation.endswith(" (с учётом оценки руководителя)")


@pytest.mark.parametrize(
    ("reviews", "sentence"),
    [
        ("1", "only 1 monthly review was held in the last three months"),
        ("2", "only 2 monthly reviews were held in the last three months"),
    ],
)
def test_counted_sentences_agree_with_their_count(reviews, sentence):
    # A program expecting more reviews: two are its weakest indicator too.
    result = score_c(
        SixC.COMMITMENT,
        {"reviews_held": Decimal(reviews), "leader_assigned": Decimal("1")},
        overrides={"reviews_held": (3, 4, 5, 6)},
    )
    assert result.explanation.endswith(sentence)


@pytest.mark.parametrize(
    ("years", "english", "russian"),
    [
        ("1", "only 1 year old", "всего 1 год"),
        ("1.5", "only 1.5 years old", "всего 1,5 года"),
        ("3", "only 3 years old", "всего 3 года"),
    ],
)
def test_a_tenure_in_years_agrees_with_its_number(years, english, russian):
    result = score_c(SixC.CONNECTION, {"relationship_tenure": Decimal(years)})
    assert result.explanation.endswith(english)
    with translation.override("ru"):
        assert result.explanation.endswith(russian)
