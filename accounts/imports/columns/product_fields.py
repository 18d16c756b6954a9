"""The fields of products and of the install base, and the names each export gives them."""

from django.utils.translation import gettext_lazy

from accounts.imports.columns.kinds import currency_field, field_def

PRODUCT_FIELDS = (
    field_def(
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
    field_def(
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
    field_def(
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
    field_def(
        "list_price",
        gettext_lazy("List price"),
        "amount",
        salesforce_report=("List Price",),
        salesforce_dataloader=("UnitPrice",),
        hubspot=("Unit price",),
        common=("Price",),
    ),
    field_def(
        "typical_deal_size", gettext_lazy("Typical deal size"), "amount", common=("Deal Size",)
    ),
    field_def(
        "sales_cycle",
        gettext_lazy("Sales cycle"),
        "cycle",
        help=gettext_lazy("'short' (transactional) or 'long' (capital-intensive)."),
    ),
    field_def("typical_cycle_days", gettext_lazy("Typical cycle (days)"), "small_integer"),
    field_def(
        "is_active",
        gettext_lazy("Active"),
        "bool",
        salesforce_report=("Active", "Product Active"),
        salesforce_dataloader=("IsActive",),
    ),
    currency_field(),
)

INSTALL_BASE_FIELDS = (
    field_def(
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
    field_def(
        "product_code",
        gettext_lazy("Product code"),
        "product",
        required=True,
        salesforce_report=("Product Code",),
        salesforce_dataloader=("ProductCode", "Product2Id"),
        hubspot=("SKU", "Product ID"),
    ),
    field_def(
        "annual_revenue",
        gettext_lazy("Annual revenue"),
        "amount",
        salesforce_report=("Price", "Total Price"),
        salesforce_dataloader=("Price", "TotalPrice"),
        hubspot=("Annual recurring revenue", "Annual contract value", "Net price", "Amount"),
        common=("ARR", "Revenue", "Amount"),
    ),
    field_def(
        "since",
        gettext_lazy("Owned since"),
        "date",
        salesforce_report=("Install Date", "Purchase Date", "Close Date"),
        salesforce_dataloader=("InstallDate", "PurchaseDate"),
        hubspot=("Close Date", "Create Date"),
    ),
    field_def(
        "crm_id",
        gettext_lazy("Record CRM id"),
        "text",
        max_length=64,
        salesforce_report=("Asset ID", "Opportunity Product ID"),
        salesforce_dataloader=("Id",),
        hubspot=("Record ID", "Line item ID"),
    ),
    currency_field(),
)
