"""Numbers as the pages show them: whole amounts without cents, booleans as words;
and the frame every data table sits in.

Registered as template builtins (config.settings), so every template has them.
"""

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import template
from django.core.paginator import Page
from django.template import Context
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import dates

register = template.Library()


@register.filter
def amount(value: Any) -> str:
    """12,500 for a whole amount, 12,500.40 otherwise; empty for no value.

    Grouped per the active locale; money columns carry their currency in the header.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole = number == number.to_integral_value()
    return floatformat(number, "0g" if whole else "2g")


@register.filter
def month_in_text(value: Any) -> str:
    """A month inside a sentence: "ноябрь 2026" in Russian, "November 2026" in English
    (core.dates.month_in_text); empty for no month."""
    return dates.month_in_text(value) if value else ""


@register.filter
def kept_query(form: Any) -> str:
    """The query string of the form's hidden fields that hold a value: what a filter
    form's "Reset" keeps (the wins page's month), while it clears the filters."""
    values = {field.html_name: field.value() for field in form.hidden_fields() if field.value()}
    return f"?{urlencode(values)}" if values else ""


@register.filter
def yes_no(value: Any) -> str:
    """Yes or No (translated) instead of True or False; a dash for unknown."""
    if value is None or value == "":
        return "—"
    return _("Yes") if value else _("No")


@register.filter
def change_value(value: Any) -> str:
    """A value of a change history as a reader says it: Yes/No, whole amounts, as is else.

    Histories keep old and new values as text ("True", "60000.00").
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or value in ("True", "False"):
        return yes_no(value in (True, "True"))
    try:
        Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return amount(value) if "." in str(value) else str(value)


@register.simple_block_tag(takes_context=True)
def table(
    context: Context,
    content: str,
    caption: str,
    *,
    classes: str = "",
    heading: str = "",
    heading_id: str = "",
    paged: Page | None = None,
) -> str:
    """A data table in its scrolling frame with a caption for screen readers; given a
    heading, in a section of its own under that h2; given `paged` (a page of a list),
    followed by the page links, which keep the current filters. `content` is the thead
    and tbody.

    {% table _("Flags per team") heading=_("By team") heading_id="teams" %}...{% endtable %}
    """
    frame = render_to_string(
        "includes/table.html",
        {
            "content": content,
            "caption": caption,
            "classes": classes,
            "heading": heading,
            "heading_id": heading_id,
        },
    )
    if paged is None:
        return frame
    # The page links read the request's filters from the page's own context.
    pagination = context.template.engine.get_template("includes/pagination.html")
    with context.push(page_obj=paged):
        return frame + pagination.render(context)
