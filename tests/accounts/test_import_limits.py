"""Hostile or oversized files are refused quickly, with a message naming the limit."""

import io
import time
import zipfile

import pytest

from accounts.imports.reading import ImportFileError, open_table, xlsx_files
from accounts.imports.reading.table import MAX_COLUMNS

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def read(data: bytes, name: str = "export.csv"):
    with open_table(data=io.BytesIO(data), name=name, max_bytes=50 * MB) as table:
        return table.header, list(table.rows)


def raw_xlsx(rows: list[str], *, shared: list[str] = (), dimension: str = "") -> bytes:
    """A workbook written part by part, as other tools (or attackers) write them."""
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    package_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet_data = f"<sheetData>{''.join(rows)}</sheetData>"
    sheet = f'<worksheet xmlns="{MAIN}">{dimension_xml}{sheet_data}</worksheet>'
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
    sst = f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">{strings}</sst>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def text_row(number: int, *indexes: int) -> str:
    cells = "".join(
        f'<c r="{chr(65 + column)}{number}" t="s"><v>{index}</v></c>'
        for column, index in enumerate(indexes)
    )
    return f'<row r="{number}">{cells}</row>'


# CSV header


def test_a_thousand_repeated_column_names_are_made_distinct_quickly():
    data = (",".join(["Name"] * 1000) + "\n" + ",".join(["x"] * 1000) + "\n").encode()
    started = time.perf_counter()
    header, rows = read(data)
    # Quadratic naming took about 3 s for 1,000 columns (33 s for 2,000 on a server).
    assert time.perf_counter() - started < 0.5
    assert header[:3] == ["Name", "Name (2)", "Name (3)"]
    assert len(set(header)) == 1000
    assert len(rows) == 1


def test_a_name_that_looks_like_a_copy_still_gets_a_distinct_name():
    header, _rows = read(b"Name,Name (2),Name,Name\n1,2,3,4\n")
    assert header == ["Name", "Name (2)", "Name (3)", "Name (4)"]


def test_a_header_wider_than_the_limit_is_refused_with_the_numbers():
    data = (",".join(f"c{index}" for index in range(2000)) + "\n").encode()
    with pytest.raises(ImportFileError) as error:
        read(data)
    assert "2000 columns" in error.value.message
    assert str(MAX_COLUMNS) in error.value.message


def test_an_absurdly_long_column_name_is_refused():
    data = b"crm_id," + b"n" * 5000 + b"\n1,2\n"
    with pytest.raises(ImportFileError, match="column 2 is longer than 255"):
        read(data)


# XLSX


def test_xlsx_with_shared_strings_reads():
    data = raw_xlsx([text_row(1, 0, 1), text_row(2, 2, 3)], shared=["id", "name", "7", "Acme"])
    header, rows = read(data, "export.xlsx")
    assert header == ["id", "name"]
    assert rows == [(2, ["7", "Acme"])]


def test_a_declared_sheet_size_of_every_excel_cell_does_not_make_reading_slow():
    rows = [text_row(1, 0, 1)] + [text_row(number, 2, 3) for number in range(2, 2002)]
    data = raw_xlsx(rows, shared=["id", "name", "7", "Acme"], dimension="A1:XFD1048576")
    started = time.perf_counter()
    _header, read_rows = read(data, "export.xlsx")
    # Padded to the declared 16,384 columns, 2,000 rows took about 10 s.
    assert time.perf_counter() - started < 2
    assert len(read_rows) == 2000
    assert read_rows[-1] == (2001, ["7", "Acme"])


def test_too_many_shared_strings_are_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(xlsx_files, "XLSX_MAX_SHARED_STRINGS", 10)
    data = raw_xlsx([text_row(1, 0, 1)], shared=[f"text {n}" for n in range(11)])
    with pytest.raises(ImportFileError, match="more than 10 different texts"):
        read(data, "export.xlsx")


def test_one_huge_shared_string_is_refused_without_storing_it():
    data = raw_xlsx([text_row(1, 0, 1)], shared=["id", "x" * 40_000])
    with pytest.raises(ImportFileError) as error:
        read(data, "export.xlsx")
    assert "40000 characters" in error.value.message
    assert len(error.value.message) < 300


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_files, "XLSX_MAX_UNPACKED_BYTES", 50 * 1024)
    data = raw_xlsx([text_row(1, 0, 1)], shared=["id", "name", "y" * 30_000, "z" * 30_000])
    assert len(data) < 10 * 1024  # compresses well: the size of the upload says nothing
    with pytest.raises(ImportFileError, match="unpacks to"):
        read(data, "export.xlsx")


def test_a_sheet_with_too_many_cells_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_files, "XLSX_MAX_CELLS", 50)
    rows = [text_row(1, 0, 1)] + [text_row(number, 2, 3) for number in range(2, 40)]
    data = raw_xlsx(rows, shared=["id", "name", "7", "Acme"])
    with pytest.raises(ImportFileError, match="more than 50 filled cells"):
        read(data, "export.xlsx")


def test_a_row_with_a_value_in_the_last_excel_column_is_refused():
    rows = [text_row(1, 0, 1), '<row r="2"><c r="XFD2" t="s"><v>2</v></c></row>']
    data = raw_xlsx(rows, shared=["id", "name", "far"])
    with pytest.raises(ImportFileError, match="Row 2 has 16384 columns"):
        read(data, "export.xlsx")


# What a job keeps


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _job(merger, company, content: bytes, name: str = "export.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services.imports import import_job_create

    return import_job_create(
        merger=merger,
        company=company,
        kind="accounts",
        uploaded_file=SimpleUploadedFile(name, content),
        actor=None,
    )


@pytest.mark.django_db
def test_a_job_keeps_the_first_problems_and_their_count_with_values_clipped(
    merger, acquirer, media, monkeypatch
):
    from accounts.models import ImportJob
    from accounts.services import imports
    from accounts.services.imports import checking
    from accounts.services.imports import preview as previewing

    monkeypatch.setattr(previewing, "PREVIEW_ROWS", 5)
    huge = "x" * 5_000
    lines = ["crm_id,name,employees"] + [f"{n},Name {n},{huge}" for n in range(1, 1201)]
    csv_text = "\n".join(lines).encode()
    job = _job(merger, acquirer, csv_text)

    job = imports.import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.error_count == 1200
    assert len(job.errors) == checking.MAX_STORED_ERRORS
    assert "1200 problems" in job.message
    assert max(len(problem["value"]) for problem in job.errors) <= 200
    assert max(len(problem["message"]) for problem in job.errors) <= 500


@pytest.mark.django_db
def test_the_preview_in_the_upload_request_checks_a_bounded_number_of_rows(
    merger, acquirer, media, monkeypatch
):
    from accounts.models import ImportJob
    from accounts.services import imports
    from accounts.services.imports import preview as previewing

    monkeypatch.setattr(previewing, "PREVIEW_ROWS", 50)
    lines = ["crm_id,name"] + [f"{n},Name {n}" for n in range(1, 201)] + ["201,"]
    job = _job(merger, acquirer, "\n".join(lines).encode())

    preview = imports.import_preview(job=job)

    assert preview.partial and preview.total_rows == 50
    assert preview.can_import  # the bad last row is beyond what the preview reads
    assert "first 50 rows" in job.message
    job = imports.import_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert [problem["row"] for problem in job.errors] == [202]
    assert job.total_rows == 201


# A NUL byte


@pytest.mark.django_db
def test_a_nul_byte_in_a_utf8_file_with_a_bom_is_named_by_row_and_column(merger, acquirer, media):
    from accounts.models import ImportJob, SourceAccount
    from accounts.services import imports

    data = b"\xef\xbb\xbfcrm_id,na\x00me\n1,Acme\n2,Ac\x00me\n"
    job = _job(merger, acquirer, data)

    preview = imports.import_preview(job=job)

    assert preview.header == ["crm_id", "name"]
    assert not preview.can_import
    [problem] = preview.problems
    assert (problem.row, problem.column, problem.field) == (3, "name", "name")
    assert "NUL character" in problem.message
    assert problem.value == "Ac\u2400me"
    job = imports.import_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] == 3 and job.errors[0]["column"] == "name"
    assert "unexpected" not in job.message
    assert not SourceAccount.objects.exists()


@pytest.mark.django_db
def test_the_error_report_says_how_many_problems_were_left_out(merger, acquirer, media):
    from accounts.models import ImportJob
    from accounts.services import imports

    job = _job(merger, acquirer, b"crm_id,name\n1,A\n")
    ImportJob.objects.filter(pk=job.pk).update(
        errors=[{"row": 2, "column": "name", "field": "name", "value": "x", "message": "bad"}],
        error_count=1500,
    )
    job.refresh_from_db()

    report = imports.import_error_report_csv(job=job)

    assert (
        report.strip()
        .splitlines()[-1]
        .endswith("1499 more problems are not listed: only the first 1 are kept.")
    )


@pytest.mark.django_db
def test_the_preview_page_says_only_the_first_rows_were_checked(
    client, ops_user, merger, acquirer, media, monkeypatch
):
    from accounts.services.imports import preview as previewing

    monkeypatch.setattr(previewing, "PREVIEW_ROWS", 2)
    job = _job(merger, acquirer, b"crm_id,name\n1,A\n2,B\n3,C\n")
    client.force_login(ops_user)

    page = client.get(f"/imports/{job.pk}/").content.decode()

    assert "Rows checked" in page
    assert "the rest are checked when the import runs" in page
    assert "Import the file" in page
