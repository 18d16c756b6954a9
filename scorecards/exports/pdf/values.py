"""Report cells as the text the board pack prints."""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scorecards.models import SixC
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
            return f"{value:+.2f}" if column.key.endswith("_change") else score_text(value)
        case ColumnType.INTEGER:
            return f"{value:,d}"
        case ColumnType.NUMBER:
            return f"{Decimal(value).normalize():f}"
        case ColumnType.DATE:
            return date_format(value, "DATE_FORMAT")
    return str(value)


def money_text(value: Cell) -> str:
    return f"{Decimal(value or 0):,.0f}"


def percent_text(value: Cell) -> str:
    return f"{Decimal(value) * 100:.1f}%"


def score_text(value: Cell) -> str:
    return "–" if value is None else f"{Decimal(value):.2f}"


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
    number = f"{Decimal(value).quantize(Decimal('0.1')).normalize():f}"
    return f"{number}{unit}" if unit in {"%", "x"} else f"{number} {unit}".strip()


def assessment_text(record: dict[str, Cell]) -> str:
    if not record.get("assessed_by"):
        return ""
    return f"{record['assessed_by']} ({record['assessment_mode']}): {record['evidence']}"
