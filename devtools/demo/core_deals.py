"""The legacy companies' core (non-program) deals won and lost, as sales ops enters them.

Each company reports its own core win rate from its CRM: per quarter for the
year before Day 1 and since, then per month for the finished months of the
current quarter. The rates are plausible for B2B capital equipment and
software (a quarter to a third of decided deals won) and move a little from
period to period; nothing here is tuned to a score.
"""

import random
from dataclasses import dataclass
from datetime import date

from devtools.demo.catalogue import COMPANIES
from devtools.demo.plan import ACQUIRED, ACQUIRER, DemoPlan
from tracker.pipeline_math import add_months, month_start

MONTH, QUARTER = "month", "quarter"
# (core win rate, decided core deals per month) of each company.
CORE_PROFILE = {ACQUIRER: (0.27, 38), ACQUIRED: (0.21, 22)}
CRM_REPORTS = {
    "salesforce": "Salesforce closed-opportunity report",
    "hubspot": "HubSpot closed-deals export",
}


@dataclass(frozen=True)
class CoreRecord:
    company: str  # the company's role
    period_kind: str
    period_start: date
    won: int
    lost: int
    source: str


def core_win_rates_build(rng: random.Random, plan: DemoPlan) -> list[CoreRecord]:
    periods = _periods(plan)
    records = []
    for company in COMPANIES:
        rate, per_month = CORE_PROFILE[company.role]
        source = f"Demo CRM export: {CRM_REPORTS.get(company.crm, 'CRM report')}"
        for kind, start in periods:
            months = 3 if kind == QUARTER else 1
            decided = max(1, round(rng.gauss(per_month * months, per_month * months * 0.12)))
            period_rate = min(max(rng.gauss(rate, 0.025), 0.05), 0.6)
            won = round(decided * period_rate)
            records.append(CoreRecord(company.role, kind, start, won, decided - won, source))
    return records


def _periods(plan: DemoPlan) -> list[tuple[str, date]]:
    """Whole quarters from a year before Day 1, then the finished months of this quarter."""
    this_month = month_start(plan.today)
    this_quarter = date(this_month.year, (this_month.month - 1) // 3 * 3 + 1, 1)
    start = add_months(month_start(plan.day_one), -12)
    quarter = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    periods = []
    while quarter < this_quarter:
        periods.append((QUARTER, quarter))
        quarter = add_months(quarter, 3)
    month = this_quarter
    while month < this_month:
        periods.append((MONTH, month))
        month = add_months(month, 1)
    return periods
