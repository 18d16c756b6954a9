import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import ColumnMapping, Holding, ImportJob, SourceAccount
from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_crm", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_imports_a_hubspot_export_and_prints_the_profile_and_summary(tmp_path, acquirer):
    path = tmp_path / "companies.csv"
    path.write_text(
        "Record ID,Company name,Country/Region,Total Revenue\n"
        '1001,ООО Ромашка,Russia,"12,000.50"\n1002,华为技术有限公司,China,0\n',
        encoding="utf-8-sig",
    )

    output = run("Sensa", "accounts", path)

    assert "HubSpot export" in output
    assert "crm_id" in output and "<- Record ID" in output
    assert "2 rows imported: 2 new" in output
    assert SourceAccount.objects.get(crm_id="1001").revenue_current == Decimal("12000.50")


def test_command_preview_writes_nothing(tmp_path, acquirer):
    path = tmp_path / "accounts.csv"
    path.write_text("crm_id,name\nA1,Acme\n")

    output = run(acquirer.pk, "accounts", path, "--preview")

    assert "1 rows: 1 new" in output
    assert "nothing was written" in output
    assert SourceAccount.objects.count() == 0
    assert ImportJob.objects.count() == 0


def test_command_fails_with_the_error_report_path_and_writes_nothing(tmp_path, acquirer):
    path = tmp_path / "accounts.csv"
    path.write_text("crm_id,name,employees\nA1,Acme,many\nA2,Beta,3\n")

    with pytest.raises(CommandError, match=r"accounts\.csv\.errors\.csv"):
        run("Sensa Instruments", "accounts", path)

    assert SourceAccount.objects.count() == 0
    report = (tmp_path / "accounts.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert "2,employees,employees,many" in report


def test_command_scripts_a_whole_mapping_and_saves_it(tmp_path, merger, acquirer):
    path = tmp_path / "erp.csv"
    path.write_text("Nummer;Firma;Ort\nK1;Müller GmbH;Köln\n", encoding="cp1252")

    run(
        "Sensa",
        "accounts",
        path,
        "--map",
        "crm_id=Nummer",
        "--map",
        "name=Firma",
        "--map",
        "city=Ort",
        "--save-mapping",
        "ERP",
    )

    assert SourceAccount.objects.get(crm_id="K1").city == "Köln"
    saved = ColumnMapping.objects.get(merger=merger, name="ERP")
    assert saved.columns == {"crm_id": "Nummer", "name": "Firma", "city": "Ort"}

    path.write_text("Nummer;Firma;Ort\nK1;Müller GmbH;Bonn\n", encoding="cp1252")
    output = run("Sensa", "accounts", path, "--mapping", "ERP")
    assert "1 updated" in output


def test_command_imports_install_base_with_progress(tmp_path, acquirer):
    factories.SourceAccountFactory(company=acquirer, crm_id="A1")
    factories.ProductFactory(company=acquirer, code="P1")
    path = tmp_path / "assets.csv"
    path.write_text("AccountId,ProductCode,Price,InstallDate\nA1,P1,100,3/14/2023\n")

    output = run("Sensa", "install-base", path)

    assert "Checked 1 of 1 rows" in output
    assert Holding.objects.get().since.isoformat() == "2023-03-14"


def test_command_names_an_unknown_or_ambiguous_company(tmp_path, acquirer):
    factories.CompanyFactory(name="Sensa Instruments", short_name="S2")
    path = tmp_path / "accounts.csv"
    path.write_text("crm_id,name\nA1,Acme\n")
    with pytest.raises(CommandError, match="No legacy company"):
        run("Nobody", "accounts", path)
    with pytest.raises(CommandError, match="several companies"):
        run("Sensa Instruments", "accounts", path)
    run("Sensa Instruments", "accounts", path, "--merger", acquirer.merger.name)
    assert SourceAccount.objects.count() == 1


def test_command_reports_an_unreadable_file_clearly(tmp_path, acquirer):
    path = tmp_path / "accounts.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="Unsupported file type"):
        run("Sensa", "accounts", path)
