import datetime as dt
from decimal import Decimal

from accounts.imports.cleaning import Formats, RowCleaner, RowError, sniff_formats
from accounts.imports.columns import ACCOUNTS, INSTALL_BASE, PRODUCTS

HEADER = ["Account ID", "Account Name", "Annual Rev", "Since", "Segment"]
COLUMNS = {
    "crm_id": "Account ID",
    "name": "Account Name",
    "revenue_current": "Annual Rev",
    "relationship_since": "Since",
    "segment": "Segment",
}


def cleaner(formats=None, **known):
    return RowCleaner(
        kind=ACCOUNTS,
        header=HEADER,
        columns=COLUMNS,
        formats=formats or Formats(),
        known={"segment": {"utilities": "Utilities", "retail": "Retail"}, **known},
    )


def test_a_good_row_becomes_typed_values():
    values, errors = cleaner().clean(2, ["001", "ООО Ромашка", "1,234.50", "2024-03-31", "retail"])
    assert errors == []
    assert values == {
        "crm_id": "001",
        "name": "ООО Ромашка",
        "revenue_current": Decimal("1234.50"),
        "relationship_since": dt.date(2024, 3, 31),
        "segment": "Retail",
    }


def test_every_problem_of_a_row_is_named_by_row_and_column():
    _values, errors = cleaner().clean(17, ["", "Acme", "12,3,4", "soon", "Mining"])
    assert [(e.row, e.column, e.field) for e in errors] == [
        (17, "Account ID", "crm_id"),
        (17, "Annual Rev", "revenue_current"),
        (17, "Since", "relationship_since"),
        (17, "Segment", "segment"),
    ]
    assert str(errors[1]) == "Row 17, column 'Annual Rev': '12,3,4' is not an amount."
    assert "Retail, Utilities" in errors[3].message


def test_empty_optional_cells_take_the_fields_empty_value():
    values, errors = cleaner().clean(2, ["001", "Acme", "", "", ""])
    assert errors == []
    assert values["revenue_current"] == Decimal("0.00")
    assert values["relationship_since"] is None
    assert values["segment"] is None


def test_a_crm_id_repeated_in_the_file_is_an_error_on_the_later_row():
    rows = cleaner()
    rows.clean(2, ["001D000000IqhSL", "Acme", "", "", ""])
    _values, errors = rows.clean(9, ["001D000000IqhSLIAZ", "Acme again", "", "", ""])
    assert errors[0].row == 9
    assert "row 2" in errors[0].message


def test_ragged_row_is_one_problem_for_the_row():
    _values, errors = cleaner().clean(4, ["001", "Acme"])
    assert errors == [RowError(4, "", "", "", errors[0].message)]
    assert "2 values" in str(errors[0])


def test_formats_are_settled_per_column_from_all_values():
    rows = iter(
        [(2, ["1", "A", "1.234", "01/02/2024", ""]), (3, ["2", "B", "12,5", "25/02/2024", ""])]
    )
    formats = sniff_formats(
        kind=ACCOUNTS, header=HEADER, columns=COLUMNS, rows=rows, default_day_first=False
    )
    assert formats.decimal_marks == {"revenue_current": ","}
    assert formats.day_first == {"relationship_since": True}
    values, _errors = cleaner(formats).clean(2, ["1", "A", "1.234", "01/02/2024", ""])
    assert values["revenue_current"] == Decimal("1234.00")
    assert values["relationship_since"] == dt.date(2024, 2, 1)


def test_install_base_references_must_exist_in_the_company():
    header = ["AccountId", "ProductCode", "Price"]
    columns = {
        "account_crm_id": "AccountId",
        "product_code": "ProductCode",
        "annual_revenue": "Price",
    }
    rows = RowCleaner(
        kind=INSTALL_BASE,
        header=header,
        columns=columns,
        formats=Formats(),
        known={"account": {"A1"}, "product": {"P1"}},
    )
    values, errors = rows.clean(2, ["A1", "P1", "100"])
    assert errors == [] and values["annual_revenue"] == Decimal("100.00")
    _values, errors = rows.clean(3, ["A2", "P9", "100"])
    assert [e.column for e in errors] == ["AccountId", "ProductCode"]
    assert "import accounts first" in errors[0].message


def test_products_default_to_active_and_short_cycle_when_cells_are_empty():
    header = ["code", "name", "is_active", "sales_cycle"]
    rows = RowCleaner(
        kind=PRODUCTS, header=header, columns={k: k for k in header}, formats=Formats()
    )
    values, errors = rows.clean(2, ["P1", "Sensor", "", ""])
    assert errors == []
    assert values["is_active"] is True and values["sales_cycle"] == "short"
