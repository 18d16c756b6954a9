"""The fields of a CRM account record, and the names each export gives them."""

from django.utils.translation import gettext_lazy

from accounts.imports.columns.kinds import currency_field, field_def

ACCOUNT_FIELDS = (
    field_def(
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
    field_def(
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
    field_def(
        "website",
        gettext_lazy("Website"),
        "website",
        max_length=255,
        salesforce_report=("Website",),
        salesforce_dataloader=("Website",),
        hubspot=("Website URL", "Company Domain Name"),
        common=("Domain", "URL"),
    ),
    field_def(
        "duns",
        gettext_lazy("D-U-N-S number"),
        "text",
        max_length=20,
        salesforce_report=("D-U-N-S Number",),
        salesforce_dataloader=("DunsNumber",),
        common=("DUNS", "DUNS Number"),
    ),
    field_def(
        "vat",
        gettext_lazy("VAT number"),
        "text",
        max_length=30,
        common=("VAT Number", "VAT", "VAT ID", "Tax ID"),
    ),
    field_def(
        "lei", gettext_lazy("LEI"), "text", max_length=20, common=("Legal Entity Identifier",)
    ),
    field_def(
        "country",
        gettext_lazy("Country"),
        "country",
        salesforce_report=("Billing Country", "Billing Country Code"),
        salesforce_dataloader=("BillingCountry", "BillingCountryCode"),
        hubspot=("Country/Region",),
        common=("Country", "Shipping Country", "ShippingCountry"),
    ),
    field_def(
        "city",
        gettext_lazy("City"),
        "text",
        max_length=120,
        salesforce_report=("Billing City",),
        salesforce_dataloader=("BillingCity",),
        hubspot=("City",),
        common=("Shipping City", "ShippingCity"),
    ),
    field_def(
        "industry",
        gettext_lazy("Industry"),
        "text",
        max_length=120,
        salesforce_report=("Industry",),
        salesforce_dataloader=("Industry",),
        hubspot=("Industry",),
    ),
    field_def(
        "employees",
        gettext_lazy("Employees"),
        "integer",
        salesforce_report=("Employees",),
        salesforce_dataloader=("NumberOfEmployees",),
        hubspot=("Number of Employees",),
    ),
    field_def(
        "is_customer",
        gettext_lazy("Customer"),
        "customer",
        help=gettext_lazy("Yes/no, or a CRM type or lifecycle stage such as 'Customer'."),
        salesforce_report=("Type", "Account Type"),
        salesforce_dataloader=("Type",),
        hubspot=("Lifecycle Stage",),
        common=("Customer", "Is Customer"),
    ),
    field_def(
        "relationship_owner",
        gettext_lazy("Relationship owner"),
        "text",
        max_length=150,
        salesforce_report=("Account Owner",),
        salesforce_dataloader=("Owner.Name", "OwnerId"),
        hubspot=("Company owner",),
        common=("Owner",),
    ),
    field_def(
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
    field_def(
        "decision_maker_known",
        gettext_lazy("Decision maker known"),
        "bool",
        common=("Decision Maker Known",),
    ),
    field_def(
        "revenue_current",
        gettext_lazy("Revenue, last 12 months"),
        "amount",
        hubspot=("Total Revenue",),
        common=("Revenue Current", "Revenue Last 12 Months"),
    ),
    field_def(
        "revenue_prior",
        gettext_lazy("Revenue, prior 12 months"),
        "amount",
        common=("Revenue Prior", "Revenue Prior 12 Months"),
    ),
    field_def("support_tickets_12m", gettext_lazy("Support tickets, 12 months"), "integer"),
    field_def(
        "support_tickets_prior_12m", gettext_lazy("Support tickets, prior 12 months"), "integer"
    ),
    field_def("credits_returns_12m", gettext_lazy("Credits and returns, 12 months"), "amount"),
    field_def("average_discount_pct", gettext_lazy("Average discount %"), "percent"),
    field_def("segment", gettext_lazy("Segment"), "segment", common=("Segment",)),
    currency_field(),
)
