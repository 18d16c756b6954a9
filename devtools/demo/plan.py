"""The fixed facts and volumes of the demo program, scaled by one factor."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from devtools.world.datafile import datafile_read
from devtools.world.vocabulary import SIZE_BANDS
from tracker.pipeline_math import add_months, month_start

DEMO_MERGER_NAME = "Sensa Instruments + Predikt Analytics"
DAY_ONE = date(2025, 7, 1)
HORIZON_MONTHS = 48
DEFAULT_SEED = 20250701
MIN_DAYS_AFTER_DAY_ONE = 90

ACQUIRER = "acquirer"
ACQUIRED = "acquired"


def other_side(role: str) -> str:
    """The other company of the merger."""
    return ACQUIRED if role == ACQUIRER else ACQUIRER


# Volumes at scale 1.
ACCOUNTS_PER_SIDE = 2000
BOTH_CUSTOMER_SHARE = 0.30  # of each CRM's records: customers of both companies
MIXED_SHARE = 0.04  # in both CRMs, a customer of one and a prospect of the other
OWN_CUSTOMER_SHARE = {ACQUIRER: 0.72, ACQUIRED: 0.55}  # of the records only one CRM has
GREENFIELD_ACCOUNTS = 150
OPPORTUNITIES = 3000


# The desks of account managers who cover the segments (devtools.demo.org.DESKS
# holds their terms: comp plan, cross-sell quota, cross-training).
NA_ENTERPRISE = "North America enterprise"
NA_MID_MARKET = "North America mid-market"
NA_FOOD = "North America food and beverage"
EMEA_PROCESS = "EMEA process industries"
EMEA_MID_MARKET = "EMEA mid-market"
EMEA_POWER = "EMEA power and utilities"
APAC_DESK = "APAC"
LATAM_DESK = "LATAM"


@dataclass(frozen=True)
class SegmentRule:
    """Which accounts a segment holds."""

    name: str
    industry: str
    size_band: str
    region: str


@dataclass(frozen=True)
class SegmentDef(SegmentRule):
    weight: int
    desk: str  # the account managers who cover it
    # How the segment behaves, so that the six Cs differ between segments.
    dm_known: float  # share of customers whose decision maker is known
    tenure_years: float  # median age of a customer relationship on Day 1
    growth: float  # mean legacy revenue growth last year
    dark_share: float  # share of cross-buyers with a dark-side profile
    win_factor: float
    deal_factor: float
    activity: float  # how eagerly reps work the segment's whitespace (and keep deals moving)


# The segments and the story the six Cs tell, segment by segment, are data.
SEGMENTS: tuple[SegmentDef, ...] = tuple(
    SegmentDef(**row) for row in datafile_read(beside=__file__, name="segments.toml")["segments"]
)
SEGMENTS_BY_NAME: dict[str, SegmentDef] = {s.name: s for s in SEGMENTS}
UNSEGMENTED_SHARE = 0.05
UNSEGMENTED_INDUSTRIES = ("Pharmaceuticals", "Logistics")


def size_band_of(employees: int | None) -> str:
    if employees is None:
        return ""
    for band, (low, high) in SIZE_BANDS.items():
        if low <= employees <= high:
            return band
    return "Enterprise" if employees > SIZE_BANDS["Enterprise"][1] else "Small"


def quota_months(*, day_one: date, today: date) -> list[date]:
    # Twelve months around today: most of them already have results to compare.
    first = max(month_start(day_one), add_months(month_start(today), -8))
    return [add_months(first, i) for i in range(12)]


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    scale: float
    today: date
    day_one: date = DAY_ONE
    horizon_months: int = HORIZON_MONTHS

    def scaled(self, volume: int, minimum: int) -> int:
        return max(minimum, round(volume * self.scale))

    @property
    def accounts_per_side(self) -> int:
        return self.scaled(ACCOUNTS_PER_SIDE, 40)

    @property
    def both_customers(self) -> int:
        return round(self.accounts_per_side * BOTH_CUSTOMER_SHARE)

    @property
    def mixed_per_side(self) -> int:
        # Half are customers of the acquirer only, half of the acquired company only.
        return max(1, round(self.accounts_per_side * MIXED_SHARE / 2))

    @property
    def own_per_side(self) -> int:
        return self.accounts_per_side - self.both_customers - 2 * self.mixed_per_side

    @property
    def greenfield(self) -> int:
        return self.scaled(GREENFIELD_ACCOUNTS, 5)

    @property
    def opportunities(self) -> int:
        return self.scaled(OPPORTUNITIES, 60)

    @property
    def last_day(self) -> date:
        """Nothing in the demo happens later than yesterday."""
        return self.today - timedelta(days=1)

    @property
    def quota_months(self) -> list[date]:
        return quota_months(day_one=self.day_one, today=self.today)

    @property
    def target_months(self) -> list[date]:
        return [add_months(month_start(self.day_one), i) for i in range(self.horizon_months)]


def demo_plan(*, seed: int, scale: float, today: date) -> DemoPlan:
    if not 0 < scale <= 10:
        raise ValueError(_("The scale must be above 0 and at most 10."))
    if today < DAY_ONE + timedelta(days=MIN_DAYS_AFTER_DAY_ONE):
        raise ValueError(
            _("The reference date must be at least %(days)d days after Day 1 (%(day_one)s).")
            % {"days": MIN_DAYS_AFTER_DAY_ONE, "day_one": DAY_ONE.isoformat()}
        )
    return DemoPlan(seed=seed, scale=scale, today=today)
