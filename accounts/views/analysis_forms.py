"""Forms of the overlap, product map and whitespace pages; choices scoped to one program."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.filter_fields import (
    NO_SEGMENT,
    company_field,
    direction_field,
    program_companies,
)
from accounts.models import (
    Merger,
    Product,
    ProductFamily,
    ProductMapping,
    RiskPolicy,
    Segment,
    UnifiedAccount,
)
from accounts.services.risk_policy import POLICY_FIELDS


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name} ({obj.company.short_name})"


class ProductMappingForm(forms.Form):
    source = ProductChoiceField(
        label=_("Owners of"), queryset=Product.objects.none(), empty_label=None
    )
    target = ProductChoiceField(
        label=_("are candidates for"), queryset=Product.objects.none(), empty_label=None
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=ProductMapping.Relation.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_(
            "Why an owner of the first needs the second, e.g. 'the case protects the phone'."
        ),
    )
    validated_with_customers = forms.BooleanField(
        label=_("Validated with customers"),
        required=False,
        help_text=_(
            "Teams tend to overestimate complementarity: tick only when customers confirmed it."
        ),
    )

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(company__merger=merger).select_related("company")
        products = products.order_by("company__name", "name")
        self.fields["source"].queryset = products
        self.fields["target"].queryset = products


class WhitespaceFilterForm(forms.Form):
    """Which accounts and products the whitespace grid shows, and in which order."""

    mine = forms.BooleanField(label=_("My accounts only"), required=False)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    direction = direction_field(all_label=_("All directions"))
    recommendation = forms.ChoiceField(
        label=_("Risk screen"),
        choices=[("", _("Any recommendation")), *UnifiedAccount.Recommendation.choices],
        required=False,
    )
    product_family = forms.ModelChoiceField(
        label=_("Product family"),
        queryset=ProductFamily.objects.none(),
        empty_label=_("All families"),
        required=False,
    )
    company = company_field()
    q = forms.CharField(label=_("Search accounts"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("value", _("Potential value")), ("name", _("Account name"))],
        required=False,
    )

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._segments = {
            str(segment.pk): segment
            for segment in Segment.objects.filter(merger=merger).order_by("name")
        }
        self.fields["segment"].choices = [
            ("", _("All segments")),
            *((pk, segment.name) for pk, segment in self._segments.items()),
            (NO_SEGMENT, _("No segment")),
        ]
        self.fields["company"].queryset = program_companies(merger)
        self.fields["product_family"].queryset = (
            ProductFamily.objects.filter(company__merger=merger)
            .select_related("company")
            .order_by("company__name", "name")
        )

    def filters(self) -> dict[str, Any]:
        """The cleaned filters; an invalid or missing choice falls back to 'all'."""
        valid = self.is_bound and self.is_valid()
        data = self.cleaned_data if valid else {}
        company, family = data.get("company"), data.get("product_family")
        segment_choice = data.get("segment") or ""
        return {
            "mine": bool(data.get("mine")),
            "segment": self._segments.get(segment_choice),
            "unsegmented": segment_choice == NO_SEGMENT,
            "direction": data.get("direction") or None,
            "recommendation": data.get("recommendation") or None,
            "company": company.pk if company else None,
            "product_family": family.pk if family else None,
            "search": (data.get("q") or "").strip() or None,
            "sort": data.get("sort") or "value",
        }


class RiskPolicyForm(forms.ModelForm):
    """The risk screen's thresholds, previewed by GET and saved by POST."""

    class Meta:
        model = RiskPolicy
        fields = list(POLICY_FIELDS)
        # The page groups the thresholds by profile, so the labels leave the profile out.
        labels = {
            "service_demand_growth_pct": _("Support tickets grew by more than %"),
            "service_demand_min_tickets": _("and at least this many tickets a year"),
            # xgettext:no-python-format
            "revenue_reversal_pct": _("Credits and returns above % of revenue"),
            "promotion_discount_pct": _("Average discount above %"),
            "spending_limit_growth_pct": _("Revenue growth at most %"),
            "spending_limit_min_products": _("while holding at least this many products"),
            "strong_connection_min": _("Strong from a connection strength of"),
        }
