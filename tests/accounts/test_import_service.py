import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.imports.columns import ACCOUNTS, INSTALL_BASE, PRODUCTS
from accounts.imports.reading import ImportFileError
from accounts.models import Holding, ImportChange, ImportJob, Product, ProductFamily, SourceAccount
from accounts.services.imports import (
    ImportAlreadyStarted,
    column_mapping_save,
    import_enqueue,
    import_error_report_csv,
    import_job_create,
    import_preview,
    import_run,
)
from accounts.services.matching import accounts_match
from tests import factories

SF_REPORT = (
    '"Account Name","Account ID","Website","Billing City","Billing Country","Industry",'
    '"Employees","Annual Revenue","Account Owner","Type"\n'
    '"Müller GmbH","001D000000IqhSL","https://www.mueller.de","München","Germany",'
    '"Manufacturing","1,200","5,000,000","Anna Berg","Customer - Direct"\n'
    '"ООО Ромашка","001D000000IqhSM","romashka.ru","Москва","Russia","Retail","80","",'
    '"Ivan Petrov","Prospect"\n'
    '"华为技术有限公司","001D000000IqhSN","","Shenzhen","CN","Telecom","","","Li Wei","Customer"\n'
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(content: bytes | str, name: str = "export.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def create(merger, company, kind, content, name="export.csv", **kwargs) -> ImportJob:
    return import_job_create(
        merger=merger,
        company=company,
        kind=kind,
        uploaded_file=upload(content, name),
        actor=None,
        **kwargs,
    )


def imported(merger, company, kind, content, name="export.csv", **kwargs) -> ImportJob:
    job = create(merger, company, kind, content, name, **kwargs)
    preview = import_preview(job=job)
    assert preview.can_import, [str(p) for p in preview.problems] + preview.mapping_problems
    return import_run(job_id=job.pk)


def test_salesforce_report_export_imports_as_it_is(merger, acquirer):
    job = create(merger, acquirer, ACCOUNTS, SF_REPORT)
    preview = import_preview(job=job)
    assert preview.profile == "salesforce_report"
    assert preview.total_rows == 3 and preview.new_count == 3 and preview.existing_count == 0
    assert preview.problems == []
    assert "Annual Revenue" in preview.ignored
    assert SourceAccount.objects.count() == 0  # a preview writes nothing

    job = import_run(job_id=job.pk)

    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.created_count, job.updated_count, job.processed_rows) == (3, 0, 3)
    mueller = SourceAccount.objects.get(company=acquirer, crm_id="001D000000IqhSL")
    assert mueller.name == "Müller GmbH"
    assert (mueller.city, mueller.country, mueller.employees) == ("München", "DE", 1200)
    assert mueller.domain == "mueller.de"
    assert mueller.is_customer is True
    assert mueller.relationship_owner == "Anna Berg"
    assert mueller.revenue_current == Decimal("0")  # the customer's turnover is not ours
    assert mueller.unified is None
    names = set(SourceAccount.objects.values_list("name", flat=True))
    assert names == {"Müller GmbH", "ООО Ромашка", "华为技术有限公司"}
    assert not SourceAccount.objects.get(name="ООО Ромашка").is_customer


def test_one_bad_row_fails_the_import_and_nothing_is_written(merger, acquirer):
    content = 'crm_id,name,revenue_current\nA1,Acme,100\nA2,Beta,"12,3,4"\nA3,Gamma,5\n'
    job = create(merger, acquirer, ACCOUNTS, content)

    job = import_run(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert SourceAccount.objects.count() == 0
    assert job.errors == [
        {
            "row": 3,
            "column": "revenue_current",
            "field": "revenue_current",
            "value": "12,3,4",
            "message": "'12,3,4' is not an amount.",
        }
    ]
    report = list(csv.reader(io.StringIO(import_error_report_csv(job=job).lstrip("\ufeff"))))
    assert report == [
        ["row", "column", "field", "value", "message"],
        ["3", "revenue_current", "revenue_current", "12,3,4", "'12,3,4' is not an amount."],
    ]


def test_preview_lists_every_problem_by_row_and_column(merger, acquirer):
    content = "crm_id,name,country,employees\nA1,,Atlantis,many\nA2,Beta,DE,5\nA1,Dup,DE,1\n"
    preview = import_preview(job=create(merger, acquirer, ACCOUNTS, content))
    assert [(p.row, p.column) for p in preview.problems] == [
        (2, "name"),
        (2, "country"),
        (2, "employees"),
        (4, "crm_id"),
    ]
    assert not preview.can_import
    assert preview.job.status == ImportJob.Status.PREVIEWED
    assert len(preview.job.errors) == 4


def test_reimport_updates_by_crm_id_without_duplicates_and_records_changes(merger, acquirer):
    imported(merger, acquirer, ACCOUNTS, "crm_id,name,city\nA1,Acme,Berlin\nA2,Beta,Paris\n")
    job = create(
        merger,
        acquirer,
        ACCOUNTS,
        "crm_id,name,city\nA1,Acme,Hamburg\nA2,Beta,Paris\nA3,Gamma,Rome\n",
    )
    preview = import_preview(job=job)
    assert (preview.new_count, preview.existing_count) == (1, 2)

    job = import_run(job_id=job.pk)

    assert (job.created_count, job.updated_count) == (1, 1)
    assert SourceAccount.objects.filter(company=acquirer).count() == 3
    assert SourceAccount.objects.get(crm_id="A1").city == "Hamburg"
    change = ImportChange.objects.get(job=job)
    assert (change.record, change.field, change.old_value, change.new_value) == (
        "A1",
        "city",
        "Berlin",
        "Hamburg",
    )


def test_reimport_leaves_fields_the_file_does_not_carry(merger, acquirer):
    imported(merger, acquirer, ACCOUNTS, "crm_id,name,industry\nA1,Acme,Mining\n")
    imported(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme AG\n")
    account = SourceAccount.objects.get(crm_id="A1")
    assert (account.name, account.industry) == ("Acme AG", "Mining")


def test_report_ids_find_records_imported_with_data_loader_ids(merger, acquirer):
    imported(merger, acquirer, ACCOUNTS, "Id,Name\n001D000000IqhSLIAZ,Acme\n")
    job = imported(
        merger, acquirer, ACCOUNTS, '"Account ID","Account Name"\n001D000000IqhSL,Acme\n'
    )
    assert (job.created_count, job.updated_count) == (0, 0)
    assert SourceAccount.objects.count() == 1


def test_windows_1252_semicolon_file_with_decimal_commas(merger, acquirer):
    content = (
        "crm_id;name;revenue_current;relationship_since\n"
        "A1;Müller GmbH;1.234,56;31.03.2020\n"
        "A2;Café Crème;12,5;01.02.2021\n"
    ).encode("cp1252")
    imported(merger, acquirer, ACCOUNTS, content)
    mueller = SourceAccount.objects.get(crm_id="A1")
    assert mueller.name == "Müller GmbH"
    assert mueller.revenue_current == Decimal("1234.56")
    assert mueller.relationship_since == dt.date(2020, 3, 31)
    assert SourceAccount.objects.get(crm_id="A2").name == "Café Crème"


def test_tab_delimited_file_with_a_quoted_newline_in_a_name(merger, acquirer):
    imported(merger, acquirer, ACCOUNTS, 'crm_id\tname\nA1\t"Acme\nWidgets"\nA2\tBeta\n')
    assert SourceAccount.objects.get(crm_id="A1").name == "Acme Widgets"


def test_xlsx_export_with_cyrillic_and_chinese_names(merger, acquirer):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Record ID", "Company name", "Create Date", "Total Revenue"])
    sheet.append([1001, "ООО Ромашка", dt.datetime(2021, 5, 4, 10, 0), 12000.5])
    sheet.append([1002, "华为技术有限公司", dt.datetime(2022, 1, 2), None])
    out = io.BytesIO()
    workbook.save(out)

    job = imported(merger, acquirer, ACCOUNTS, out.getvalue(), name="companies.xlsx")

    assert job.created_count == 2
    romashka = SourceAccount.objects.get(crm_id="1001")
    assert romashka.name == "ООО Ромашка"
    assert romashka.relationship_since == dt.date(2021, 5, 4)
    assert romashka.revenue_current == Decimal("12000.50")
    assert SourceAccount.objects.get(crm_id="1002").name == "华为技术有限公司"


def test_unknown_segment_is_a_row_error_listing_the_known_ones(merger, acquirer):
    factories.SegmentFactory(merger=merger, name="Utilities")
    preview = import_preview(
        job=create(merger, acquirer, ACCOUNTS, "crm_id,name,segment\nA1,Acme,Mining\n")
    )
    assert "Utilities" in preview.problems[0].message

    imported(merger, acquirer, ACCOUNTS, "crm_id,name,segment\nA1,Acme,utilities\n")
    assert SourceAccount.objects.get(crm_id="A1").segment.name == "Utilities"


def test_products_create_missing_families_and_update_by_code(merger, acquirer):
    content = (
        "ProductCode,Name,Family,UnitPrice,IsActive\n"
        'SNS-1,Vibration sensor,Sensors,"1,200.00",true\n'
        "SNS-2,Edge gateway,Gateways,900,false\n"
    )
    imported(merger, acquirer, PRODUCTS, content)
    assert set(ProductFamily.objects.values_list("name", flat=True)) == {"Sensors", "Gateways"}
    sensor = Product.objects.get(company=acquirer, code="SNS-1")
    assert (sensor.list_price, sensor.family.name, sensor.is_active) == (
        Decimal("1200.00"),
        "Sensors",
        True,
    )

    job = imported(merger, acquirer, PRODUCTS, content.replace("Gateways,900", "Sensors,950"))

    assert (job.created_count, job.updated_count) == (0, 1)
    changes = set(
        ImportChange.objects.filter(job=job).values_list("field", "old_value", "new_value")
    )
    assert changes == {("family", "Gateways", "Sensors"), ("list_price", "900.00", "950.00")}


def test_install_base_from_an_asset_export(merger, acquirer):
    account = factories.SourceAccountFactory(company=acquirer, crm_id="001D000000IqhSLIAZ")
    product = factories.ProductFactory(company=acquirer, code="SNS-1")
    content = (
        "Id,AccountId,ProductCode,Price,InstallDate\n"
        '02i1,001D000000IqhSL,SNS-1,"1,000.00",2020-05-01\n'
        "02i2,001D000000IqhSLIAZ,SNS-1,500,2019-01-15\n"
    )
    job = imported(merger, acquirer, INSTALL_BASE, content)

    holding = Holding.objects.get()
    assert (holding.account, holding.product) == (account, product)
    # Two lines of one product for one account are one holding.
    assert holding.annual_revenue == Decimal("1500.00")
    assert holding.since == dt.date(2019, 1, 15)
    assert holding.crm_id == "02i1"
    assert job.created_count == 1


def test_install_base_row_naming_an_unknown_account_or_product_fails_the_import(merger, acquirer):
    factories.SourceAccountFactory(company=acquirer, crm_id="A1")
    factories.ProductFactory(company=acquirer, code="P1")
    content = "account_crm_id,product_code,annual_revenue\nA1,P1,10\nA9,P1,10\nA1,P9,10\n"

    job = import_run(job_id=create(merger, acquirer, INSTALL_BASE, content).pk)

    assert job.status == ImportJob.Status.FAILED
    assert Holding.objects.count() == 0
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "account_crm_id"),
        (4, "product_code"),
    ]


def test_install_base_of_another_company_is_not_found(merger, acquirer, acquired):
    factories.SourceAccountFactory(company=acquired, crm_id="A1")
    factories.ProductFactory(company=acquirer, code="P1")
    content = "account_crm_id,product_code\nA1,P1\n"
    preview = import_preview(job=create(merger, acquirer, INSTALL_BASE, content))
    assert preview.problems[0].field == "account_crm_id"


def test_reimported_install_base_updates_revenue_and_records_the_change(merger, acquirer):
    factories.SourceAccountFactory(company=acquirer, crm_id="A1")
    factories.ProductFactory(company=acquirer, code="P1")
    imported(
        merger, acquirer, INSTALL_BASE, "account_crm_id,product_code,annual_revenue\nA1,P1,10\n"
    )

    job = imported(
        merger, acquirer, INSTALL_BASE, "account_crm_id,product_code,annual_revenue\nA1,P1,25\n"
    )

    assert Holding.objects.get().annual_revenue == Decimal("25.00")
    change = ImportChange.objects.get(job=job)
    assert (change.record, change.old_value, change.new_value) == ("A1 / P1", "10.00", "25.00")


def test_unrecognised_file_needs_a_mapping_which_can_be_saved_and_reused(merger, acquirer):
    content = "Kundennummer;Firma;Ort\nK1;Müller GmbH;Köln\n"
    job = create(merger, acquirer, ACCOUNTS, content)
    preview = import_preview(job=job)
    assert preview.profile == ""
    assert not preview.can_import and preview.mapping_problems

    mapping = {"crm_id": "Kundennummer", "name": "Firma", "city": "Ort"}
    column_mapping_save(
        merger=merger, kind=ACCOUNTS, name="Legacy ERP", columns=mapping, actor=None
    )
    preview = import_preview(job=job, columns=mapping)
    assert preview.can_import
    assert import_run(job_id=job.pk).status == ImportJob.Status.SUCCEEDED

    reused = merger.column_mappings.get(name="Legacy ERP")
    job = imported(
        merger, acquirer, ACCOUNTS, content.replace("Köln", "Bonn"), columns=reused.columns
    )
    assert job.updated_count == 1


def test_run_without_a_complete_mapping_fails_with_the_mapping_problem(merger, acquirer):
    job = import_run(job_id=create(merger, acquirer, ACCOUNTS, "Nummer,Firma\n1,Acme\n").pk)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] is None
    assert "required" in job.errors[0]["message"]


def test_oversized_file_is_refused_before_anything_is_stored(merger, acquirer, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    with pytest.raises(ImportFileError, match="files up to 1 MB"):
        create(merger, acquirer, ACCOUNTS, "crm_id,name\n" + "A,B\n" * 300_000)
    assert ImportJob.objects.count() == 0


def test_garbage_file_is_refused_with_a_clear_error(merger, acquirer):
    with pytest.raises(ImportFileError, match="binary"):
        create(merger, acquirer, ACCOUNTS, bytes(range(256)) * 10)


def test_company_of_another_program_is_refused(merger, acquirer):
    other = factories.CompanyFactory()
    with pytest.raises(ValueError):
        create(merger, other, ACCOUNTS, "crm_id,name\nA1,Acme\n")


def test_a_succeeded_job_is_not_run_again(merger, acquirer):
    job = imported(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\n")
    SourceAccount.objects.all().delete()
    assert import_run(job_id=job.pk).status == ImportJob.Status.SUCCEEDED
    assert SourceAccount.objects.count() == 0


def test_progress_is_reported_while_checking_and_writing(merger, acquirer):
    job = create(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\nA2,Beta\n")
    seen = []
    import_run(
        job_id=job.pk, progress=lambda stage, done, total: seen.append((stage, done, total))
    )
    assert ("checking", 2, 2) in seen
    assert seen[-1] == ("writing", 2, 2)


def test_enqueued_import_runs_once_the_transaction_commits(
    merger, acquirer, django_capture_on_commit_callbacks
):
    job = create(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\n")
    import_preview(job=job)
    with django_capture_on_commit_callbacks(execute=True):
        import_enqueue(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert SourceAccount.objects.filter(crm_id="A1").exists()


def test_only_a_previewed_or_failed_job_can_be_enqueued(merger, acquirer):
    job = create(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\n")
    with pytest.raises(ImportAlreadyStarted):
        import_enqueue(job=job)


def test_the_documented_templates_import_as_they_are(merger, acquirer):
    templates = Path(__file__).resolve().parents[2] / "docs" / "import-templates"
    for kind, name in (
        (ACCOUNTS, "accounts.csv"),
        (PRODUCTS, "products.csv"),
        (INSTALL_BASE, "install_base.csv"),
    ):
        job = imported(merger, acquirer, kind, (templates / name).read_bytes(), name=name)
        assert job.created_count == 3
    huawei = SourceAccount.objects.get(crm_id="ACC-0003")
    assert (huawei.name, huawei.employees, huawei.average_discount_pct) == (
        "华为技术有限公司",
        207000,
        Decimal("22.00"),
    )
    assert Holding.objects.get(account=huawei).annual_revenue == Decimal("190000.00")


def test_the_task_runs_a_job_once_even_when_delivered_twice(merger, acquirer):
    from accounts.tasks import import_run_task

    job = create(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\n")
    assert import_run_task(job.pk) == ImportJob.Status.SUCCEEDED
    assert import_run_task(job.pk) == ImportJob.Status.SUCCEEDED
    assert SourceAccount.objects.count() == 1
    assert ImportJob.objects.get(pk=job.pk).created_count == 1


def test_checked_rows_are_visible_to_other_readers_while_the_job_runs(
    merger, acquirer, monkeypatch
):
    from accounts.services.imports import checking

    monkeypatch.setattr(checking, "PROGRESS_EVERY", 1)
    job = create(merger, acquirer, ACCOUNTS, "crm_id,name\nA1,Acme\nA2,Beta\nA3,Gamma\n")
    seen = []

    def progress(stage, done, total):
        if stage == "checking":
            stored = ImportJob.objects.values_list("processed_rows", "total_rows").get(pk=job.pk)
            seen.append(stored)

    import_run(job_id=job.pk, progress=progress)
    assert seen[1:4] == [(1, 3), (2, 3), (3, 3)]


def test_a_re_import_after_matching_changes_no_domain(merger, acquirer):
    content = "crm_id,name,website\nK1,Kestrel,info@gmail.com\nK2,Osprey,https://www.osprey.de/\n"
    imported(merger, acquirer, ACCOUNTS, content)
    accounts_match(merger=merger)

    again = imported(merger, acquirer, ACCOUNTS, content, name="again.csv")

    assert again.updated_count == 0
    domains = dict(SourceAccount.objects.values_list("crm_id", "domain"))
    assert domains == {"K1": "", "K2": "osprey.de"}
