"""Writes of programs (mergers) themselves, and of their legacy companies."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import LegacyCompany, Merger, ProgramMembership
from accounts.services.history import (
    history_created,
    history_deleted,
    history_recorded,
    history_saved,
)
from accounts.signals import analysis_outdated
from core.access import User


@dataclass(frozen=True)
class CompanySpec:
    """A legacy company named when a program is created."""

    name: str
    short_name: str
    role: str
    crm: str = LegacyCompany.Crm.OTHER


@transaction.atomic
def merger_create(*, actor: User, **fields: Any) -> Merger:
    """Creates a program with its creator as the first member, so they can see it.

    The accountable leader, when named, becomes a member too: they own the
    program's targets and scorecard and must see them.
    """
    merger = history_created(Merger, actor=actor, **fields)
    members = {actor.pk, getattr(fields.get("accountable_leader"), "pk", None)} - {None}
    memberships = ProgramMembership.objects.bulk_create(
        [ProgramMembership(merger=merger, user_id=user_id) for user_id in sorted(members)]
    )
    for membership in memberships:
        history_recorded(actor=actor, instance=membership)
    # The creator's cached program ids predate the new program.
    actor.__dict__.pop("_cached_merger_ids", None)
    return merger


@transaction.atomic
def program_create(*, actor: User, companies: Sequence[CompanySpec], **fields: Any) -> Merger:
    """A program with its legacy companies: exactly one acquirer and at least one acquired."""
    roles = [company.role for company in companies]
    if roles.count(LegacyCompany.Role.ACQUIRER) != 1 or LegacyCompany.Role.ACQUIRED not in roles:
        raise ValidationError(_("A program has one acquirer and at least one acquired company."))
    names = [company.name.strip().casefold() for company in companies]
    if len(set(names)) != len(names):
        raise ValidationError(_("Give each legacy company its own name."))
    if Merger.objects.filter(name__iexact=fields.get("name", "").strip()).exists():
        raise ValidationError({"name": _("A program of this name exists already.")})
    merger = merger_create(actor=actor, **fields)
    for company in companies:
        company_create(actor=actor, merger=merger, **asdict(company))
    return merger


@transaction.atomic
def merger_update(*, merger: Merger, actor: User, **fields: Any) -> Merger:
    """Changes a program's settings.

    Undated holdings count from Day 1, so moving it moves the customer-since
    dates of the overlap chart, and the rule for disagreeing CRM segments moves
    accounts between segments: the analysis refresh recomputes them once this
    commits.
    """
    moved = {name for name in ("day_one", "segment_conflict_rule") if name in fields} & {
        name for name, value in fields.items() if value != getattr(merger, name)
    }
    history_saved(actor=actor, instance=merger, values=fields)
    leader = fields.get("accountable_leader")
    if leader is not None:
        # The accountable leader owns the program's targets and scorecard: they must see them.
        membership, joined = ProgramMembership.objects.get_or_create(merger=merger, user=leader)
        if joined:
            history_recorded(actor=actor, instance=membership)
    if moved:
        analysis_outdated.send(sender=Merger, merger_id=merger.pk)
    return merger


COMPANY_FIELDS = ("name", "short_name", "role", "crm")


def _company_checks(merger: Merger, values: dict[str, Any], *, exclude: int | None = None) -> None:
    others = LegacyCompany.objects.filter(merger=merger).exclude(pk=exclude)
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Name the company.")
    elif others.filter(name__iexact=values["name"]).exists():
        errors["name"] = _("The program has a company of this name already.")
    if not values["short_name"]:
        errors["short_name"] = _("Give a short name for charts, e.g. its brand.")
    if (
        values["role"] == LegacyCompany.Role.ACQUIRER
        and others.filter(role=LegacyCompany.Role.ACQUIRER).exists()
    ):
        errors["role"] = _("The program has its acquirer already; add acquired companies.")
    if errors:
        raise ValidationError(errors)


def _company_values(**fields: Any) -> dict[str, Any]:
    return {
        "name": (fields.get("name") or "").strip(),
        "short_name": (fields.get("short_name") or "").strip(),
        "role": fields.get("role") or LegacyCompany.Role.ACQUIRED,
        "crm": fields.get("crm") or LegacyCompany.Crm.OTHER,
    }


@transaction.atomic
def company_create(
    *,
    actor: User,
    merger: Merger,
    name: str,
    short_name: str,
    role: str,
    crm: str = LegacyCompany.Crm.OTHER,
) -> LegacyCompany:
    values = _company_values(name=name, short_name=short_name, role=role, crm=crm)
    _company_checks(merger, values)
    return history_created(LegacyCompany, actor=actor, merger=merger, **values)


@transaction.atomic
def company_update(*, actor: User, company: LegacyCompany, **fields: Any) -> LegacyCompany:
    """Renames a company or changes its CRM; its role is fixed once it has data."""
    values = _company_values(
        **{name: fields.get(name, getattr(company, name)) for name in COMPANY_FIELDS}
    )
    _company_checks(company.merger, values, exclude=company.pk)
    if values["role"] != company.role and company_has_data(company=company):
        raise ValidationError(
            {"role": _("The company has CRM data; its role in the deal stays as it is.")}
        )
    moved = values["role"] != company.role
    history_saved(actor=actor, instance=company, values=values)
    if moved:
        analysis_outdated.send(sender=Merger, merger_id=company.merger_id)
    return company


def company_has_data(*, company: LegacyCompany) -> bool:
    """Accounts, products or imports of the company: statuses and directions depend on its role."""
    return (
        company.source_accounts.exists() or company.products.exists() or company.imports.exists()
    )


@transaction.atomic
def company_delete(*, actor: User, company: LegacyCompany) -> None:
    """Removes a company entered by mistake; one with CRM data or reps stays."""
    refusal = _("%(company)s has CRM data or reps; it cannot be removed.") % {"company": company}
    if company_has_data(company=company):
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            history_deleted(actor=actor, instance=company)
    except ProtectedError as error:  # reps of the company (the tracker protects them)
        raise ValidationError(refusal) from error
