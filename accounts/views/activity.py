"""The program's activity: every kept change, filtered by person, kind of record and date."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from accounts.models import Merger
from accounts.selectors.history import activity_entries, program_activity, record_types
from core.people import person_name
from core.web import ProgramAccessMixin

PAGE_SIZE = 50


class PersonChoiceField(forms.ModelChoiceField):
    # Names, not usernames: a username is often an e-mail, shown to sales ops only.
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class ActivityFilterForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Everyone"),
        required=False,
    )
    record_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, merger: Merger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(memberships__merger=merger)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["record_type"].choices = [
            ("", _("All kinds")),
            *record_types(merger_ids=[merger.pk]),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("since", "until"):
            day = data.get(name)
            if day is not None and not 1900 <= day.year <= 9998:
                self.add_error(name, _("Enter a date between 1900 and 9998."))
        return data

    def filters(self) -> dict[str, Any]:
        """The cleaned filters; an invalid one falls back to 'all'."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        person = data.get("person")
        return {
            "actor_id": person.pk if person else None,
            "record_type": data.get("record_type") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }


class ActivityView(ProgramAccessMixin, TemplateView):
    """Leaders, executives and sales ops read who changed what in the program."""

    template_name = "accounts/activity.html"
    resource = "history"
    section = "activity"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ActivityFilterForm(self.request.GET or None, merger=self.merger)
        rows = program_activity(merger_ids=[self.merger.pk], **form.filters())
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filter={"form": form},
            page_obj=page,
            entries=activity_entries(page.object_list),
            **kwargs,
        )
