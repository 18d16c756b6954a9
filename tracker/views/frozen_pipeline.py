"""A closed month's open deals as they stood at its end: the list behind the open pipeline
its dashboard shows. Read-only, in the pipeline list's scope: a rep sees their own deals
(owned then), a leader their teams', executives and ops the program's."""

import datetime as dt
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.filter_fields import NO_SEGMENT, direction_field
from accounts.models import Merger, Segment
from core.access import Action, allowed
from core.links import Links
from core.web import ProgramAccessMixin
from tracker.figures import OPEN
from tracker.models import Rep, Stage, Team
from tracker.selectors.frozen_pipeline import FrozenOpenWhere, frozen_deal_rows, frozen_open_deals
from tracker.selectors.pipeline import ScopeKind, pipeline_scope, reps_of, stages_of
from tracker.views.filter_fields import owner_field, team_field
from tracker.views.pipeline import PAGE_SIZE

# The filters the dashboard's slices send, passed on to today's list as they are.
PASSED_ON = ("stage", "segment", "direction", "team", "owner")


class FrozenPipelineFilterForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Stage"),
        queryset=Stage.objects.none(),
        empty_label=_("All stages"),
        required=False,
    )
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    direction = direction_field(all_label=_("All directions"))
    team = team_field()
    owner = owner_field()

    def __init__(self, *args: Any, merger: Merger, owners: QuerySet[Rep] | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages_of(merger_id=merger.pk).filter(outcome=OPEN)
        segments = Segment.objects.filter(merger=merger).order_by("name").values_list("pk", "name")
        self.fields["segment"].choices = [
            ("", _("All segments")),
            *((str(pk), name) for pk, name in segments),
            (NO_SEGMENT, _("No segment")),
        ]
        if owners is None:
            # A rep's list is their own: choosing a team or an owner means nothing there.
            del self.fields["owner"]
            del self.fields["team"]
        else:
            self.fields["owner"].queryset = owners
            self.fields["team"].queryset = Team.objects.filter(merger=merger).order_by("name")

    def where(self, *, owner_ids: tuple[int, ...] | None) -> FrozenOpenWhere:
        data = self.cleaned_data
        segment = data.get("segment") or None
        team, owner = data.get("team"), data.get("owner")
        return FrozenOpenWhere(
            stage_id=data["stage"].pk if data.get("stage") else None,
            segment=segment if segment in (None, NO_SEGMENT) else int(segment),
            direction=data.get("direction") or "",
            owner_id=owner.pk if owner else None,
            owner_ids=owner_ids,
            team_id=team.pk if team is not None else None,
        )


def _where(form: FrozenPipelineFilterForm, *, owner_ids) -> FrozenOpenWhere:
    if not form.is_bound:
        return FrozenOpenWhere(owner_ids=owner_ids)
    if not form.is_valid():
        # An invalid choice lists nothing, as the pipeline list's filters do.
        return FrozenOpenWhere(owner_ids=())
    return form.where(owner_ids=owner_ids)


def _month(raw: str) -> dt.date:
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise Http404(_("No such month.")) from None


class FrozenPipelineView(ProgramAccessMixin, TemplateView):
    template_name = "tracker/pipeline_frozen.html"
    resource = "opportunity"
    section = "pipeline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        month = _month(kwargs.pop("month"))
        scope = pipeline_scope(user=self.request.user, merger=self.merger)
        owners = None
        if scope.kind is not ScopeKind.MINE:
            owners = reps_of(merger_id=self.merger.pk)
            if scope.owner_ids is not None:
                owners = owners.filter(pk__in=scope.owner_ids)
        form = FrozenPipelineFilterForm(
            self.request.GET or None, merger=self.merger, owners=owners
        )
        deals = frozen_open_deals(
            merger=self.merger, month=month, where=_where(form, owner_ids=scope.owner_ids)
        )
        if deals is None:
            raise Http404(_("This month is not closed: its open deals are today's pipeline."))
        page = Paginator(deals.listed, PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = {key: self.request.GET[key] for key in PASSED_ON if self.request.GET.get(key)}
        return super().get_context_data(
            month=deals.month,
            frozen_at=deals.frozen_at,
            count=deals.count,
            amount=deals.amount,
            filter={"form": form},
            page_obj=page,
            rows=frozen_deal_rows(states=deals.states(page.object_list)),
            replayed=deals.replayed,
            scope=scope,
            today_url=f"{reverse('tracker:pipeline')}?{urlencode({**today, 'outcome': OPEN})}",
            dashboard_url=_dashboard_url(month),
            can_supervise=allowed(self.request.user, Action.VIEW, "supervision"),
            **kwargs,
        )


def _dashboard_url(month: dt.date) -> str:
    """The month's program dashboard, through the link its app registers (core.links)."""
    dashboard = Links()["dashboard"]
    return f"{dashboard}?month={month:%Y-%m}" if dashboard else ""
