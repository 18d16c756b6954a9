"""Filter fields over the program's companies and directions, for the filter forms of
every app (the whitespace here, the dashboards above); choices scoped to one program."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction, LegacyCompany, Merger


def direction_field(
    *, all_label: str, widget: type[forms.Select] = forms.Select
) -> forms.ChoiceField:
    """Cross-sell direction, or every direction (labelled `all_label`) when left empty."""
    return forms.ChoiceField(
        label=_("Direction"),
        choices=[("", all_label), *Direction.choices],
        required=False,
        widget=widget,
    )


def company_field(
    *, field: type[forms.ModelChoiceField] = forms.ModelChoiceField
) -> forms.ModelChoiceField:
    """Products of one legacy company, or of both; scope it with `program_companies`."""
    return field(
        label=_("Products of"),
        queryset=LegacyCompany.objects.none(),
        empty_label=_("Both companies"),
        required=False,
    )


def program_companies(merger: Merger) -> QuerySet[LegacyCompany]:
    return LegacyCompany.objects.filter(merger=merger)
