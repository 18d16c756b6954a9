"""Report cells as the text the board pack prints."""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.numbers import number_text, rounded_text
from scorecards.models import SixC
from scorecards.scoring import format_value, unit_label
from scorecards.selectors.report import Cell, Column, ColumnType


def display_text(value: Cell, column: Column) -> str:
    if value is None:
        # A C without data has no score, not a low one.
        return _("not scored") if column.key in SixC.values else "–"
    match column.type:
        case ColumnType.MONEY:
            return money_text(value)
        case ColumnType.PERCENT:
            return percent_text(value)
        case ColumnType.SCORE:
            return signed_text(value) if column.key.endswith("_change") else score_text(value)
        case ColumnType.INTEGER:
            return number_text(value, force_grouping=True)
        case ColumnType.NUMBER:
            return number_text(Decimal(value).normalize())
        case ColumnType.DATE:
            return date_format(value, "DATE_FORMAT")
    return str(value)


def month_tick(code: str) -> str:
    """A "2026-01" month of the report's rows as a chart reads it in the pack's language:
    "Jan 2026", "Янв 2026". The rows keep the code, which spreadsheets and BI tools read."""
    year, month = code.split("-")
    return date_format(date(int(year), int(month), 1), "M Y")


# Numbers in the pack's language, as its sentences and the pages write them (a Russian
# pack wrote 22,384,200 in its tables beside 9,2% in its text), rounded, never cut.
def money_text(value: Cell) -> str:
    return rounded_text(value or 0, 0, force_grouping=True)


def percent_text(value: Cell) -> str:
    return f"{rounded_text(Decimal(value) * 100, 1)}%"


def score_text(value: Cell) -> str:
    return "–" if value is None else rounded_text(value, 2)


def signed_text(value: Cell) -> str:
    sign = "−" if Decimal(value) < 0 else "+"
    return f"{sign}{score_text(abs(Decimal(value)))}"


def c_score_text(value: Cell) -> str:
    return _("not scored") if value is None else score_text(value)


def why_text(record: dict[str, Cell]) -> str:
    """The explanation, and the weakest indicator beside the mean."""
    if not record.get("weakest"):
        return str(record["explanation"])
    weakest = _("Weakest indicator: %(label)s, %(score)s/5.") % {
        "label": record["weakest"],
        "score": f"{Decimal(record['weakest_score']):.0f}",
    }
    return f"{sentence(str(record['explanation']))} {weakest}"


def sentence(text: str) -> str:
    """The text ending in a full stop, so that the next sentence does not run into it."""
    text = text.rstrip()
    return (
        text if not text or text.endswith((".", "!", "?", "…", "。", "！", "？")) else f"{text}."
    )


def indicator_value_text(record: dict[str, Cell]) -> str:
    value = record["value"]
    if value is None:
        return "–"
    unit = str(record["unit"] or "")
    if unit == "yes/no":
        return _("yes") if value else _("no")
    number = format_value(Decimal(value))
    label = unit_label(unit, Decimal(value))
    return f"{number}{label}" if unit in {"%", "x"} else f"{number} {label}".strip()


def assessment_text(record: dict[str, Cell]) -> str:
    if not record.get("assessed_by"):
        return ""
    return f"{record['assessed_by']} ({record['assessment_mode']}): {record['evidence']}"
