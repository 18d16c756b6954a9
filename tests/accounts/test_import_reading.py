import datetime as dt
import io

import pytest
from openpyxl import Workbook

from accounts.imports.reading import ImportFileError, decode, open_table, sniff_delimiter

MB = 1024 * 1024


def read(data: bytes, name: str = "export.csv", **kwargs):
    with open_table(
        data=io.BytesIO(data), name=name, max_bytes=kwargs.pop("max_bytes", MB), **kwargs
    ) as table:
        return table.header, list(table.rows), table


def xlsx(rows, title: str = "Sheet1", extra_sheet: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet(extra_sheet).append(["other", "sheet"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_utf8_with_bom_reads_without_the_bom_in_the_first_column():
    header, rows, table = read("\ufeffcrm_id,name\n1,Acme\n".encode())
    assert header == ["crm_id", "name"]
    assert rows == [(2, ["1", "Acme"])]
    assert table.encoding == "utf-8-sig"


def test_windows_1252_keeps_accented_names():
    _header, rows, table = read("crm_id;name\n1;Müller GmbH\n2;Café Crème\n".encode("cp1252"))
    assert [row[1][1] for row in rows] == ["Müller GmbH", "Café Crème"]
    assert table.encoding == "cp1252"


def test_windows_1252_with_scandinavian_letters_is_not_read_as_central_european():
    data = "Account Name,Billing City\nSmørrebrød ApS,Århus\n".encode("cp1252")
    _header, rows, _table = read(data)
    assert rows[0][1] == ["Smørrebrød ApS", "Århus"]


def test_windows_1251_cyrillic_is_recognised():
    _header, rows, _table = read("crm_id;name\n1;ООО Ромашка\n2;ЗАО Василёк\n".encode("cp1251"))
    assert rows[0][1][1] == "ООО Ромашка"


def test_utf8_keeps_cyrillic_and_chinese_names():
    data = "crm_id,name\n1,ООО Ромашка\n2,华为技术有限公司\n".encode()
    _header, rows, _table = read(data)
    assert [row[1][1] for row in rows] == ["ООО Ромашка", "华为技术有限公司"]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
    ],
)
def test_delimiter_is_sniffed(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_semicolon_file_with_decimal_commas_splits_on_semicolons():
    _header, rows, table = read(b"crm_id;amount\n1;1.234,56\n2;12,5\n")
    assert table.delimiter == ";"
    assert rows[0][1] == ["1", "1.234,56"]


def test_quoted_newline_stays_inside_one_record_and_rows_are_numbered_by_record():
    data = b'crm_id,name,city\n1,"Acme\nWidgets",Berlin\n2,Beta,Paris\n'
    _header, rows, _table = read(data)
    assert rows == [(2, ["1", "Acme\nWidgets", "Berlin"]), (3, ["2", "Beta", "Paris"])]


def test_blank_lines_are_skipped_but_numbers_stay_those_of_the_file():
    _header, rows, _table = read(b"crm_id,name\n\n1,Acme\n\n2,Beta\n")
    assert [number for number, _cells in rows] == [3, 5]


def test_salesforce_report_footer_is_not_read_as_records():
    data = (
        b'"Account Name","Account ID"\n"Acme","001"\n\n"Grand Totals (1 records)"\n'
        b'"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
        b'"Confidential Information - Do Not Distribute"\n'
    )
    _header, rows, _table = read(data)
    assert rows == [(2, ["Acme", "001"])]


def test_title_lines_above_the_header_are_skipped():
    data = b'"Accounts report"\n"Filtered by: all"\n\ncrm_id,name\n1,Acme\n'
    header, rows, _table = read(data)
    assert header == ["crm_id", "name"]
    assert rows == [(5, ["1", "Acme"])]


def test_ragged_row_is_returned_as_is_so_the_row_can_be_reported():
    _header, rows, _table = read(b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n")
    assert [len(cells) for _number, cells in rows] == [3, 2, 4]


def test_repeated_and_blank_column_names_are_made_distinct():
    header, _rows, _table = read(b"Name,,Name\n1,2,3\n")
    assert header == ["Name", "Column 2", "Name (2)"]


def test_xlsx_first_sheet_with_excel_dates_and_numbers():
    data = xlsx(
        [["crm_id", "name", "since", "revenue"], ["1", "华为", dt.datetime(2024, 3, 1), 1234.5]]
    )
    header, rows, _table = read(data, name="export.xlsx")
    assert header == ["crm_id", "name", "since", "revenue"]
    assert rows == [(2, ["1", "华为", dt.datetime(2024, 3, 1), 1234.5])]


def test_xlsx_named_sheet():
    data = xlsx([["x", "y"]], extra_sheet="Accounts")
    header, _rows, _table = read(data, name="export.xlsx", sheet="Accounts")
    assert header == ["other", "sheet"]


def test_xlsx_unknown_sheet_lists_the_sheets():
    with pytest.raises(ImportFileError, match="Sheet1"):
        read(xlsx([["a", "b"]]), name="export.xlsx", sheet="Nope")


def test_excel_file_with_a_csv_name_is_read_as_excel():
    header, rows, _table = read(xlsx([["a", "b"], [1, 2]]), name="export.csv")
    assert header == ["a", "b"]
    assert rows == [(2, [1, 2])]  # numbers as Excel stores them, not text


def test_oversized_file_gives_a_clear_error():
    with pytest.raises(ImportFileError, match="files up to 1 MB"):
        read(b"a,b\n" + b"1,2\n" * 300_000)


def test_empty_file_gives_a_clear_error():
    with pytest.raises(ImportFileError, match="empty"):
        read(b"")


def test_binary_garbage_gives_a_clear_error():
    with pytest.raises(ImportFileError, match="binary"):
        read(bytes(range(256)) * 20)


def test_fake_xlsx_gives_a_clear_error():
    with pytest.raises(ImportFileError, match="not a valid Excel"):
        read(b"crm_id,name\n1,Acme\n", name="export.xlsx")


def test_legacy_xls_is_refused_with_a_hint():
    with pytest.raises(ImportFileError, match=r"\.xlsx"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="export.xls")


def test_unsupported_extension_is_named():
    with pytest.raises(ImportFileError, match=r"export\.pdf"):
        read(b"%PDF-1.4", name="export.pdf")


def test_file_without_a_header_row_is_refused():
    with pytest.raises(ImportFileError, match="header"):
        read(b"just one column\nvalue\n")


def test_unclosed_quote_gives_a_clear_error_not_a_crash():
    data = b'a,b\n1,"' + b"x" * 200_000 + b"\n"
    with pytest.raises(ImportFileError, match="quote"):
        read(data)


def test_utf16_with_bom_is_read():
    text, encoding = decode("a\tb\n1\tÄ\n".encode("utf-16"))
    assert text == "a\tb\n1\tÄ\n"
    assert encoding == "utf-16"


def test_chinese_windows_export_in_gbk_keeps_chinese_names():
    data = "crm_id,name\n1,华为技术有限公司\n2,阿里巴巴集团\n".encode("gb18030")
    _header, rows, _table = read(data)
    assert rows[0][1][1] == "华为技术有限公司"
