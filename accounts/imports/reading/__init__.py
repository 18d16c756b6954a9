"""Open a CSV or XLSX export and hand back its header and numbered rows.

Pure: takes bytes, returns plain data. Row numbers are the ones a person sees
when opening the file in a spreadsheet (the header is usually row 1), so that
problems can be found in the original file.
"""

from accounts.imports.reading.csv_files import decode, sniff_delimiter
from accounts.imports.reading.opening import open_table
from accounts.imports.reading.table import ImportFileError, NumberedRow, Table

__all__ = [
    "ImportFileError",
    "NumberedRow",
    "Table",
    "decode",
    "open_table",
    "sniff_delimiter",
]
