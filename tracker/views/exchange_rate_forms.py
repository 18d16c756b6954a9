"""Forms of the exchange-rate page: one rate, and a file of rates."""

from django import forms
from django.utils.translation import gettext_lazy

from accounts.imports.parsing import ParseError
from accounts.money import parse_currency_code
from tracker.target_csv import parse_month


class ExchangeRateForm(forms.Form):
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=8,
        help_text=gettext_lazy("ISO 4217 code such as EUR, RUB or CNY."),
    )
    month = forms.CharField(
        label=gettext_lazy("Month"), max_length=10, help_text=gettext_lazy("As 2026-03.")
    )
    rate = forms.DecimalField(
        label=gettext_lazy("Rate to the reporting currency"),
        max_digits=20,
        decimal_places=10,
        min_value=0,
        help_text=gettext_lazy("Units of the reporting currency for one unit of this currency."),
    )

    def clean_currency(self) -> str:
        try:
            return parse_currency_code(self.cleaned_data["currency"])
        except ParseError as error:
            raise forms.ValidationError(error.message) from None

    def clean_month(self):
        try:
            return parse_month(self.cleaned_data["month"])
        except ParseError as error:
            raise forms.ValidationError(error.message) from None


class ExchangeRateImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Exchange-rate file (CSV or Excel)"),
        help_text=gettext_lazy("Columns currency, month (2026-03), rate."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
