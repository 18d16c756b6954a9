"""Which reader a file needs, by its content and then its extension."""

import io
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.reading.csv_files import open_csv
from accounts.imports.reading.table import ImportFileError, Table
from accounts.imports.reading.xlsx_files import open_xlsx

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and other Office binaries


def open_table(*, data: BinaryIO, name: str, max_bytes: int, sheet: str | None = None) -> Table:
    """Read `data` (a seekable binary file) as CSV or XLSX, by content and extension."""
    size = data.seek(0, io.SEEK_END)
    data.seek(0)
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size).1f MB; files up to %(limit)d MB can be imported.")
            % {"size": size / 1024 / 1024, "limit": max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    head = data.read(8)
    data.seek(0)
    if file_format(head=head, name=name) == "xlsx":
        return open_xlsx(data, sheet)
    return open_csv(data.read())


def file_format(*, head: bytes, name: str) -> str:
    lowered = name.lower()
    if head.startswith(_OLE_MAGIC) or lowered.endswith(".xls"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.")
        )
    if head.startswith(_ZIP_MAGIC):
        # Trust the content: an Excel file saved under a .csv name still reads.
        return "xlsx"
    if lowered.endswith(XLSX_EXTENSIONS):
        raise ImportFileError(_("The file is not a valid Excel workbook."))
    if lowered.endswith(CSV_EXTENSIONS):
        return "csv"
    raise ImportFileError(
        _(
            "Unsupported file type '%(name)s': "
            "upload a CSV (.csv, .txt, .tsv) or Excel (.xlsx) file."
        )
        % {"name": name}
    )
