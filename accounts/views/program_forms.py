"""Forms of the program pages: the program's settings and its legacy companies."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import LegacyCompany, Merger


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class ProgramForm(forms.ModelForm):
    """Name, Day 1, reporting currency, horizon and the accountable cross-sell leader."""

    accountable_leader = LeaderChoiceField(
        label=_("Accountable cross-sell leader"),
        queryset=None,
        required=False,
        empty_label=_("Not named yet"),
        help_text=_(
            "The senior leader who owns the targets and the six-C scorecard; "
            "they become a member of the program."
        ),
    )

    class Meta:
        model = Merger
        fields = ["name", "day_one", "reporting_currency", "horizon_months", "accountable_leader"]
        widgets = {
            "day_one": forms.DateInput(attrs={"type": "date"}),
            "reporting_currency": forms.TextInput(
                attrs={"maxlength": 3, "size": 4, "autocapitalize": "characters"}
            ),
        }
        help_texts = {
            "name": _("How people call the deal, e.g. 'Sensa + Predikt'."),
            "day_one": _(
                "The day the merger closed: customers held then decide each deal's direction."
            ),
            "reporting_currency": _(
                "ISO 4217 code, e.g. EUR or USD: every amount is shown in it."
            ),
        }

    def __init__(self, *args: Any, leaders: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accountable_leader"].queryset = leaders.order_by(
            "last_name", "first_name", "username"
        )

    def clean_reporting_currency(self) -> str:
        code = (self.cleaned_data.get("reporting_currency") or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise forms.ValidationError(_("Use a three-letter ISO 4217 code, e.g. EUR."))
        return code

    def validate_unique(self) -> None:
        # The service says which name clashes, case-insensitively.
        pass


class ProgramSettingsForm(ProgramForm):
    class Meta(ProgramForm.Meta):
        fields = [*ProgramForm.Meta.fields, "stale_after_days", "reps_see_team_attainment"]


class CompanyForm(forms.ModelForm):
    """A legacy company; the role is given by where the form stands (acquirer or acquired)."""

    class Meta:
        model = LegacyCompany
        fields = ["name", "short_name", "crm"]
        help_texts = {
            "crm": _("Where its CRM exports come from: the import recognises their columns."),
        }

    def validate_unique(self) -> None:
        pass


class OptionalCompanyForm(CompanyForm):
    """A further acquired company at creation: left empty, it is not created."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["short_name"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("name") and not data.get("short_name"):
            self.add_error("short_name", _("Give a short name for charts."))
        return data

    @property
    def is_empty(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()


class CompanyEditForm(CompanyForm):
    class Meta(CompanyForm.Meta):
        fields = ["name", "short_name", "role", "crm"]
