"""Forms of the scorecard and dashboard pages: the month, the filters, an assessment."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.filter_fields import company_field, direction_field, program_companies
from accounts.models import Merger, Segment
from core.dates import date_plausible
from core.widgets import LongSelect, ShortModelChoiceField
from scorecards.models import Assessment
from tracker.models import Team


def parse_month(raw: str | None) -> dt.date | None:
    try:
        month = dt.datetime.strptime((raw or "").strip(), "%Y-%m").date()
    except ValueError:
        return None
    return month if date_plausible(month) else None


def chosen_month(raw: str | None, *, merger: Merger, today: dt.date) -> dt.date:
    """The month asked for as YYYY-MM, kept between Day 1 and this month; this month by default."""
    current = today.replace(day=1)
    month = parse_month(raw) or current
    return max(min(month, current), min(merger.day_one.replace(day=1), current))


def month_label(month: dt.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def month_choices(months: Iterable[dt.date], frozen: set[dt.date]) -> list[tuple[str, str]]:
    return [
        (
            f"{month:%Y-%m}",
            _("%(month)s (frozen)") % {"month": month_label(month)}
            if month in frozen
            else month_label(month),
        )
        for month in months
    ]


class MonthForm(forms.Form):
    """The month picker: a GET form, so the month is in the URL."""

    month = forms.ChoiceField(label=_("Month"), choices=())

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "month-picker-%s")
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = choices


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; the fields a scope fixes (team, rep) are left out.

    The selects are written in Python (LongSelect): a large program's months, segments
    and teams made the option templates a tenth of the dashboard's time. Their rows are
    read by plain queries (ShortModelChoiceField), not server-side cursors.
    """

    month = forms.ChoiceField(label=_("Month"), choices=(), widget=LongSelect)
    segment = ShortModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        empty_label=_("All segments"),
        required=False,
    )
    team = ShortModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        required=False,
    )
    direction = direction_field(all_label=_("Both directions and within"), widget=LongSelect)
    company = company_field(field=ShortModelChoiceField)
    radar = ShortModelChoiceField(
        label=_("Radar of segment"),
        queryset=Segment.objects.none(),
        empty_label=_("The chosen or first scored segment"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        merger: Merger,
        months: list[tuple[str, str]],
        team_ids: frozenset[int] | None,
        without: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "dashboard-filter-%s")
        super().__init__(*args, **kwargs)
        segments = Segment.objects.filter(merger=merger).order_by("name")
        self.fields["month"].choices = months
        self.fields["segment"].queryset = segments
        self.fields["radar"].queryset = segments
        self.fields["company"].queryset = program_companies(merger)
        teams = Team.objects.filter(merger=merger).order_by("name")
        # A team filter is a look into that team: only teams whose dashboard the user may open.
        self.fields["team"].queryset = teams if team_ids is None else teams.filter(pk__in=team_ids)
        for name in without:
            del self.fields[name]

    def value_of(self, name: str) -> Any:
        """A filter's cleaned value; a field left out or not valid filters nothing."""
        if name not in self.fields:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


class AssessmentForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How the assessment applies"),
        choices=Assessment.Mode.choices,
        initial=Assessment.Mode.ADJUST,
        widget=forms.RadioSelect,
    )
    score = forms.DecimalField(
        label=_("Score or adjustment"),
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("-2"),
        max_value=Decimal("5"),
        help_text=_(
            "An adjustment moves the computed score by -2 to +2; an override replaces it "
            "with a score from 1 to 5."
        ),
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the judgement rests on: customer feedback, a review, a decision taken. "
            "It is kept with the score for good."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assessment-%s")
        super().__init__(*args, **kwargs)
