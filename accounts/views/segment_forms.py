"""Forms of the segments page: segments with their criteria, size bands, regions."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Merger, Region, Segment, SizeBand
from accounts.services.segments import normalized_countries

ANY = ("", _("Any"))


class SegmentForm(forms.ModelForm):
    """A segment; its industry, size band and region make it a rule."""

    size_band = forms.ChoiceField(label=_("Size band"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    class Meta:
        model = Segment
        fields = ["name", "industry", "size_band", "region", "description"]
        help_texts = {
            "industry": _("As the CRM files spell it, e.g. 'Chemicals'; empty: any industry."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bands = list(SizeBand.objects.filter(merger=merger).values_list("name", flat=True))
        regions = list(Region.objects.filter(merger=merger).values_list("name", flat=True))
        # A name that is not defined (yet) stays choosable, so that editing keeps it.
        for name, known in (("size_band", bands), ("region", regions)):
            current = getattr(self.instance, name, "")
            choices = [ANY, *((n, n) for n in known)]
            if current and current not in known:
                choices.append((current, current))
            self.fields[name].choices = choices
        self.fields["industry"].widget.attrs["list"] = "industries"
        self.fields["size_band"].help_text = _(
            "Size bands are defined on the Segments page, by numbers of employees."
        )
        self.fields["region"].help_text = _(
            "Regions are defined on the Segments page, by countries."
        )


class SizeBandForm(forms.ModelForm):
    class Meta:
        model = SizeBand
        fields = ["name", "min_employees", "max_employees"]


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "countries"]
        widgets = {"countries": forms.Textarea(attrs={"rows": 2})}

    def clean_countries(self) -> str:
        codes = normalized_countries(self.cleaned_data["countries"])
        wrong = [code for code in codes.split() if not re.fullmatch(r"[A-Z]{2}", code)]
        if wrong or not codes:
            raise forms.ValidationError(
                _("Give two-letter ISO country codes separated by spaces or commas, e.g. 'DE FR'.")
            )
        return codes


class ConflictRuleForm(forms.Form):
    segment_conflict_rule = forms.ChoiceField(
        label=_("When the two CRMs disagree on a segment"),
        choices=Merger.SegmentConflictRule.choices,
        help_text=Merger._meta.get_field("segment_conflict_rule").help_text,
    )


class AccountSegmentForm(forms.Form):
    """Sales ops puts an account in a segment by hand, or hands it back to the rules."""

    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=_("No segment"),
    )

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.filter(merger=merger).order_by("name")
