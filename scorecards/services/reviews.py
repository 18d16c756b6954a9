"""Writes of the monthly program reviews that senior leadership holds (a Commitment signal)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merger, ProgramMembership
from accounts.services.history import history_deleted, history_kept
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from core.signals import program_data_announce
from scorecards.models import ProgramReview

REVIEW_FIELDS = ("held_on", "chaired_by", "notes")


def _require(actor: User, action: Action, merger_id: int) -> None:
    if merger_id not in merger_ids_for(actor) or not allowed(actor, action, "review"):
        raise PermissionDenied(_("Leaders and executives record the program reviews."))


def _checks(merger_id: int, review: ProgramReview) -> None:
    errors: dict[str, str] = {}
    if review.held_on is None:
        errors["held_on"] = _("Give the date of the review.")
    elif not date(2000, 1, 1) <= review.held_on <= date(2100, 12, 31):
        errors["held_on"] = _("Give a date between 2000 and 2100.")
    chair = review.chaired_by
    if (
        chair is not None
        and not ProgramMembership.objects.filter(merger_id=merger_id, user=chair).exists()
    ):
        errors["chaired_by"] = _("The chair must be a member of the program.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def program_review_create(*, actor: User, merger: Merger, **fields: Any) -> ProgramReview:
    _require(actor, Action.CREATE, merger.pk)
    return _save(actor, ProgramReview(merger=merger), fields)


@transaction.atomic
def program_review_update(*, actor: User, review: ProgramReview, **fields: Any) -> ProgramReview:
    _require(actor, Action.CHANGE, review.merger_id)
    return _save(actor, review, fields)


@transaction.atomic
def program_review_delete(*, actor: User, review: ProgramReview) -> None:
    _require(actor, Action.DELETE, review.merger_id)
    merger_id = review.merger_id
    history_deleted(actor=actor, instance=review)
    program_data_announce(ProgramReview, merger_id)


def _save(actor: User, review: ProgramReview, fields: dict[str, Any]) -> ProgramReview:
    unknown = sorted(set(fields) - set(REVIEW_FIELDS))
    if unknown:
        raise ValidationError({field: _("This field cannot be set.") for field in unknown})
    with history_kept(actor=actor, instance=review):
        for name, value in fields.items():
            setattr(review, name, value)
        review.notes = (review.notes or "").strip()
        _checks(review.merger_id, review)
        review.save()
    # The Commitment indicator counts reviews: scores follow once this commits.
    program_data_announce(ProgramReview, review.merger_id)
    return review
