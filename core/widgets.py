"""Form widgets written in Python where Django's templates cost too much per option.

A select of a large program's thousand reps rendered a template include per
option (most of the pipeline page's time). `LongSelect` writes the same markup as
Django's select templates, option by option in Python.
"""

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: False left out, True as a bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    """django/forms/widgets/select_option.html, its closing newline included."""
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


class LongSelect(forms.Select):
    """A select with Django's markup, written without a template per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(f"\n  {_option(option)}" for option in group_choices)
            if group_name:
                parts.append("\n  </optgroup>")
        # The renderer strips what the template writes after the closing tag.
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class ListedChoices(forms.models.ModelChoiceIterator):
    """A model select's choices read by one plain query.

    Django reads them with QuerySet.iterator(), which on PostgreSQL opens a server-side
    cursor: three round trips (declare, fetch, close) for a few dozen segments or teams.
    The same rows in the same order.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a program's few dozen rows, written by LongSelect."""

    widget = LongSelect
    iterator = ListedChoices
