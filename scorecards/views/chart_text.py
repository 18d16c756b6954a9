"""The words, numbers and links of the scorecard and dashboard charts' "View data" tables."""

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.money import whole
from core.numbers import escaped, number_text, number_writer, rounded_text
from scorecards.charts import c_score_number

type Url = str | None


def chart_extremes(
    *, rows: Sequence[tuple[Any, Any, Decimal | None]], count: int | None = None
) -> tuple[list, bool]:
    """The rows of a list sorted best first that a chart draws, and whether its middle was cut.

    Rows without a value (no quota) are never drawn: an empty bar reads as 0%. With
    `count`, a list still too long keeps its count/2 best and count/2 worst rows.
    """
    valued = [row for row in rows if row[2] is not None]
    if count is None or len(valued) <= count:
        return valued, False
    half = count // 2
    return valued[:half] + valued[-half:], True


def url_with(name: str, *args: Any, **params: Any) -> str:
    """A URL with its query string; empty parameters are left out."""
    return path_with(reverse(name, args=args), **params)


def path_with(path: str, **params: Any) -> str:
    """url_with for a path reversed already, for charts that link many cells to one page."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{path}?{query}" if query else path


def id_paths(name: str, *rest: Any) -> Callable[[int], str]:
    """`reverse(name, args=[pk, *rest])` for many ids: the path is reversed once, each id
    written in.

    For URL patterns whose first argument is an <int:...> id. A chart of a thousand
    reps would otherwise reverse a thousand times, a few milliseconds per hundred.
    """
    marker = 987_654_321_987
    before, found, after = reverse(name, args=[marker, *rest]).partition(str(marker))
    if not found:
        raise ValueError(f"{name} does not write its id as digits")
    return lambda pk: f"{before}{pk:d}{after}"


def link(url: Url, text: Any) -> Any:
    """format_html('<a href="{}">{}</a>', url, text), written for a thousand rows at a time."""
    return SafeString(f'<a href="{escaped(url)}">{escaped(text)}</a>') if url else text


def money(value: Decimal | None) -> str:
    """An amount in whole units, rounded half up as every page rounds money."""
    return "—" if value is None else rounded_text(value, 0, force_grouping=True)


def c_score_text(value: Decimal | None) -> str:
    """A C's score, or "not scored": a C without data has no score, not a low one."""
    return _("not scored") if value is None else c_score_number(value)


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{number_text(value, 1)}%"


def percents(values: Iterable[Decimal | None]) -> list[str]:
    """percent of each value: a table's thousand values in one language lookup."""
    write = number_writer()
    return ["—" if value is None else f"{write(value, 1)}%" for value in values]


def moneys(values: Iterable[Decimal | None]) -> list[str]:
    """money of each value in whole units, rounded as every page rounds money (the writer
    alone cuts the cents: 71,848,276.70 read 71,848,276 here and 71,848,277 elsewhere), in
    one language lookup."""
    write = number_writer()
    return [
        "—" if value is None else write(whole(value), 0, force_grouping=True) for value in values
    ]


def wrap(label: str, width: int = 24) -> str:
    """A long category label broken at its commas, so that axes need no slanted text."""
    lines: list[str] = []
    for part in (part.strip() for part in label.split(",")):
        if lines and len(lines[-1]) + len(part) + 2 <= width:
            lines[-1] = f"{lines[-1]}, {part}"
        else:
            lines.append(part)
    return ",<br>".join(lines)
