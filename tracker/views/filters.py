"""Filters and sorting of the pipeline list."""

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filter_fields import segment_filter
from accounts.models import Direction, Kind, LegacyCompany, Merger, Segment
from accounts.selectors.accounts import unified_accounts_of_user
from core.access import User
from core.widgets import LongSelect
from tracker.figures import cross_company_q, rest_of_period, stale_q
from tracker.models import Opportunity, Rep, Stage, Team
from tracker.pipeline_math import month_end
from tracker.selectors.metrics import team_subtree_ids
from tracker.selectors.pipeline import (
    PipelineScope,
    ScopeKind,
    opportunities_for_list,
    pipeline_scope,
    reps_of,
    stages_of,
)

CROSS_COMPANY = "cross_company"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def realized_list_params(*, merger: Merger, closed_to: date) -> dict[str, str]:
    """The list's filters that select realized synergy from Day 1 to `closed_to`: the
    deals of tracker.figures.realized_q(closed_from=merger.day_one, closed_to=closed_to)."""
    return {
        "outcome": Stage.Outcome.WON.value,
        "direction": CROSS_COMPANY,
        "closed_on_after": merger.day_one.isoformat(),
        "closed_on_before": closed_to.isoformat(),
    }


def realized_month_list_params(*, month: date) -> dict[str, str]:
    """The list's filters that select one month's realized synergy: the deals of
    tracker.figures.realized_q(closed_from=month, closed_to=its last day)."""
    return {
        "outcome": Stage.Outcome.WON.value,
        "direction": CROSS_COMPANY,
        "closed_on_after": month.isoformat(),
        "closed_on_before": month_end(month).isoformat(),
    }


def closing_list_params(*, first: date, last: date, today: date) -> dict[str, str] | None:
    """The list's filters that select the pipeline coverage counts: the deals of
    tracker.figures.closing_q; None once the period has ended."""
    rest = rest_of_period(first=first, last=last, today=today)
    if rest is None:
        return None
    return {
        "outcome": Stage.Outcome.OPEN.value,
        "direction": CROSS_COMPANY,
        "expected_close_after": rest[0].isoformat(),
        "expected_close_before": rest[1].isoformat(),
    }


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Stage.Outcome.choices, empty_label=_("Open, won and lost")
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.none(), empty_label=_("All stages")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("Cross-sell and upsell")
    )
    # Cross-company is both directions at once: the deals realized synergy counts.
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=[(CROSS_COMPANY, _("Cross-company (both directions)")), *Direction.choices],
        empty_label=_("All directions"),
        method="filter_direction",
    )
    # Named as the API's closed_on range, both ends included as closed_in_q includes them.
    closed_on_after = django_filters.DateFilter(
        label=_("Closed from"), field_name="closed_on", lookup_expr="gte", widget=DATE_INPUT
    )
    closed_on_before = django_filters.DateFilter(
        label=_("Closed to"), field_name="closed_on", lookup_expr="lte", widget=DATE_INPUT
    )
    # Both ends included, as pipeline coverage counts the rest of a period (closing_q).
    expected_close_after = django_filters.DateFilter(
        label=_("Expected close from"),
        field_name="expected_close",
        lookup_expr="gte",
        widget=DATE_INPUT,
    )
    expected_close_before = django_filters.DateFilter(
        label=_("Expected close to"),
        field_name="expected_close",
        lookup_expr="lte",
        widget=DATE_INPUT,
    )
    company = django_filters.ModelChoiceFilter(
        label=_("Products of"),
        queryset=LegacyCompany.objects.none(),
        empty_label=_("Both companies"),
        field_name="product__company",
    )
    segment = segment_filter()
    # With the teams below it, as a team's dashboard counts them.
    team = django_filters.ModelChoiceFilter(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        method="filter_team",
    )
    # A large program's thousand reps: options written without a template each.
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=Rep.objects.none(),
        empty_label=_("All owners"),
        widget=LongSelect,
    )
    stale = django_filters.BooleanFilter(
        label=_("Stale only"), method="filter_stale", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("My accounts"), method="filter_mine", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        fields=(
            ("updated_at", "updated"),
            ("amount", "amount"),
            ("expected_close", "close"),
            ("stage__order", "stage"),
            ("account__name", "account"),
        ),
        # The default (no choice) is the newest activity first, so it is listed first.
        choices=[
            ("-updated", _("Last activity, newest first")),
            ("updated", _("Last activity, oldest first")),
            ("-amount", _("Amount, largest first")),
            ("amount", _("Amount, smallest first")),
            ("close", _("Expected close, soonest first")),
            ("-close", _("Expected close, latest first")),
            ("stage", _("Stage, earliest first")),
            ("-stage", _("Stage, latest first")),
            ("account", _("Account, A to Z")),
        ],
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def __init__(
        self,
        *args: Any,
        merger: Merger,
        owners: QuerySet[Rep] | None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.merger, self.user = merger, user
        if user is None:
            del self.filters["mine"]
        self.filters["stage"].queryset = stages_of(merger_id=merger.pk)
        self.filters["segment"].queryset = Segment.objects.filter(merger=merger).order_by("name")
        self.filters["company"].queryset = LegacyCompany.objects.filter(merger=merger)
        if owners is None:
            # A rep's list is their own: choosing a team or an owner means nothing there.
            del self.filters["owner"]
            del self.filters["team"]
        else:
            self.filters["owner"].queryset = owners
            self.filters["team"].queryset = Team.objects.filter(merger=merger).order_by("name")

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value or self.user is None:
            return queryset
        mine = unified_accounts_of_user(user=self.user, merger_id=self.merger.pk)
        return queryset.filter(account_id__in=mine.values("pk"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(account__name__icontains=value)
            | Q(product__name__icontains=value)
            | Q(customer_need__icontains=value)
        )

    def filter_team(self, queryset: QuerySet, name: str, value: Team | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(owner__team_id__in=team_subtree_ids(team_id=value.pk))

    def filter_direction(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == CROSS_COMPANY:
            return queryset.filter(cross_company_q())
        return queryset.filter(direction=value)

    def filter_stale(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        days = self.merger.stale_after_days
        return queryset.filter(stale_q(at=timezone.localdate(), days=days))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Ties keep a stable order across pages.
        ordering = tuple(queryset.query.order_by)
        if ordering and ordering[-1] not in ("pk", "-pk"):
            return queryset.order_by(*ordering, "-pk")
        return queryset


def scoped_opportunity_filter(
    *, request: HttpRequest, merger: Merger
) -> tuple[PipelineScope, OpportunityFilter]:
    """The user's pipeline scope and the filter over the deals it covers, as the list and the
    board both show them: the owner choices are the reps in scope, none for a rep's own list."""
    user = request.user
    scope = pipeline_scope(user=user, merger=merger)
    owners = None
    if scope.kind is not ScopeKind.MINE:
        owners = reps_of(merger_id=merger.pk)
        if scope.owner_ids is not None:
            owners = owners.filter(pk__in=scope.owner_ids)
    filterset = OpportunityFilter(
        request.GET or None,
        queryset=opportunities_for_list(merger_id=merger.pk, owner_ids=scope.owner_ids),
        merger=merger,
        owners=owners,
        user=user,
    )
    return scope, filterset
