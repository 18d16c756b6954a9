"""The slice of the wins page: a dashboard's segment, team, rep, direction or company."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.filter_fields import company_field, direction_field, program_companies
from accounts.models import Merger, Segment
from tracker.models import Team
from tracker.selectors.metrics import PipelineFilter
from tracker.selectors.pipeline import reps_of
from tracker.views.filter_fields import owner_field, team_field

# The dashboard's slice parameters, kept by the month links.
SLICE = ("segment", "team", "owner", "direction", "company")


class WinsFilterForm(forms.Form):
    # The month travels with the filters, so applying them keeps it.
    month = forms.CharField(required=False, widget=forms.HiddenInput)
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        empty_label=_("All segments"),
        required=False,
    )
    team = team_field()
    owner = owner_field()
    direction = direction_field(all_label=_("All directions"))
    company = company_field()

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.filter(merger=merger).order_by("name")
        self.fields["team"].queryset = Team.objects.filter(merger=merger).order_by("name")
        self.fields["owner"].queryset = reps_of(merger_id=merger.pk)
        self.fields["company"].queryset = program_companies(merger)

    def where(self) -> PipelineFilter:
        """The slice asked for; a choice not of this program lists nothing."""
        if not self.is_bound:
            return PipelineFilter()
        if not self.is_valid():
            return PipelineFilter(owner_ids=())
        data = self.cleaned_data

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return PipelineFilter(
            segment_id=pk("segment"),
            team_id=pk("team"),
            owner_id=pk("owner"),
            direction=data.get("direction") or None,
            company_id=pk("company"),
        )

    def slice_params(self) -> dict[str, str]:
        """The slice's query parameters as given, for the links to other months."""
        return {key: self.data[key] for key in SLICE if self.is_bound and self.data.get(key)}
