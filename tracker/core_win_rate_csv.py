"""Reading a core win-rate file: company, period, won, lost, source, notes. Pure.

Each row is one legacy company's core (non-program) deals decided in a month
or a quarter, as its own CRM reports them. The file readers of accounts.imports
handle encodings, delimiters and spreadsheets; this module maps the columns,
parses every cell and reports every problem by file, row and column, so that a
file is fixed in one go.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.imports.parsing import parse_integer
from tracker.quota_math import Period
from tracker.setup_csv import (
    FilePeriods,
    Row,
    SetupFile,
    csv_text,
    period_cell,
    read_sheet,
    setup_file,
)

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


def read_core_win_rate_file(
    *, data: BinaryIO, name: str, companies: Mapping[str, int]
) -> SetupFile[CoreWinRateLine]:
    """Parses every row; `companies` maps a lower-cased name, short name or role to an id."""
    sheet = read_sheet(
        data=data, name=name, aliases=ALIASES, required=COLUMNS, what=_("core deals")
    )
    periods = FilePeriods(
        again=_("Row %(first)d already gives this company's core deals for %(period)s."),
        overlap=_("%(period)s overlaps the period of row %(row)d for the same company."),
    )
    return setup_file(sheet, lambda row: _parse_row(row, companies, periods))


def _parse_row(
    row: Row, companies: Mapping[str, int], periods: FilePeriods
) -> CoreWinRateLine | None:
    company_id = _company(row, companies)
    period = row.parse("period", period_cell)
    counts = {
        column: row.parse(
            column, parse_integer, required=_("Enter a count of deals (0 for none).")
        )
        for column in ("won", "lost")
    }
    if None not in counts.values() and not any(counts.values()):
        row.fail("won", _("No deal was won or lost: leave the period out instead."))
    source = row.text("source")
    if not source:
        row.fail("source", _("Say where the counts come from (the CRM report or export)."))
    elif len(source) > MAX_SOURCE:
        row.fail("source", _("Keep the source under %(max)d characters.") % {"max": MAX_SOURCE})
    if row.failed or company_id is None or period is None:
        return None
    if not periods.take(row, company_id, period):
        return None
    return CoreWinRateLine(
        row.number, company_id, period, counts["won"], counts["lost"], source, row.text("notes")
    )


def _company(row: Row, companies: Mapping[str, int]) -> int | None:
    text = row.text("company")
    if not text:
        row.fail(
            "company", _("Name the legacy company (its name, short name, or acquirer/acquired).")
        )
        return None
    found = companies.get(text.lower())
    if found is None:
        row.fail(
            "company",
            _("No legacy company '%(company)s' in this program.") % {"company": text[:80]},
        )
    return found


def template_csv(rows: list[tuple[str, str]]) -> str:
    """A file to fill in: the header and one line per company and period."""
    to_fill = [(company, period, "", "", "", "") for company, period in rows]
    return csv_text([*COLUMNS, *OPTIONAL], to_fill)
