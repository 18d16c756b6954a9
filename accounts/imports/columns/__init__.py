"""Our fields per kind of data, and how standard CRM exports name them.

Pure. A file from Salesforce (report or Data Loader export), HubSpot or our
template is recognised by its column names; any other file gets a mapping from
the user (or a saved one). Matching ignores case, spacing and punctuation.
"""

from accounts.imports.columns.kinds import (
    ACCOUNTS,
    HUBSPOT,
    INSTALL_BASE,
    KINDS,
    PRODUCTS,
    SALESFORCE_DATALOADER,
    SALESFORCE_REPORT,
    TEMPLATE,
    Field,
)
from accounts.imports.columns.mapping import (
    detect,
    fields_of,
    mapping_problems,
    normalize_header,
)

__all__ = [
    "ACCOUNTS",
    "HUBSPOT",
    "INSTALL_BASE",
    "KINDS",
    "PRODUCTS",
    "SALESFORCE_DATALOADER",
    "SALESFORCE_REPORT",
    "TEMPLATE",
    "Field",
    "detect",
    "fields_of",
    "mapping_problems",
    "normalize_header",
]
