"""Writes of the sales organisation: teams and their hierarchy, reps, certifications.

Checks that the database cannot make (a team above itself further up, a
leader or rep who is not in the program, a product of another program) are
made here and reported by field, so that the pages and the API say what is
wrong. Scores read the organisation (capacity, capability), so every change
tells the scorecards once it commits.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ZERO, LegacyCompany, Merger, Product, ProgramMembership
from accounts.services.history import (
    history_deleted,
    history_kept,
)
from core.access import User
from core.signals import program_data_announce
from tracker.models import Certification, Rep, Team
from tracker.services.setup_records import (
    setup_record_create,
    setup_record_delete,
    setup_record_update,
)

TEAM_FIELDS = ("name", "leader", "parent", "region")
REP_FIELDS = ("user", "team", "company", "motion", "start_date", "typical_core_deal", "is_active")


def _is_member(merger: Merger, user: AbstractUser) -> bool:
    return ProgramMembership.objects.filter(merger=merger, user=user).exists()


def creates_cycle(
    parent_of: Mapping[int, int | None], team_id: int, parent_id: int | None
) -> bool:
    """Would putting `team_id` below `parent_id` make a team report to itself? Pure."""
    seen: set[int] = set()
    node = parent_id
    while node is not None and node not in seen:
        if node == team_id:
            return True
        seen.add(node)
        node = parent_of.get(node)
    return False


def _team_checks(merger: Merger, team: Team | None, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    others = Team.objects.filter(merger=merger).exclude(pk=getattr(team, "pk", None))
    if not values["name"]:
        errors["name"] = _("Name the team.")
    elif others.filter(name__iexact=values["name"]).exists():
        errors["name"] = _("The program has a team of this name already.")
    leader, parent = values.get("leader"), values.get("parent")
    if leader is not None and not _is_member(merger, leader):
        errors["leader"] = _("The leader must be a member of the program.")
    if parent is not None:
        if parent.merger_id != merger.pk:
            errors["parent"] = _("The team it reports to belongs to another program.")
        elif team is not None:
            parent_of = dict(Team.objects.filter(merger=merger).values_list("id", "parent_id"))
            if creates_cycle(parent_of, team.pk, parent.pk):
                errors["parent"] = _(
                    "%(parent)s reports to this team already; a team cannot sit below itself."
                ) % {"parent": parent.name}
    if errors:
        raise ValidationError(errors)


def _team_values(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": (fields.get("name") or "").strip(),
        "leader": fields.get("leader"),
        "parent": fields.get("parent"),
        "region": (fields.get("region") or "").strip(),
    }


@transaction.atomic
def team_create(*, actor: User, merger: Merger, **fields: Any) -> Team:
    return setup_record_create(
        Team, actor=actor, merger=merger, values=_team_values(fields), checks=_team_checks
    )


@transaction.atomic
def team_update(*, actor: User, team: Team, **fields: Any) -> Team:
    values = _team_values({name: fields.get(name, getattr(team, name)) for name in TEAM_FIELDS})
    return setup_record_update(team, actor=actor, values=values, checks=_team_checks)


@transaction.atomic
def team_delete(*, actor: User, team: Team) -> None:
    """Removes an empty team; one with reps or teams below it stays until they move."""
    if team.reps.exists() or team.children.exists():
        raise ValidationError(
            _("%(team)s still has reps or teams below it; move them first.") % {"team": team.name}
        )
    setup_record_delete(team, actor=actor)


def _rep_checks(merger: Merger, rep: Rep | None, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    user, team, company = values["user"], values.get("team"), values["company"]
    if user is None:
        errors["user"] = _("Choose the person.")
    elif not _is_member(merger, user):
        errors["user"] = _("The rep must be a member of the program.")
    elif (
        Rep.objects.filter(merger=merger, user=user).exclude(pk=getattr(rep, "pk", None)).exists()
    ):
        errors["user"] = _("This person is a rep of the program already.")
    if team is not None and team.merger_id != merger.pk:
        errors["team"] = _("The team belongs to another program.")
    if company is None or company.merger_id != merger.pk:
        errors["company"] = _("Choose one of the program's legacy companies.")
    if values["typical_core_deal"] < 0:
        errors["typical_core_deal"] = _("A deal size is zero or more.")
    if values["start_date"] is None:
        errors["start_date"] = _("Give the date the rep started selling.")
    if errors:
        raise ValidationError(errors)


def _rep_values(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "user": fields.get("user"),
        "team": fields.get("team"),
        "company": fields.get("company"),
        "motion": fields.get("motion") or Rep.Motion.FARMER,
        "start_date": fields.get("start_date"),
        "typical_core_deal": Decimal(fields.get("typical_core_deal") or ZERO),
        "is_active": fields.get("is_active", True),
    }


@transaction.atomic
def rep_create(*, actor: User, merger: Merger, **fields: Any) -> Rep:
    return setup_record_create(
        Rep, actor=actor, merger=merger, values=_rep_values(fields), checks=_rep_checks
    )


@transaction.atomic
def rep_update(*, actor: User, rep: Rep, **fields: Any) -> Rep:
    values = _rep_values({name: fields.get(name, getattr(rep, name)) for name in REP_FIELDS})
    if values["user"] != rep.user:
        # The rep's deals, quotas and credit are theirs: a rep record never changes hands.
        raise ValidationError({"user": _("A rep's person stays; add a new rep instead.")})
    return setup_record_update(rep, actor=actor, values=values, checks=_rep_checks)


def _certification_checks(rep: Rep, product: Product, certified_on: date | None) -> None:
    errors: dict[str, str] = {}
    if (
        product is None
        or not LegacyCompany.objects.filter(
            pk=product.company_id, merger_id=rep.merger_id
        ).exists()
    ):
        errors["product"] = _("Choose a product of the program's companies.")
    if certified_on is None:
        errors["certified_on"] = _("Give the date of the certification.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def certification_set(
    *, actor: User, rep: Rep, product: Product, certified_on: date
) -> Certification:
    """The rep is certified on the product since the date (a second date replaces the first)."""
    _certification_checks(rep, product, certified_on)
    certification = Certification.objects.filter(rep=rep, product=product).first()
    certification = certification or Certification(rep=rep, product=product)
    with history_kept(actor=actor, instance=certification):
        certification.certified_on = certified_on
        certification.save()
    program_data_announce(Certification, rep.merger_id)
    return certification


@transaction.atomic
def certification_update(
    *, actor: User, certification: Certification, **fields: Any
) -> Certification:
    rep = fields.get("rep", certification.rep)
    product = fields.get("product", certification.product)
    certified_on = fields.get("certified_on", certification.certified_on)
    if rep.merger_id != certification.rep.merger_id:
        raise ValidationError({"rep": _("The rep belongs to another program.")})
    _certification_checks(rep, product, certified_on)
    clash = Certification.objects.filter(rep=rep, product=product).exclude(pk=certification.pk)
    if clash.exists():
        raise ValidationError({"product": _("The rep is certified on this product already.")})
    with history_kept(actor=actor, instance=certification):
        certification.rep, certification.product = rep, product
        certification.certified_on = certified_on
        certification.save()
    program_data_announce(Certification, rep.merger_id)
    return certification


@transaction.atomic
def certification_delete(*, actor: User, certification: Certification) -> None:
    merger_id = certification.rep.merger_id
    history_deleted(actor=actor, instance=certification)
    program_data_announce(Certification, merger_id)
