"""Import pages: upload, preview with mapping, run with progress, error report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import ColumnMapping, ImportJob, SourceAccount
from core.access import Role
from tests import factories

SF_REPORT = (
    '"Account Name","Account ID","Billing City","Billing Country"\n'
    '"ООО Ромашка","001D000000IqhSL","Москва","Russia"\n'
    '"华为技术有限公司","001D000000IqhSM","Shenzhen","China"\n'
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ops(client, ops_user):
    client.force_login(ops_user)
    return client


def upload(client, company, content, name="export.csv", kind="accounts", **extra):
    data = {"company": company.pk, "kind": kind, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("accounts:imports"), data | extra)


def test_upload_page_is_for_sales_ops_only(client, rep_user, ops_user):
    url = reverse("accounts:imports")
    assert client.get(url).status_code == 302
    client.force_login(rep_user)
    assert client.get(url).status_code == 403
    client.force_login(ops_user)
    assert client.get(url).status_code == 200


def test_salesforce_export_is_previewed_then_imported_with_progress_page(
    ops, acquirer, django_capture_on_commit_callbacks
):
    response = upload(ops, acquirer, SF_REPORT.encode())
    job = ImportJob.objects.get()
    assert response.url == reverse("accounts:import_detail", args=[job.pk])

    page = ops.get(response.url).content.decode()
    assert "Salesforce report export" in page
    assert "ООО Ромашка" in page and "华为技术有限公司" in page
    assert "Import 2 rows" in page
    assert SourceAccount.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        ops.post(reverse("accounts:import_start", args=[job.pk]))

    assert SourceAccount.objects.count() == 2
    page = ops.get(reverse("accounts:import_detail", args=[job.pk])).content.decode()
    assert 'data-job-status-url="' in page
    assert "job_progress.js" in page
    status = ops.get(reverse("accounts:import_status", args=[job.pk])).json()
    assert status["status"] == "succeeded" and status["progress"] == 100
    assert (status["processed_rows"], status["created_count"]) == (2, 2)


def test_unrecognised_file_gets_a_mapping_form_and_the_mapping_can_be_saved(ops, merger, acquirer):
    upload(ops, acquirer, "Nummer;Firma\nK1;Müller GmbH\n".encode("cp1252"))
    job = ImportJob.objects.get()
    detail = reverse("accounts:import_detail", args=[job.pk])
    page = ops.get(detail).content.decode()
    assert "Columns not recognised" in page
    assert 'name="field_crm_id"' in page

    ops.post(
        reverse("accounts:import_mapping", args=[job.pk]),
        {"field_crm_id": "Nummer", "field_name": "Firma", "save_as": "ERP"},
    )

    assert ColumnMapping.objects.get(merger=merger, name="ERP").columns == {
        "crm_id": "Nummer",
        "name": "Firma",
    }
    page = ops.get(detail).content.decode()
    assert "Müller GmbH" in page and "Import 1 row" in page


def test_saved_mapping_is_applied_on_upload(ops, merger, acquirer):
    mapping = ColumnMapping.objects.create(
        merger=merger, name="ERP", kind="accounts", columns={"crm_id": "Nummer", "name": "Firma"}
    )
    upload(ops, acquirer, b"Nummer,Firma\nK1,Acme\n", mapping=mapping.pk)
    assert ImportJob.objects.get().columns == {"crm_id": "Nummer", "name": "Firma"}


def test_problems_are_listed_by_row_and_column_with_a_downloadable_report(ops, acquirer):
    upload(ops, acquirer, b"crm_id,name,employees\nA1,Acme,many\nA2,Beta,3\n")
    job = ImportJob.objects.get()

    page = ops.get(reverse("accounts:import_detail", args=[job.pk])).content.decode()
    assert "1 problem" in page
    assert "&#x27;many&#x27; is not a whole number" in page
    assert "Import 2 rows" not in page

    response = ops.get(reverse("accounts:import_errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:4] == ["2", "employees", "employees", "many"]
    assert ops.post(reverse("accounts:import_start", args=[job.pk])).status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED


def test_garbage_upload_is_refused_with_a_clear_message(ops, acquirer):
    response = upload(ops, acquirer, bytes(range(256)) * 10)
    assert response.status_code == 400
    assert "binary data" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_oversized_upload_is_refused_before_it_is_read(ops, acquirer, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = upload(ops, acquirer, b"crm_id,name\n" + b"A1,Acme\n" * 200_000)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_template_download(ops):
    response = ops.get(reverse("accounts:import_template", args=["install_base"]))
    assert b"".join(response.streaming_content).startswith(b"account_crm_id,product_code")


def test_imports_of_another_program_do_not_exist_for_its_outsiders(client, merger, acquirer):
    job = ImportJob.objects.create(
        merger=merger, company=acquirer, kind="accounts", original_name="x.csv"
    )
    other = factories.MergerFactory(name="Other deal")
    outsider = factories.UserFactory(username="other_ops", role=Role.OPS)
    factories.MembershipFactory(merger=other, user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("accounts:import_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("accounts:import_detail", args=[job.pk])).status_code == 404
