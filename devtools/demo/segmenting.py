"""The segment rules sales ops defines for the demo: size bands and regions.

The segments themselves carry industry, size band and region; defining what
the bands and regions mean makes each segment a rule, and the program's own
segments refresh puts the accounts in them, as it would for a program built
from CRM exports without a segment column.
"""

from collections import defaultdict

from accounts.models import Merger, Region, SizeBand
from accounts.services.account_segments import account_segments_refresh
from devtools.world.vocabulary import COUNTRIES, SIZE_BANDS


def unified_accounts_segment(*, merger: Merger) -> int:
    """Size bands by employees (the smallest from 0, the largest open-ended) and regions,
    then the accounts in their segments by these rules; returns how many got one."""
    lowest = min(low for low, _high in SIZE_BANDS.values())
    highest = max(low for low, _high in SIZE_BANDS.values())
    SizeBand.objects.bulk_create(
        SizeBand(
            merger=merger,
            name=name,
            min_employees=0 if low == lowest else low,
            max_employees=None if low == highest else high,
        )
        for name, (low, high) in SIZE_BANDS.items()
    )
    countries: dict[str, list[str]] = defaultdict(list)
    for country in COUNTRIES.values():
        countries[country.region].append(country.code)
    Region.objects.bulk_create(
        Region(merger=merger, name=name, countries=" ".join(sorted(codes)))
        for name, codes in sorted(countries.items())
    )
    return account_segments_refresh(merger_id=merger.pk)
