"""Writing helpers shared by the matching run and the review actions."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone

from accounts.models import LegacyCompany, Merger, SourceAccount, UnifiedAccount
from accounts.services.bulk_rows import rows_update
from accounts.services.overlap import account_statuses_refresh
from accounts.signals import analysis_outdated

BATCH_SIZE = 2_000
# Fields a unified account takes from its best source record.
ACCOUNT_FIELDS = ("name", "domain", "country", "city")


@dataclass(slots=True)
class SourceRecord:
    id: int
    company_id: int
    unified_id: int | None
    name: str
    domain: str
    country: str
    city: str


def score_decimal(score: float) -> Decimal:
    return Decimal(str(round(score, 2)))


def update_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Set `names` per row given as (value, ..., pk), through the imports' bulk writer."""
    attnames = [model._meta.get_field(name).attname for name in names]
    rows_update(
        model=model,
        names=names,
        rows=[(row[-1], dict(zip(attnames, row[:-1], strict=True))) for row in rows],
    )


def best_source(members: Iterable[SourceRecord], acquirer_companies: set[int]) -> SourceRecord:
    return min(
        members,
        key=lambda s: (s.company_id not in acquirer_companies, not s.domain, s.id),
    )


def acquirer_company_ids(merger_id: int) -> set[int]:
    return set(
        LegacyCompany.objects.filter(
            merger_id=merger_id, role=LegacyCompany.Role.ACQUIRER
        ).values_list("id", flat=True)
    )


def new_account(merger_id: int, best: SourceRecord) -> UnifiedAccount:
    return UnifiedAccount(
        merger_id=merger_id,
        name=best.name[:255],
        domain=best.domain[:255],
        country=best.country[:2],
        city=best.city[:120],
    )


def unified_account_fields_refresh(*, merger_id: int, unified_ids: Iterable[int]) -> int:
    """Name, domain and location of each account from its best source record
    (the acquirer's first). Returns how many accounts changed."""
    ids = sorted(set(unified_ids))
    acquirers = acquirer_company_ids(merger_id)
    changed: list[tuple] = []
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        members: dict[int, list[SourceRecord]] = defaultdict(list)
        rows = SourceAccount.objects.filter(
            unified_id__in=chunk, origin=SourceAccount.Origin.CRM
        ).values_list("id", "company_id", "unified_id", "name", "domain", "country", "city")
        for row in rows:
            members[row[2]].append(SourceRecord(*row))
        current = UnifiedAccount.objects.filter(id__in=chunk).values_list("id", *ACCOUNT_FIELDS)
        for pk, *values in current:
            if not members.get(pk):
                continue
            wanted = new_account(merger_id, best_source(members[pk], acquirers))
            fields = [getattr(wanted, field) for field in ACCOUNT_FIELDS]
            if fields != values:
                changed.append((*fields, timezone.now(), pk))
    update_rows(UnifiedAccount, [*ACCOUNT_FIELDS, "updated_at"], changed)
    return len(changed)


def after_grouping_changed(merger_id: int, *, refresh_analysis: bool = True) -> None:
    """Statuses now, the rest of the derived analysis once the transaction commits.

    This is the one place a grouping change leads to the analysis refresh, which
    in turn tells scores and dashboards that the program's data changed.
    """
    account_statuses_refresh(merger_id=merger_id)
    if refresh_analysis:
        analysis_outdated.send(sender=Merger, merger_id=merger_id)
