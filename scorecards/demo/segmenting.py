"""Put unified accounts into segments by the rule sales ops defined for the demo."""

from collections import defaultdict

from accounts.models import LegacyCompany, Merger, Segment, SourceAccount, UnifiedAccount
from scorecards.demo.plan import segment_for
from scorecards.demo.vocabulary import COUNTRIES

BATCH = 900


def unified_accounts_segment(*, merger: Merger) -> int:
    """Set each account's segment from its primary CRM record; returns how many got one.

    The acquirer's record decides where both CRMs know the account, as it is the
    system of record; a country missing there is taken from the other record.
    """
    segments = dict(Segment.objects.filter(merger=merger).values_list("name", "id"))
    rows = (
        SourceAccount.objects.filter(company__merger=merger, unified__isnull=False)
        .values_list("unified_id", "company__role", "industry", "employees", "country")
        .order_by("unified_id", "id")
    )
    members: dict[int, list[tuple[str, str, int | None, str]]] = defaultdict(list)
    for unified_id, role, industry, employees, country in rows:
        members[unified_id].append((role, industry, employees, country))
    by_segment: dict[int, list[int]] = defaultdict(list)
    for unified_id, records in members.items():
        records.sort(key=lambda r: r[0] != LegacyCompany.Role.ACQUIRER)
        _role, industry, employees, _country = records[0]
        country = next((r[3] for r in records if r[3]), "")
        region = COUNTRIES[country].region if country in COUNTRIES else ""
        name = segment_for(industry=industry, employees=employees, region=region)
        if name in segments:
            by_segment[segments[name]].append(unified_id)
    for segment_id, ids in by_segment.items():
        for start in range(0, len(ids), BATCH):
            UnifiedAccount.objects.filter(pk__in=ids[start : start + BATCH]).update(
                segment_id=segment_id
            )
    return sum(len(ids) for ids in by_segment.values())
