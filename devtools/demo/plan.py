"""The fixed facts and volumes of the demo program, scaled by one factor."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from devtools.world.vocabulary import APAC, EMEA, LATAM, NORTH_AMERICA, SIZE_BANDS
from tracker.pipeline_math import add_months, month_start

DEMO_MERGER_NAME = "Sensa Instruments + Predikt Analytics"
DAY_ONE = date(2025, 7, 1)
HORIZON_MONTHS = 48
DEFAULT_SEED = 20250701
MIN_DAYS_AFTER_DAY_ONE = 90

ACQUIRER = "acquirer"
ACQUIRED = "acquired"

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
class SegmentDef:
    name: str
    industry: str
    size_band: str
    region: str
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


# The story the six Cs tell, segment by segment. The knobs here shape the accounts and
# the deals; the desks' terms (comp plan, cross-sell quota, training) are in org.DESKS.
# Nothing is set to a score: the scores come from what these accounts, people and deals
# make of the default thresholds.
# - Oil & gas and Chemicals, enterprise: the deal's rationale. Decade-old relationships
#   with known decision makers, desks cross-trained on the other company's products,
#   cross-sell in base quota, a SPIF that matters, specialists beside them, land deals
#   that keep pace with the targets. Strong on most Cs.
# - Discrete manufacturing, mid-market, EMEA: good desk, plan and skills, but both
#   companies sold there through distributors until shortly before Day 1: young
#   relationships, decision makers mostly unknown. Connection is its one weak C.
# - Discrete manufacturing, mid-market, North America: good accounts, skills and quota,
#   but its desk's plan pays 2% of variable pay on cross-sell and a token SPIF.
#   Compensation is its one weak C.
# - Power & utilities, enterprise, EMEA: long relationships and a good plan, but the
#   desk carries the grid-monitoring launch this year: no cross-sell quota, little
#   time, stale pipeline (Capacity). With the target on nobody's quota it falls behind
#   it, which Commitment shows too.
# - Mining & metals, enterprise, APAC: strong relationships, but no specialists in APAC
#   and a desk barely certified on anything: software deals are lost or drag
#   (Capability), and the segment falls far behind its target (Commitment).
# - Food & beverage, mid-market, North America: accounts sold to strangers, many
#   dark-side cross-buyers, deals a fifth of a core deal, a desk that never took the
#   other company's training and mostly carries no cross-sell number. Weak overall.
# - Water & wastewater, small, LATAM: the whitespace is there, nothing else is:
#   relationships a year or two old, deals a tenth of a core deal, a desk on
#   pre-merger pay and quota terms while its leader is paid on cross-sell. Weak overall.
SEGMENTS: tuple[SegmentDef, ...] = (
    SegmentDef(
        "Oil & gas, enterprise, North America",
        "Oil & gas",
        "Enterprise",
        NORTH_AMERICA,
        weight=14,
        desk=NA_ENTERPRISE,
        dm_known=0.70,
        tenure_years=11,
        growth=0.08,
        dark_share=0.08,
        win_factor=1.25,
        deal_factor=2.0,
        activity=1.3,
    ),
    SegmentDef(
        "Chemicals, enterprise, EMEA",
        "Chemicals",
        "Enterprise",
        EMEA,
        weight=12,
        desk=EMEA_PROCESS,
        dm_known=0.65,
        tenure_years=10,
        growth=0.06,
        dark_share=0.10,
        win_factor=1.2,
        deal_factor=2.0,
        activity=1.2,
    ),
    SegmentDef(
        "Discrete manufacturing, mid-market, EMEA",
        "Discrete manufacturing",
        "Mid-market",
        EMEA,
        weight=16,
        desk=EMEA_MID_MARKET,
        dm_known=0.28,
        tenure_years=0.6,
        growth=0.02,
        dark_share=0.15,
        win_factor=1.0,
        deal_factor=0.9,
        activity=1.1,
    ),
    SegmentDef(
        "Discrete manufacturing, mid-market, North America",
        "Discrete manufacturing",
        "Mid-market",
        NORTH_AMERICA,
        weight=15,
        desk=NA_MID_MARKET,
        dm_known=0.55,
        tenure_years=7,
        growth=0.06,
        dark_share=0.15,
        win_factor=1.05,
        deal_factor=0.8,
        activity=1.1,
    ),
    SegmentDef(
        "Power & utilities, enterprise, EMEA",
        "Power & utilities",
        "Enterprise",
        EMEA,
        weight=10,
        desk=EMEA_POWER,
        dm_known=0.60,
        tenure_years=12,
        growth=0.04,
        dark_share=0.08,
        win_factor=1.1,
        deal_factor=1.6,
        activity=0.55,
    ),
    SegmentDef(
        "Food & beverage, mid-market, North America",
        "Food & beverage",
        "Mid-market",
        NORTH_AMERICA,
        weight=10,
        desk=NA_FOOD,
        dm_known=0.22,
        tenure_years=3,
        growth=-0.02,
        dark_share=0.35,
        win_factor=0.45,
        deal_factor=0.35,
        activity=0.7,
    ),
    SegmentDef(
        "Mining & metals, enterprise, APAC",
        "Mining & metals",
        "Enterprise",
        APAC,
        weight=9,
        desk=APAC_DESK,
        dm_known=0.55,
        tenure_years=8,
        growth=0.07,
        dark_share=0.12,
        win_factor=0.6,
        deal_factor=1.8,
        activity=0.9,
    ),
    SegmentDef(
        "Water & wastewater, small, LATAM",
        "Water & wastewater",
        "Small",
        LATAM,
        weight=6,
        desk=LATAM_DESK,
        dm_known=0.20,
        tenure_years=0.35,
        growth=0.04,
        dark_share=0.25,
        win_factor=0.45,
        deal_factor=0.2,
        activity=0.5,
    ),
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
        # Twelve months around today: most of them already have results to compare.
        first = max(month_start(self.day_one), add_months(month_start(self.today), -8))
        return [add_months(first, i) for i in range(12)]

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
