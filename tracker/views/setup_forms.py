"""Forms of the setup pages: people, teams, reps, certifications, stages, targets, imports."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import LegacyCompany, Merger, Product
from core.access import Role
from core.web import ROLE_LABELS
from tracker.models import Certification, Rep, Stage, Team
from tracker.services.org import REP_FIELDS, TEAM_FIELDS
from tracker.services.stages import STAGE_FIELDS

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]
FILE_TYPES = ".csv,.txt,.tsv,.xlsx"


class PersonLabelMixin:
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class PersonChoiceField(PersonLabelMixin, forms.ModelChoiceField):
    pass


def program_people(merger: Merger) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(memberships__merger=merger, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("What they sign in with; empty: their e-mail address."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Reps log and work deals; sales leaders review their teams and set quotas; "
            "executives read and export; sales ops sets the program up."
        ),
    )
    send_invitation = forms.BooleanField(
        label=_("E-mail them their set-password link"),
        required=False,
        initial=True,
    )

    def clean_roles(self) -> list[Role]:
        return [Role(role) for role in self.cleaned_data["roles"]]


class PersonEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    roles = forms.MultipleChoiceField(
        label=_("Role"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(
        label=_("Login active"),
        required=False,
        help_text=_("Switched off, the person cannot sign in; their deals and history stay."),
    )

    def clean_roles(self) -> list[Role]:
        return [Role(role) for role in self.cleaned_data["roles"]]


class PersonAddForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail of someone with a login"),
        max_length=254,
    )


class TeamForm(forms.ModelForm):
    leader = PersonChoiceField(
        label=_("Sales leader"), queryset=None, required=False, empty_label=_("No leader yet")
    )
    parent = forms.ModelChoiceField(
        label=_("Reports to"), queryset=None, required=False, empty_label=_("Nobody (top team)")
    )

    class Meta:
        model = Team
        fields = list(TEAM_FIELDS)

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = program_people(merger)
        teams = Team.objects.filter(merger=merger).order_by("name")
        if self.instance.pk:
            teams = teams.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = teams

    def validate_unique(self) -> None:
        pass


class RepForm(forms.ModelForm):
    user = PersonChoiceField(label=_("Person"), queryset=None)

    class Meta:
        model = Rep
        labels = {"motion": _("Selling motion")}
        fields = list(REP_FIELDS)
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "motion": _("Farmers grow accounts they have; hunters win new ones."),
            "typical_core_deal": _(
                "A normal core deal's size: a cross-sell deal a tenth of it is a warning sign."
            ),
        }

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = program_people(merger)
        self.fields["team"].queryset = Team.objects.filter(merger=merger).order_by("name")
        self.fields["company"].queryset = LegacyCompany.objects.filter(merger=merger)
        if self.instance.pk:
            self.fields["user"].disabled = True

    def validate_unique(self) -> None:
        pass


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rep) -> str:
        return str(obj)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name} ({obj.company.short_name})"


class CertificationForm(forms.ModelForm):
    rep = RepChoiceField(label=_("Rep"), queryset=None)
    product = ProductChoiceField(label=_("Product"), queryset=None)

    class Meta:
        model = Certification
        fields = ["rep", "product", "certified_on"]
        widgets = {"certified_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = (
            Rep.objects.filter(merger=merger)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["product"].queryset = (
            Product.objects.filter(company__merger=merger)
            .select_related("company")
            .order_by("company__role", "name")
        )

    def validate_unique(self) -> None:
        # Certifying again on the same product replaces the date.
        pass


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = list(STAGE_FIELDS)
        help_texts = {
            "order": _("Where the stage stands in the pipeline: 1 first."),
            "probability": _("Won stages are 100%, lost stages 0%."),
            "outcome": _("A stage in use keeps its outcome: deals in it keep theirs."),
        }

    def __init__(self, *args: Any, in_use: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if in_use:
            self.fields["outcome"].disabled = True

    def validate_unique(self) -> None:
        pass


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )


class OrgImportForm(forms.Form):
    teams = forms.FileField(
        label=_("Teams file (CSV or Excel)"),
        required=False,
        help_text=_("Columns team, reports_to, region, leader (e-mail); leader names optional."),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )
    reps = forms.FileField(
        label=_("Reps file (CSV or Excel)"),
        required=False,
        help_text=_(
            "Columns email, first_name, last_name (or full name), team, company, motion, "
            "start_date, typical_core_deal."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("teams") and not data.get("reps"):
            raise forms.ValidationError(_("Choose a teams file, a reps file, or both."))
        return data


class TargetGridForm(forms.Form):
    """One amount per month and scope of the grid; only changed cells are saved."""

    def __init__(self, *args: Any, cells: list[tuple[str, Decimal | None, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, value, closed in cells:
            self.fields[name] = forms.DecimalField(
                required=False,
                min_value=Decimal("0"),
                max_digits=16,
                decimal_places=2,
                initial=value,
                show_hidden_initial=True,
                widget=forms.NumberInput(
                    attrs={"step": "1", "min": "0", "inputmode": "decimal"}
                    | ({"data-closed": "true"} if closed else {})
                ),
            )
