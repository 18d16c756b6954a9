"""Reading a core win-rate file: company, period, won, lost, source, notes. Pure.

Each row is one legacy company's core (non-program) deals decided in a month
or a quarter, as its own CRM reports them. The file readers of accounts.imports
handle encodings, delimiters and spreadsheets; this module maps the columns,
parses every cell and reports every problem by file, row and column, so that a
file is fixed in one go.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import ParseError, as_text, is_blank, parse_integer
from core.spreadsheet import neutralise
from tracker.quota_math import FilePeriods, Period, period_of_cell
from tracker.setup_csv import FileProblems, RowError, Sheet, read_sheet

MAX_SOURCE = 200
COLUMNS = ("company", "period", "won", "lost", "source")
OPTIONAL = ("notes",)
ALIASES: dict[str, tuple[str, ...]] = {
    "company": ("company", "legacy company", "legacy_company", "organisation", "organization"),
    "period": ("period", "month", "quarter"),
    "won": ("won", "core won", "won deals", "deals won", "won_count"),
    "lost": ("lost", "core lost", "lost deals", "deals lost", "lost_count"),
    "source": ("source", "data source", "report"),
    "notes": ("notes", "note", "comment", "comments"),
}


@dataclass(frozen=True)
class CoreWinRateLine:
    row: int
    company_id: int
    period: Period
    won: int
    lost: int
    source: str
    notes: str


@dataclass
class CoreWinRateFile(FileProblems[RowError]):
    name: str
    lines: list[CoreWinRateLine] = field(default_factory=list)


def read_core_win_rate_file(
    *, data: BinaryIO, name: str, companies: Mapping[str, int]
) -> CoreWinRateFile:
    """Parses every row; `companies` maps a lower-cased name, short name or role to an id."""
    sheet = read_sheet(
        data=data, name=name, aliases=ALIASES, required=COLUMNS, what=_("core deals")
    )
    result = CoreWinRateFile(name=name, errors=sheet.errors, file_errors=sheet.file_errors)
    if not sheet.ok:
        return result
    periods = FilePeriods()
    again = _("Row %(first)d already gives this company's core deals for %(period)s.")
    overlap = _("%(period)s overlaps the period of row %(row)d for the same company.")
    for number, cells in sheet.rows:
        line = _parse_row(sheet, number, cells, companies)
        if line is None:
            continue
        key = line.company_id
        if problem := periods.problem(key, number, line.period, again=again, overlap=overlap):
            sheet.fail(number, "period", problem)
        else:
            result.lines.append(line)
    return result


def _parse_row(
    sheet: Sheet, number: int, cells: list, companies: Mapping[str, int]
) -> CoreWinRateLine | None:
    errors_before = len(sheet.errors)

    def fail(column: str, message: str) -> None:
        sheet.fail(number, column, message)

    company_id = _company(sheet.cell(cells, "company"), companies, fail)
    period = period_of_cell(sheet.cell(cells, "period"), fail)
    counts: dict[str, int] = {}
    for column in ("won", "lost"):
        value = sheet.cell(cells, column)
        if is_blank(value):
            fail(column, _("Enter a count of deals (0 for none)."))
            continue
        try:
            counts[column] = parse_integer(value)
        except ParseError as error:
            fail(column, error.message)
    if len(counts) == 2 and not any(counts.values()):
        fail("won", _("No deal was won or lost: leave the period out instead."))
    source = as_text(sheet.cell(cells, "source")).strip()
    if not source:
        fail("source", _("Say where the counts come from (the CRM report or export)."))
    elif len(source) > MAX_SOURCE:
        fail("source", _("Keep the source under %(max)d characters.") % {"max": MAX_SOURCE})
    notes = as_text(sheet.cell(cells, "notes")).strip()
    if len(sheet.errors) > errors_before or company_id is None or period is None:
        return None
    return CoreWinRateLine(
        number, company_id, period, counts["won"], counts["lost"], source, notes
    )


def _company(value: object, companies: Mapping[str, int], fail) -> int | None:
    text = as_text(value).strip()
    if not text:
        fail("company", _("Name the legacy company (its name, short name, or acquirer/acquired)."))
        return None
    found = companies.get(text.lower())
    if found is None:
        fail(
            "company",
            _("No legacy company '%(company)s' in this program.") % {"company": text[:80]},
        )
    return found


def template_csv(rows: list[tuple[str, str]]) -> str:
    """A file to fill in: the header and one line per company and period."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*COLUMNS, *OPTIONAL])
    for company, period in rows:
        writer.writerow([neutralise(company), period, "", "", "", ""])
    return buffer.getvalue()
