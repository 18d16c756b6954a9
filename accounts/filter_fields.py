"""Filter fields over the program's companies and directions, for the filter forms of
every app (the whitespace here, the dashboards above); choices scoped to one program."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction, LegacyCompany, Merger, Segment

# The segment choice of records without a segment, in every filter of a page or the API
# (?segment=none): the "No segment" line of a breakdown drills down to it.
NO_SEGMENT = "none"


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


def segment_filter() -> django_filters.ModelChoiceFilter:
    """One segment, the records without one (NO_SEGMENT), or all; scope its queryset to the
    program's segments."""
    return django_filters.ModelChoiceFilter(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        empty_label=_("All segments"),
        null_label=_("No segment"),
        null_value=NO_SEGMENT,
    )
