"""The merger and what the two legacy companies bring to it.

A customer of both companies is one `UnifiedAccount` with one `SourceAccount`
per legacy CRM; install base, signals and CRM ids stay on the source records so
that re-imports update them by the CRM's own id, and matching decides only how
source records group into unified accounts.

One module per subdomain. This package hands on every name, so that
`accounts.models.X` keeps working, the dotted paths in migrations included.
"""

# isort: off
# In the order the models were declared when they shared one module: the app
# registry lists them in import order, and a new database creates their content
# types and permissions in it.
from accounts.models.fields import (
    ZERO,
    MoneyField,
    PercentField,
    awaiting_rate_field,
    currency_code_q,
    currency_field,
    user_field,
)
from accounts.models.cross_sell import UPSELL_MAX_RAISE, Direction, Kind
from accounts.models.program import Merger, ProgramMembership, UserPreference
from accounts.models.companies import LegacyCompany
from accounts.models.segments import Region, Segment, SizeBand
from accounts.models.accounts import PROGRAM_CRM_ID_PREFIX, SourceAccount, UnifiedAccount
from accounts.models.products import Holding, Product, ProductFamily
from accounts.models.product_map import ProductMapping, ProductOwnership
from accounts.models.whitespace import (
    ProductSpend,
    WhitespaceAccountTotal,
    WhitespaceCell,
    WhitespaceFamilyTotal,
    WhitespaceRollup,
)
from accounts.models.risk_policy import RiskPolicy
from accounts.models.matching import MatchCandidate, MatchDecision
from accounts.models.imports import ColumnMapping, ImportJob
from accounts.models.exchange_rates import ExchangeRate
from accounts.models.history import RecordChange
# isort: on

__all__ = [
    "PROGRAM_CRM_ID_PREFIX",
    "UPSELL_MAX_RAISE",
    "ZERO",
    "ColumnMapping",
    "Direction",
    "ExchangeRate",
    "Holding",
    "ImportJob",
    "Kind",
    "LegacyCompany",
    "MatchCandidate",
    "MatchDecision",
    "Merger",
    "MoneyField",
    "PercentField",
    "Product",
    "ProductFamily",
    "ProductMapping",
    "ProductOwnership",
    "ProductSpend",
    "ProgramMembership",
    "RecordChange",
    "Region",
    "RiskPolicy",
    "Segment",
    "SizeBand",
    "SourceAccount",
    "UnifiedAccount",
    "UserPreference",
    "WhitespaceAccountTotal",
    "WhitespaceCell",
    "WhitespaceFamilyTotal",
    "WhitespaceRollup",
    "awaiting_rate_field",
    "currency_code_q",
    "currency_field",
    "user_field",
]
