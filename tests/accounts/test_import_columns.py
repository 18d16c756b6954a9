import pytest

from accounts.imports.columns import (
    ACCOUNTS,
    HUBSPOT,
    INSTALL_BASE,
    PRODUCTS,
    SALESFORCE_DATALOADER,
    SALESFORCE_REPORT,
    TEMPLATE,
    detect,
    fields_of,
    mapping_problems,
    normalize_header,
)


def test_salesforce_report_account_export_is_recognised():
    header = [
        "Account Name",
        "Account ID",
        "Website",
        "Billing City",
        "Billing Country",
        "Industry",
        "Employees",
        "Annual Revenue",
        "Account Owner",
        "D-U-N-S Number",
        "Type",
    ]
    detection = detect(kind=ACCOUNTS, header=header)
    assert detection.profile == SALESFORCE_REPORT
    assert detection.columns == {
        "crm_id": "Account ID",
        "name": "Account Name",
        "website": "Website",
        "duns": "D-U-N-S Number",
        "country": "Billing Country",
        "city": "Billing City",
        "industry": "Industry",
        "employees": "Employees",
        "is_customer": "Type",
        "relationship_owner": "Account Owner",
    }
    assert mapping_problems(kind=ACCOUNTS, header=header, columns=detection.columns) == []


def test_customers_own_turnover_is_recognised_but_not_taken_as_our_revenue():
    detection = detect(kind=ACCOUNTS, header=["Id", "Name", "AnnualRevenue"])
    assert "revenue_current" not in detection.columns
    assert "AnnualRevenue" in detection.ignored


def test_salesforce_data_loader_account_export_is_recognised():
    header = [
        "Id",
        "Name",
        "Website",
        "BillingCity",
        "BillingCountry",
        "Industry",
        "NumberOfEmployees",
        "AnnualRevenue",
        "OwnerId",
        "DunsNumber",
    ]
    detection = detect(kind=ACCOUNTS, header=header)
    assert detection.profile == SALESFORCE_DATALOADER
    assert detection.columns["crm_id"] == "Id"
    assert detection.columns["employees"] == "NumberOfEmployees"
    assert detection.columns["relationship_owner"] == "OwnerId"


def test_hubspot_company_export_is_recognised():
    header = [
        "Record ID",
        "Company name",
        "Company Domain Name",
        "Website URL",
        "City",
        "Country/Region",
        "Industry",
        "Number of Employees",
        "Annual Revenue",
        "Company owner",
        "Create Date",
        "Lifecycle Stage",
    ]
    detection = detect(kind=ACCOUNTS, header=header)
    assert detection.profile == HUBSPOT
    assert detection.columns["crm_id"] == "Record ID"
    assert detection.columns["name"] == "Company name"
    assert detection.columns["website"] == "Website URL"
    assert detection.columns["country"] == "Country/Region"
    assert detection.columns["relationship_since"] == "Create Date"


def test_header_matching_ignores_case_spacing_and_punctuation():
    detection = detect(kind=ACCOUNTS, header=["ACCOUNT  NAME", "account_id"])
    assert detection.columns == {"crm_id": "account_id", "name": "ACCOUNT  NAME"}
    assert normalize_header("\ufeffCountry/Region") == "country region"


def test_our_template_is_recognised():
    for kind in (ACCOUNTS, PRODUCTS, INSTALL_BASE):
        header = [f.key for f in fields_of(kind)]
        detection = detect(kind=kind, header=header)
        assert detection.profile == TEMPLATE
        assert detection.columns == {key: key for key in header}


def test_salesforce_products_and_pricebook_entries_are_recognised():
    detection = detect(
        kind=PRODUCTS,
        header=["Id", "Name", "ProductCode", "Family", "IsActive", "UnitPrice", "Product2Id"],
    )
    assert detection.profile == SALESFORCE_DATALOADER
    assert detection.columns == {
        "code": "ProductCode",
        "name": "Name",
        "family": "Family",
        "list_price": "UnitPrice",
        "is_active": "IsActive",
    }


def test_hubspot_products_are_recognised():
    detection = detect(
        kind=PRODUCTS, header=["Record ID", "Name", "SKU", "Unit price", "Product type"]
    )
    assert detection.profile == HUBSPOT
    assert detection.columns["code"] == "SKU"
    assert detection.columns["family"] == "Product type"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["Id", "AccountId", "Product2Id", "Price", "InstallDate", "PurchaseDate"],
            {
                "account_crm_id": "AccountId",
                "product_code": "Product2Id",
                "annual_revenue": "Price",
                "since": "InstallDate",
                "crm_id": "Id",
            },
        ),
        (
            ["Id", "Opportunity.AccountId", "ProductCode", "TotalPrice"],
            {
                "account_crm_id": "Opportunity.AccountId",
                "product_code": "ProductCode",
                "annual_revenue": "TotalPrice",
                "crm_id": "Id",
            },
        ),
    ],
)
def test_salesforce_asset_and_opportunity_line_exports_map_to_install_base(header, expected):
    detection = detect(kind=INSTALL_BASE, header=header)
    assert detection.profile == SALESFORCE_DATALOADER
    assert detection.columns == expected


def test_unknown_file_reports_unmapped_required_fields():
    header = ["Kunde", "Nummer"]
    detection = detect(kind=ACCOUNTS, header=header)
    assert detection.profile == ""
    problems = mapping_problems(kind=ACCOUNTS, header=header, columns=detection.columns)
    assert len(problems) == 2
    assert all("is required" in problem for problem in problems)


def test_a_column_feeds_one_field_only():
    detection = detect(kind=ACCOUNTS, header=["Name", "Id"])
    assert list(detection.columns.values()).count("Name") == 1


def test_mapping_problems_name_missing_columns_duplicates_and_required_fields():
    problems = mapping_problems(
        kind=ACCOUNTS,
        header=["Kunde", "Nummer"],
        columns={"crm_id": "Nummer", "city": "Nummer", "industry": "Branche", "bogus": "Kunde"},
    )
    text = " ".join(problems)
    assert "'bogus' is not a field" in text
    assert "Column 'Branche'" in text
    assert "mapped to both" in text
    assert "Account name is required" in text


def test_a_complete_mapping_has_no_problems():
    assert (
        mapping_problems(
            kind=ACCOUNTS,
            header=["Kunde", "Nummer"],
            columns={"crm_id": "Nummer", "name": "Kunde"},
        )
        == []
    )
