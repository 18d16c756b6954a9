"""The sales organisation and its cross-sell pipeline, quotas, credit and pay.

One module per subdomain. This package hands on every name, so that
`tracker.models.X` keeps working.
"""

# isort: off
# In the order the models were declared when they shared one module: the app
# registry lists them in import order, and a new database creates their content
# types and permissions in it.
from tracker.models.org import Certification, Rep, Team
from tracker.models.opportunities import MAX_CUSTOMER_NEED, Opportunity, Stage
from tracker.models.quotas import Quota, QuotaQuerySet
from tracker.models.compensation import CompPlan, CreditSplit
from tracker.models.targets import SynergyTarget
from tracker.models.core_win_rates import CoreWinRate
from tracker.models.snapshot_deals import (
    SnapshotCredit,
    SnapshotDeal,
    SnapshotRestatement,
    SnapshotTeam,
)
from tracker.models.snapshots import MonthlySnapshot, SnapshotLine
from tracker.models.digests import DigestDelivery
from tracker.models.home import HomeVisit
# isort: on

__all__ = [
    "MAX_CUSTOMER_NEED",
    "Certification",
    "CompPlan",
    "CoreWinRate",
    "CreditSplit",
    "DigestDelivery",
    "HomeVisit",
    "MonthlySnapshot",
    "Opportunity",
    "Quota",
    "QuotaQuerySet",
    "Rep",
    "SnapshotCredit",
    "SnapshotDeal",
    "SnapshotLine",
    "SnapshotRestatement",
    "SnapshotTeam",
    "Stage",
    "SynergyTarget",
    "Team",
]
