"""Forms of the core win-rate pages: one record, and a file to import."""

from django import forms
from django.utils.translation import gettext_lazy

from accounts.models import LegacyCompany, Merger
from tracker.quota_math import Period, PeriodError, parse_period


class CoreWinRateForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Legacy company"), queryset=LegacyCompany.objects.none()
    )
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=7,
        help_text=gettext_lazy("A month as 2026-03 or a quarter as 2026-Q1."),
    )
    won = forms.IntegerField(label=gettext_lazy("Core deals won"), min_value=0)
    lost = forms.IntegerField(label=gettext_lazy("Core deals lost"), min_value=0)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        help_text=gettext_lazy("The CRM report or export the counts come from, and its date."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, merger: Merger, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = LegacyCompany.objects.filter(merger=merger)

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as error:
            raise forms.ValidationError(error.message) from None


class CoreWinRateImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Core win-rate file (CSV or Excel)"),
        help_text=gettext_lazy(
            "Columns company, period (2026-03 or 2026-Q1), won, lost, source; notes optional."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
