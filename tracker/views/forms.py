"""Forms of the pipeline pages; the services check the rules, the forms only parse input."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Kind, LegacyCompany, Merger, Product, UnifiedAccount
from accounts.money import is_currency_code
from tracker.models import MAX_CUSTOMER_NEED, Opportunity, Rep, Stage

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0}
NEED_HELP = _(
    "In the customer's words: the problem this solves for them. Opportunities without a "
    "real need are flagged to your leader."
)


class _Form(forms.Form):
    """Labels without a colon, like the filter forms beside them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name} ({obj.company.short_name})"


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rep) -> str:
        return str(obj)


class StageSelect(forms.Select):
    """Options carry their stage's outcome, so the page shows the fields a closed stage needs."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"data-stage-select": "", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        stage = getattr(value, "instance", None)
        if stage is not None:
            option["attrs"]["data-outcome"] = stage.outcome
        return option


def products_offered(*, merger: Merger, keep: Product | None = None) -> QuerySet[Product]:
    """The program's active products, the acquirer's first; plus `keep` if no longer offered."""
    offered = Q(is_active=True) | Q(pk=keep.pk) if keep is not None else Q(is_active=True)
    active = Product.objects.filter(offered, company__merger=merger)
    acquirer_first = Case(When(company__role=LegacyCompany.Role.ACQUIRER, then=0), default=1)
    return (
        active.select_related("company")
        .annotate(company_order=acquirer_first)
        .order_by("company_order", "company__name", "name", "pk")
    )


def open_stages(*, merger: Merger) -> QuerySet[Stage]:
    return Stage.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN).order_by("order")


class _OpportunityFields(_Form):
    product = ProductChoiceField(label=_("Product"), queryset=Product.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    owner = RepChoiceField(label=_("Owner"), queryset=Rep.objects.none())
    amount = forms.DecimalField(
        label=_("Amount"),
        help_text=_("Expected revenue in the currency below; 0 if not known yet."),
        **MONEY,
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        help_text=_(
            "ISO code such as EUR; blank for the program's reporting currency. Converted at "
            "the rate of the deal's month."
        ),
    )
    expected_close = forms.DateField(label=_("Expected close date"), widget=DATE_INPUT)
    customer_need = forms.CharField(
        label=_("Why the customer needs it"),
        max_length=MAX_CUSTOMER_NEED,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NEED_HELP,
    )
    next_step = forms.CharField(label=_("Next step"), max_length=255, required=False)

    def __init__(
        self,
        *args: Any,
        merger: Merger,
        owners: QuerySet[Rep],
        current_product: Product | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products_offered(merger=merger, keep=current_product)
        self.fields["currency"].widget.attrs["placeholder"] = merger.reporting_currency
        self.reporting_currency = merger.reporting_currency
        self.fields["owner"].queryset = owners
        self.fields["customer_need"].widget.attrs["autofocus"] = True
        # One possible owner (a rep logging their own) is shown as text, not as a choice.
        self.owner_fixed = owners.count() == 1

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if code and not is_currency_code(code):
            raise ValidationError(
                _("'%(value)s' is not an ISO 4217 currency code."), params={"value": code}
            )
        return code or self.reporting_currency


def entered(opportunity: Opportunity, field: str) -> Any:
    """A field as the user entered it: the amount in the deal's own currency."""
    if field == "amount" and opportunity.amount_original is not None:
        return opportunity.amount_original
    if field == "currency":
        return opportunity.currency or opportunity.merger.reporting_currency
    return getattr(opportunity, field)


def risk_override_field() -> forms.CharField:
    """A leader's reason to sell where the risk screen says not to (or upsell only)."""
    return forms.CharField(
        label=_("Reason for overriding the risk screen"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name in the opportunity's history."),
    )


class OpportunityCreateForm(_OpportunityFields):
    account = forms.ModelChoiceField(
        queryset=UnifiedAccount.objects.none(), widget=forms.HiddenInput
    )
    stage = forms.ModelChoiceField(
        label=_("Stage"), queryset=Stage.objects.none(), empty_label=None
    )
    risk_override_reason = risk_override_field()

    field_order = [
        "account",
        "product",
        "kind",
        "customer_need",
        "amount",
        "currency",
        "expected_close",
        "stage",
        "owner",
        "next_step",
        "risk_override_reason",
    ]

    def __init__(
        self, *args: Any, merger: Merger, account: UnifiedAccount, override: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, merger=merger, **kwargs)
        self.fields["account"].queryset = UnifiedAccount.objects.filter(pk=account.pk)
        self.fields["stage"].queryset = open_stages(merger=merger)
        if not override:
            del self.fields["risk_override_reason"]


class OpportunityEditForm(_OpportunityFields):
    probability = forms.IntegerField(
        label=_("Probability %"),
        min_value=0,
        max_value=100,
        help_text=_("Starts at the stage's default; change it when you know better."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    risk_override_reason = risk_override_field()

    field_order = [
        "product",
        "kind",
        "customer_need",
        "amount",
        "currency",
        "probability",
        "expected_close",
        "owner",
        "next_step",
    ]
    CHANGEABLE = (*field_order,)

    def __init__(
        self, *args: Any, opportunity: Opportunity, override: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, current_product=opportunity.product, **kwargs)
        if not override:
            del self.fields["risk_override_reason"]
        if not opportunity.is_open:
            # Closed deals are at 0% or 100% by definition.
            del self.fields["probability"]
        # The values shown travel along, so that a refused save can tell the user's own
        # changes from the other person's.
        for name in self.CHANGEABLE:
            if name in self.fields and not (name == "owner" and self.owner_fixed):
                self.fields[name].show_hidden_initial = True

    @staticmethod
    def initial_from(opportunity: Opportunity) -> dict[str, Any]:
        values = {field: entered(opportunity, field) for field in OpportunityEditForm.CHANGEABLE}
        return {**values, "version": opportunity.version}

    def own_changes(self) -> dict[str, Any]:
        """What the user changed in the form, whatever happened to the opportunity since."""
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in self.CHANGEABLE
        }

    def changes_from(self, opportunity: Opportunity) -> dict[str, Any]:
        """The submitted values that differ from the opportunity's."""
        return {
            field: value
            for field, value in self.cleaned_data.items()
            if field in self.CHANGEABLE and entered(opportunity, field) != value
        }


class StageForm(_Form):
    """Moves an opportunity to a stage; closing asks for what the closed stage needs."""

    stage = forms.ModelChoiceField(
        label=_("Move to stage"),
        queryset=Stage.objects.none(),
        widget=StageSelect,
        empty_label=None,
    )
    amount = forms.DecimalField(label=_("Won amount"), required=False, **MONEY)
    closed_on = forms.DateField(label=_("Close date"), required=False, widget=DATE_INPUT)
    lost_reason = forms.CharField(label=_("Why it was lost"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        # Ids apart from the reopen form's on the same page.
        kwargs.setdefault("auto_id", "stage_%s")
        kwargs.setdefault(
            "initial",
            {
                "stage": opportunity.stage_id,
                "amount": entered(opportunity, "amount"),
                "closed_on": opportunity.closed_on or timezone.localdate(),
                "lost_reason": opportunity.lost_reason,
                "version": opportunity.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Won amount (%(currency)s)") % {
            "currency": entered(opportunity, "currency")
        }
        stages = Stage.objects.filter(merger_id=opportunity.merger_id).order_by("order")
        if not opportunity.is_open:
            stages = stages.exclude(outcome=Stage.Outcome.OPEN)
        self.fields["stage"].queryset = stages

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stage = data.get("stage")
        if stage is None:
            return data
        if stage.outcome == Stage.Outcome.WON:
            if not data.get("amount"):
                self.add_error("amount", _("Closed won needs the amount won."))
            if not data.get("closed_on"):
                self.add_error("closed_on", _("Closed won needs the close date."))
        elif stage.outcome == Stage.Outcome.LOST and not (data.get("lost_reason") or "").strip():
            self.add_error("lost_reason", _("Closed lost needs the reason."))
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        stage = data["stage"]
        changes: dict[str, Any] = {"stage": stage}
        if stage.outcome == Stage.Outcome.WON:
            changes.update(amount=data["amount"], closed_on=data["closed_on"])
        elif stage.outcome == Stage.Outcome.LOST:
            changes.update(
                closed_on=data.get("closed_on") or timezone.localdate(),
                lost_reason=data["lost_reason"].strip(),
            )
        return changes


class ReopenForm(_Form):
    stage = forms.ModelChoiceField(
        label=_("Reopen into stage"), queryset=Stage.objects.none(), empty_label=None
    )
    expected_close = forms.DateField(
        label=_("New expected close date"), required=False, widget=DATE_INPUT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reopen_%s")
        kwargs.setdefault("initial", {"version": opportunity.version})
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(
            merger_id=opportunity.merger_id, outcome=Stage.Outcome.OPEN
        ).order_by("order")


class BulkForm(_Form):
    """The pipeline list's bulk action: the selected rows, each as "id:version"."""

    selected = forms.MultipleChoiceField(
        label=_("Selected opportunities"),
        choices=(),
        error_messages={"required": _("Select at least one opportunity.")},
    )
    stage = forms.ModelChoiceField(
        label=_("Move to stage"),
        queryset=Stage.objects.none(),
        required=False,
        empty_label=_("Keep the stage"),
        widget=StageSelect,
    )
    owner = RepChoiceField(
        label=_("Hand to owner"),
        queryset=Rep.objects.none(),
        required=False,
        empty_label=_("Keep the owner"),
    )
    closed_on = forms.DateField(
        label=_("Close date (when closing)"), required=False, widget=DATE_INPUT
    )
    lost_reason = forms.CharField(
        label=_("Lost reason (when closing lost)"), max_length=255, required=False
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, merger: Merger, owners: QuerySet[Rep], **kwargs: Any) -> None:
        # Ids apart from the filter form's on the same page.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(merger=merger).order_by("order")
        self.fields["owner"].queryset = owners.filter(is_active=True)

    def clean_selected(self) -> list[tuple[int, int]]:
        items = []
        for raw in self.cleaned_data["selected"]:
            pk, _sep, version = raw.partition(":")
            if not (pk.isdecimal() and version.isdecimal()):
                raise ValidationError(_("A selected row is not valid; reload the page."))
            items.append((int(pk), int(version)))
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("stage") and not data.get("owner"):
            raise ValidationError(_("Choose a stage or an owner to change."))
        return data

    # The choices are whatever rows the page showed; the service checks each one.
    def full_clean(self) -> None:
        if self.is_bound:
            self.fields["selected"].choices = [(v, v) for v in self.data.getlist("selected")]
        super().full_clean()
