"""Our fields per kind of data, and how standard CRM exports name them.

Pure. A file from Salesforce (report or Data Loader export), HubSpot or our
template is recognised by its column names; any other file gets a mapping from
the user (or a saved one). Matching ignores case, spacing and punctuation.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACCOUNTS = "accounts"
PRODUCTS = "products"
INSTALL_BASE = "install_base"
KINDS = (ACCOUNTS, PRODUCTS, INSTALL_BASE)

TEMPLATE = "template"
SALESFORCE_REPORT = "salesforce_report"
SALESFORCE_DATALOADER = "salesforce_dataloader"
HUBSPOT = "hubspot"
PROFILES: dict[str, Promise] = {
    TEMPLATE: gettext_lazy("Import template"),
    SALESFORCE_DATALOADER: gettext_lazy("Salesforce Data Loader export"),
    SALESFORCE_REPORT: gettext_lazy("Salesforce report export"),
    HUBSPOT: gettext_lazy("HubSpot export"),
}
# Names seen in many CRMs and hand-made sheets; tried after the detected profile.
COMMON = "common"


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    type: str
    required: bool = False
    max_length: int = 0
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    help: Promise | str = ""


def _f(key, label, type_, *, required=False, max_length=0, help="", **aliases) -> Field:
    names = {TEMPLATE: (key,), **aliases}
    return Field(key, label, type_, required, max_length, names, help)


def _currency() -> Field:
    """The currency of the row's amounts: a column of ISO codes (or symbols)."""
    return _f(
        "currency",
        gettext_lazy("Currency"),
        "currency",
        help=gettext_lazy("ISO code (EUR) of the row's amounts; else the cell or the default."),
        salesforce_report=("Currency", "Account Currency"),
        salesforce_dataloader=("CurrencyIsoCode",),
        hubspot=("Currency", "Deal Currency Code"),
        common=("Currency", "Currency Code", "CCY"),
    )


ACCOUNT_FIELDS = (
    _f(
        "crm_id",
        gettext_lazy("CRM record id"),
        "crm_id",
        required=True,
        max_length=64,
        salesforce_report=("Account ID",),
        salesforce_dataloader=("Id",),
        hubspot=("Record ID", "Company ID"),
        common=("CRM ID", "Account Id"),
    ),
    _f(
        "name",
        gettext_lazy("Account name"),
        "text",
        required=True,
        max_length=255,
        salesforce_report=("Account Name",),
        salesforce_dataloader=("Name",),
        hubspot=("Company name",),
        common=("Name", "Company"),
    ),
    _f(
        "website",
        gettext_lazy("Website"),
        "website",
        max_length=255,
        salesforce_report=("Website",),
        salesforce_dataloader=("Website",),
        hubspot=("Website URL", "Company Domain Name"),
        common=("Domain", "URL"),
    ),
    _f(
        "duns",
        gettext_lazy("D-U-N-S number"),
        "text",
        max_length=20,
        salesforce_report=("D-U-N-S Number",),
        salesforce_dataloader=("DunsNumber",),
        common=("DUNS", "DUNS Number"),
    ),
    _f(
        "vat",
        gettext_lazy("VAT number"),
        "text",
        max_length=30,
        common=("VAT Number", "VAT", "VAT ID", "Tax ID"),
    ),
    _f("lei", gettext_lazy("LEI"), "text", max_length=20, common=("Legal Entity Identifier",)),
    _f(
        "country",
        gettext_lazy("Country"),
        "country",
        salesforce_report=("Billing Country", "Billing Country Code"),
        salesforce_dataloader=("BillingCountry", "BillingCountryCode"),
        hubspot=("Country/Region",),
        common=("Country", "Shipping Country", "ShippingCountry"),
    ),
    _f(
        "city",
        gettext_lazy("City"),
        "text",
        max_length=120,
        salesforce_report=("Billing City",),
        salesforce_dataloader=("BillingCity",),
        hubspot=("City",),
        common=("Shipping City", "ShippingCity"),
    ),
    _f(
        "industry",
        gettext_lazy("Industry"),
        "text",
        max_length=120,
        salesforce_report=("Industry",),
        salesforce_dataloader=("Industry",),
        hubspot=("Industry",),
    ),
    _f(
        "employees",
        gettext_lazy("Employees"),
        "integer",
        salesforce_report=("Employees",),
        salesforce_dataloader=("NumberOfEmployees",),
        hubspot=("Number of Employees",),
    ),
    _f(
        "is_customer",
        gettext_lazy("Customer"),
        "customer",
        help=gettext_lazy("Yes/no, or a CRM type or lifecycle stage such as 'Customer'."),
        salesforce_report=("Type", "Account Type"),
        salesforce_dataloader=("Type",),
        hubspot=("Lifecycle Stage",),
        common=("Customer", "Is Customer"),
    ),
    _f(
        "relationship_owner",
        gettext_lazy("Relationship owner"),
        "text",
        max_length=150,
        salesforce_report=("Account Owner",),
        salesforce_dataloader=("Owner.Name", "OwnerId"),
        hubspot=("Company owner",),
        common=("Owner",),
    ),
    _f(
        "relationship_since",
        gettext_lazy("Relationship since"),
        "date",
        help=gettext_lazy(
            "When the company became a customer; the record's creation date "
            "stands in when the export has nothing better."
        ),
        salesforce_report=("Customer Since", "Created Date"),
        salesforce_dataloader=("CreatedDate",),
        hubspot=("Became a Customer Date", "Create Date"),
    ),
    _f(
        "decision_maker_known",
        gettext_lazy("Decision maker known"),
        "bool",
        common=("Decision Maker Known",),
    ),
    _f(
        "revenue_current",
        gettext_lazy("Revenue, last 12 months"),
        "amount",
        hubspot=("Total Revenue",),
        common=("Revenue Current", "Revenue Last 12 Months"),
    ),
    _f(
        "revenue_prior",
        gettext_lazy("Revenue, prior 12 months"),
        "amount",
        common=("Revenue Prior", "Revenue Prior 12 Months"),
    ),
    _f("support_tickets_12m", gettext_lazy("Support tickets, 12 months"), "integer"),
    _f("support_tickets_prior_12m", gettext_lazy("Support tickets, prior 12 months"), "integer"),
    _f("credits_returns_12m", gettext_lazy("Credits and returns, 12 months"), "amount"),
    _f("average_discount_pct", gettext_lazy("Average discount %"), "percent"),
    _f("segment", gettext_lazy("Segment"), "segment", common=("Segment",)),
    _currency(),
)

PRODUCT_FIELDS = (
    _f(
        "code",
        gettext_lazy("Product code"),
        "crm_id",
        required=True,
        max_length=64,
        salesforce_report=("Product Code",),
        salesforce_dataloader=("ProductCode",),
        hubspot=("SKU", "Record ID"),
        common=("Code", "Product ID", "Item Code"),
    ),
    _f(
        "name",
        gettext_lazy("Product name"),
        "text",
        required=True,
        max_length=200,
        salesforce_report=("Product Name",),
        salesforce_dataloader=("Name",),
        hubspot=("Name",),
        common=("Product",),
    ),
    _f(
        "family",
        gettext_lazy("Product family"),
        "text",
        max_length=120,
        help=gettext_lazy("Families that do not exist yet are created."),
        salesforce_report=("Product Family",),
        salesforce_dataloader=("Family",),
        hubspot=("Product folder", "Product type"),
        common=("Family",),
    ),
    _f(
        "list_price",
        gettext_lazy("List price"),
        "amount",
        salesforce_report=("List Price",),
        salesforce_dataloader=("UnitPrice",),
        hubspot=("Unit price",),
        common=("Price",),
    ),
    _f("typical_deal_size", gettext_lazy("Typical deal size"), "amount", common=("Deal Size",)),
    _f(
        "sales_cycle",
        gettext_lazy("Sales cycle"),
        "cycle",
        help=gettext_lazy("'short' (transactional) or 'long' (capital-intensive)."),
    ),
    _f("typical_cycle_days", gettext_lazy("Typical cycle (days)"), "small_integer"),
    _f(
        "is_active",
        gettext_lazy("Active"),
        "bool",
        salesforce_report=("Active", "Product Active"),
        salesforce_dataloader=("IsActive",),
    ),
    _currency(),
)

INSTALL_BASE_FIELDS = (
    _f(
        "account_crm_id",
        gettext_lazy("Account CRM id"),
        "account",
        required=True,
        salesforce_report=("Account ID",),
        salesforce_dataloader=("AccountId", "Opportunity.AccountId", "Account.Id"),
        hubspot=(
            "Associated Company ID",
            "Associated Company IDs (Primary)",
            "Associated Company IDs",
            "Company ID",
        ),
    ),
    _f(
        "product_code",
        gettext_lazy("Product code"),
        "product",
        required=True,
        salesforce_report=("Product Code",),
        salesforce_dataloader=("ProductCode", "Product2Id"),
        hubspot=("SKU", "Product ID"),
    ),
    _f(
        "annual_revenue",
        gettext_lazy("Annual revenue"),
        "amount",
        salesforce_report=("Price", "Total Price"),
        salesforce_dataloader=("Price", "TotalPrice"),
        hubspot=("Annual recurring revenue", "Annual contract value", "Net price", "Amount"),
        common=("ARR", "Revenue", "Amount"),
    ),
    _f(
        "since",
        gettext_lazy("Owned since"),
        "date",
        salesforce_report=("Install Date", "Purchase Date", "Close Date"),
        salesforce_dataloader=("InstallDate", "PurchaseDate"),
        hubspot=("Close Date", "Create Date"),
    ),
    _f(
        "crm_id",
        gettext_lazy("Record CRM id"),
        "text",
        max_length=64,
        salesforce_report=("Asset ID", "Opportunity Product ID"),
        salesforce_dataloader=("Id",),
        hubspot=("Record ID", "Line item ID"),
    ),
    _currency(),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    ACCOUNTS: ACCOUNT_FIELDS,
    PRODUCTS: PRODUCT_FIELDS,
    INSTALL_BASE: INSTALL_BASE_FIELDS,
}

# Standard columns we recognise and deliberately leave out, with the reason.
IGNORED: dict[str, dict[str, Promise]] = {
    ACCOUNTS: {
        "annual revenue": gettext_lazy(
            "the customer's own turnover, not revenue from this customer"
        ),
        "annualrevenue": gettext_lazy(
            "the customer's own turnover, not revenue from this customer"
        ),
    }
}


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def field_of(kind: str, key: str) -> Field:
    return next(f for f in FIELDS[kind] if f.key == key)


def normalize_header(name: str) -> str:
    """'Country/Region' -> 'country region'; 'D-U-N-S Number' -> 'd u n s number'."""
    return " ".join(re.sub(r"[\W_]+", " ", name.replace("\ufeff", "").casefold()).split())


@dataclass(frozen=True)
class Detection:
    profile: str
    columns: dict[str, str]
    unmapped_required: list[str]
    ignored: dict[str, str]

    @property
    def profile_label(self) -> str:
        return str(PROFILES[self.profile]) if self.profile else _("Unrecognised columns")


def detect(*, kind: str, header: list[str]) -> Detection:
    """Which export this looks like, and which column feeds which field."""
    by_name = {normalize_header(column): column for column in reversed(header)}
    scores = {
        profile: sum(
            any(normalize_header(alias) in by_name for alias in f.aliases.get(profile, ()))
            for f in FIELDS[kind]
        )
        for profile in PROFILES
    }
    profile = max(PROFILES, key=lambda p: scores[p]) if any(scores.values()) else ""
    order = (
        [profile, *(p for p in PROFILES if p != profile), COMMON]
        if profile
        else [*PROFILES, COMMON]
    )
    columns: dict[str, str] = {}
    used: set[str] = set()
    for f in FIELDS[kind]:
        for candidate in _candidates(f, order):
            column = by_name.get(normalize_header(candidate))
            if column is not None and column not in used:
                columns[f.key] = column
                used.add(column)
                break
    ignored = {
        column: str(reason)
        for name, reason in IGNORED.get(kind, {}).items()
        if (column := by_name.get(name)) is not None and column not in used
    }
    return Detection(profile, columns, unmapped_required(kind, columns), ignored)


def _candidates(f: Field, order: list[str]) -> list[str]:
    return [alias for profile in order for alias in f.aliases.get(profile, ())]


def unmapped_required(kind: str, columns: dict[str, str]) -> list[str]:
    return [f.key for f in FIELDS[kind] if f.required and not columns.get(f.key)]


def mapping_problems(*, kind: str, header: list[str], columns: dict[str, str]) -> list[str]:
    """What is wrong with a mapping given by hand or saved for another file."""
    known = {f.key for f in FIELDS[kind]}
    problems = [
        _("'%(field)s' is not a field of this kind of data.") % {"field": key}
        for key in columns
        if key not in known
    ]
    present = set(header)
    problems += [
        _("Column '%(column)s' (for %(field)s) is not in the file.")
        % {"column": column, "field": field_of(kind, key).label}
        for key, column in columns.items()
        if key in known and column and column not in present
    ]
    seen: dict[str, str] = {}
    for key, column in columns.items():
        if not column or key not in known:
            continue
        if column in seen:
            problems.append(
                _("Column '%(column)s' is mapped to both %(first)s and %(second)s.")
                % {
                    "column": column,
                    "first": field_of(kind, seen[column]).label,
                    "second": field_of(kind, key).label,
                }
            )
        seen.setdefault(column, key)
    problems += [
        _("%(field)s is required: choose the column that holds it.")
        % {"field": field_of(kind, key).label}
        for key in unmapped_required(kind, columns)
    ]
    return problems


def template_header(kind: str) -> list[str]:
    return [f.key for f in FIELDS[kind]]
