"""Numbers and text written into large HTML tables, as Django writes them but cheaper.

A large program's dashboard writes a couple of thousand numbers and cells into its
"View data" tables. Django's number_format looks up three locale formats and the
language for every number and groups digits one by one; its escape goes through a
lazy-string wrapper. Here the formats are looked up once per language and the
common cases (whole numbers and Decimals) take a short path with the same result;
anything else is handed to Django.
"""

import html
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A number this long is written by Django in scientific notation.
_LONGEST = 200


@cache
def _formats_of(lang: str | None) -> tuple[str, Any, str]:
    """(decimal separator, grouping, thousand separator), as get_format gives them."""
    return (
        get_format("DECIMAL_SEPARATOR", lang),
        get_format("NUMBER_GROUPING", lang),
        get_format("THOUSAND_SEPARATOR", lang),
    )


@receiver(setting_changed, dispatch_uid="core.numbers.forget_formats")
def _forget_formats(**kwargs: Any) -> None:
    _formats_of.cache_clear()


@cache
def _cutoff(decimal_pos: int) -> Decimal:
    """Below this a Decimal is written as zero (numberformat's cutoff)."""
    return Decimal("0." + "1".rjust(decimal_pos, "0"))


def number_text(
    value: Any, decimal_pos: int | None = None, *, force_grouping: bool = False
) -> str:
    """Exactly django.utils.formats.number_format(value, decimal_pos, force_grouping=...):
    the reader's separators, decimals cut (not rounded) to `decimal_pos`."""
    return _write(value, decimal_pos, force_grouping, formats=_formats_of(get_language()))


def rounded_text(value: Any, decimal_pos: int, *, force_grouping: bool = False) -> str:
    """number_text of `value` rounded half up to `decimal_pos`, as templates' floatformat
    rounds: number_text alone cuts (2.0619 would read 2.0 here and 2.1 on a page)."""
    step = Decimal(1).scaleb(-decimal_pos)
    number = Decimal(value).quantize(step, rounding=ROUND_HALF_UP)
    return number_text(number, decimal_pos, force_grouping=force_grouping)


def number_writer() -> Callable[..., str]:
    """number_text with the reader's language looked up once, for a table of numbers."""
    return partial(_write, formats=_formats_of(get_language()))


def _write(
    value: Any,
    decimal_pos: int | None = None,
    force_grouping: bool = False,
    *,
    formats: tuple[str, Any, str],
) -> str:
    decimal_sep, grouping, thousand_sep = formats
    use_grouping = (settings.USE_THOUSAND_SEPARATOR or force_grouping) and grouping != 0
    kind = type(value)
    if kind is int:
        if not use_grouping and not decimal_pos:
            return mark_safe(value)
        text = str(value)
    elif kind is Decimal and value.is_finite():
        if decimal_pos is not None and abs(value) < _cutoff(decimal_pos):
            value = Decimal("0")
        _sign, digits, exponent = value.as_tuple()
        if abs(exponent) + len(digits) > _LONGEST:
            return _django(value, decimal_pos, force_grouping, decimal_sep, grouping, thousand_sep)
        text = f"{value:f}"
    else:
        return _django(value, decimal_pos, force_grouping, decimal_sep, grouping, thousand_sep)
    if use_grouping and type(grouping) is not int:
        # A grouping that varies along the number (India's 3, 2, 2...): Django's loop.
        return _django(value, decimal_pos, force_grouping, decimal_sep, grouping, thousand_sep)
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    whole, _point, fraction = text.partition(".")
    if decimal_pos is not None:
        fraction = fraction[:decimal_pos].ljust(decimal_pos, "0")
    if fraction:
        fraction = decimal_sep + fraction
    if use_grouping and len(whole) > grouping:
        head = len(whole) % grouping or grouping
        whole = whole[:head] + "".join(
            thousand_sep + whole[start : start + grouping]
            for start in range(head, len(whole), grouping)
        )
    return sign + whole + fraction


def _django(value, decimal_pos, force_grouping, decimal_sep, grouping, thousand_sep) -> str:
    return numberformat.format(
        value,
        decimal_sep,
        decimal_pos,
        grouping,
        thousand_sep,
        force_grouping=force_grouping,
        use_l10n=True,
    )


def escaped(value: Any) -> SafeString:
    """conditional_escape(value), with plain and safe strings on a short path."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return SafeString(html.escape(value))
    return conditional_escape(value)
