"""Filter fields over the program's sales organisation, for the filter forms of the
tracker's lists (wins, a closed month's open deals); scope their querysets to one program,
as accounts.filter_fields does for companies and directions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from tracker.models import Rep, Team


def team_field() -> forms.ModelChoiceField:
    """One team with the teams below it, as a team's dashboard counts them, or every team."""
    return forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), empty_label=_("All teams"), required=False
    )


def owner_field() -> forms.ModelChoiceField:
    """One owner, or every owner; a large program's thousand reps written without a
    template each (LongSelect)."""
    return forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Rep.objects.none(),
        empty_label=_("All owners"),
        required=False,
        widget=LongSelect,
    )
