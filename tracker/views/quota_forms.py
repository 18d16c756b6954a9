"""Forms of the quota pages: the period picker, a leader's grid, the import upload."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.imports.parsing import ParseError
from accounts.money import parse_currency_code
from tracker.quota_math import MONTH, QUARTER, Period, PeriodError, parse_period, period_of

MONTHS_AROUND = (12, 6)
QUARTERS_AROUND = (4, 4)


def period_choices(today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Months and quarters around today, grouped for a select."""
    month, quarter = period_of(today, MONTH), period_of(today, QUARTER)
    months = [month.shifted(step) for step in range(-MONTHS_AROUND[0], MONTHS_AROUND[1] + 1)]
    quarters = [
        quarter.shifted(step) for step in range(-QUARTERS_AROUND[0], QUARTERS_AROUND[1] + 1)
    ]
    return [
        (_("Months"), [(p.code, period_label(p)) for p in reversed(months)]),
        (_("Quarters"), [(p.code, period_label(p)) for p in reversed(quarters)]),
    ]


def period_label(period: Period) -> str:
    """A period in the reader's language: a month by its name ("December 2026",
    "Декабрь 2026 г."), a quarter by its number ("Q4 2026", "4-й квартал 2026"). The
    code ("2026-Q4") is what forms, files and links take, not what a heading says."""
    if period.kind == QUARTER:
        return _("Q%(quarter)d %(year)d") % {"quarter": period.quarter, "year": period.start.year}
    return date_format(period.start, "YEAR_MONTH_FORMAT")


def period_picker(period: Period, *, today: date) -> dict[str, Any]:
    """What tracker/includes/period_picker.html shows around the chosen period."""
    other_kind = period_of(period.start, MONTH if period.kind == QUARTER else QUARTER)
    return {
        "period": period,
        "period_label": period_label(period),
        "previous": period.shifted(-1),
        "next": period.shifted(1),
        "other_kind": other_kind,
        "other_kind_label": period_label(other_kind),
        "period_choices": period_choices(today),
    }


def chosen_period(raw: str | None, *, today: date) -> Period:
    """The period asked for in the query string, or this month."""
    if raw:
        try:
            return parse_period(raw)
        except PeriodError:
            pass
    return period_of(today, MONTH)


def currency_code(raw: str | None) -> str:
    """The ISO 4217 code a form's currency names, by code or symbol; blank stays blank (the
    reporting currency)."""
    value = (raw or "").strip()
    if not value:
        return ""
    try:
        return parse_currency_code(value)
    except ParseError as error:
        raise forms.ValidationError(error.message) from None


def _amount_field(label: str) -> forms.DecimalField:
    """A quota amount of the grid: blank, or zero or more with cents."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0"),
        max_digits=16,
        decimal_places=2,
        show_hidden_initial=True,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


class QuotaRowForm(forms.Form):
    rep = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # The hidden initial lets the form tell a row the user changed from one someone
    # else changed since the page was read: only the former is saved.
    core_amount = _amount_field(gettext_lazy("Core quota"))
    cross_sell_amount = _amount_field(gettext_lazy("Cross-sell quota"))

    # Blank: the program's reporting currency. A code or a symbol (EUR, €).
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        required=False,
        max_length=8,
        show_hidden_initial=True,
        widget=forms.TextInput(attrs={"size": "4", "autocomplete": "off"}),
    )

    def clean_currency(self) -> str:
        return currency_code(self.cleaned_data.get("currency"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        core, cross = data.get("core_amount"), data.get("cross_sell_amount")
        if self.has_changed() and core is None and cross is None and data.get("version"):
            raise forms.ValidationError(_("Enter amounts; 0 for none."))
        return data

    @property
    def to_save(self) -> bool:
        data = self.cleaned_data
        changed = self.has_changed() and {"core_amount", "cross_sell_amount", "currency"} & set(
            self.changed_data
        )
        return bool(changed) and not (
            data.get("core_amount") is None and data.get("cross_sell_amount") is None
        )


QuotaGridFormSet = formset_factory(QuotaRowForm, extra=0)


class QuotaImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Quota file (CSV or Excel)"),
        help_text=gettext_lazy(
            "Columns rep (username or e-mail), period (2026-03 or 2026-Q1), core, cross_sell "
            "and optionally currency; a code or symbol in an amount cell (EUR 1000, €1000) "
            "works too. Without either, amounts are in the reporting currency."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
