"""The kinds of data, the export profiles we recognise, and how a field is described."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
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


def field_def(key, label, type_, *, required=False, max_length=0, help="", **aliases) -> Field:
    names = {TEMPLATE: (key,), **aliases}
    return Field(key, label, type_, required, max_length, names, help)


def currency_field() -> Field:
    """The currency of the row's amounts: a column of ISO codes (or symbols)."""
    return field_def(
        "currency",
        gettext_lazy("Currency"),
        "currency",
        help=gettext_lazy("ISO code (EUR) of the row's amounts; else the cell or the default."),
        salesforce_report=("Currency", "Account Currency"),
        salesforce_dataloader=("CurrencyIsoCode",),
        hubspot=("Currency", "Deal Currency Code"),
        common=("Currency", "Currency Code", "CCY"),
    )
