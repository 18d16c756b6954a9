"""Six-C scorecard pages: the program's, one segment's, and one C of a segment in depth."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Merger, Segment
from core.access import Action, allowed
from core.web import (
    check_object_access,
    get_program_object_or_404,
    program_view,
    service_errors_on,
)
from scorecards.models import SixC
from scorecards.selectors.dashboard import dashboard_months
from scorecards.selectors.program import SynergyLine, program_scorecard
from scorecards.selectors.scorecard import (
    frozen_score_months,
    scorecard_board,
    segment_scorecard,
)
from scorecards.services.scores import assessment_create, month_is_frozen
from scorecards.tasks import scores_recompute_send
from scorecards.views.chart_text import path_with, url_with
from scorecards.views.charts import six_c_heatmap_chart, six_c_radar_chart
from scorecards.views.exports import ExportForm, export_form_initial
from scorecards.views.forms import (
    AssessmentForm,
    MonthForm,
    chosen_month,
    month_choices,
    month_label,
)
from tracker.figures import is_cross_company
from tracker.pipeline_math import month_end
from tracker.views.filters import realized_list_params

SECTION = "scorecards"


@dataclass(frozen=True)
class SynergyRow:
    """A line of a synergy table, with the list of the deals its realized figure sums."""

    line: SynergyLine
    realized_url: str | None = None


def _month_context(request: HttpRequest, merger: Merger, raw: str | None) -> dict[str, Any]:
    today = timezone.localdate()
    month = chosen_month(raw, merger=merger, today=today)
    frozen = frozen_score_months(merger=merger)
    months = sorted(set(dashboard_months(merger=merger, today=today)) | frozen, reverse=True)
    return {
        "month": month,
        "month_param": f"{month:%Y-%m}",
        "month_label": month_label(month),
        "is_current_month": month == today.replace(day=1),
        "frozen": month in frozen,
        "picker": MonthForm(
            initial={"month": f"{month:%Y-%m}"}, choices=month_choices(months, frozen)
        ),
    }


@require_GET
@program_view("scorecard", section=SECTION)
def scorecard_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    context = _month_context(request, merger, request.GET.get("month"))
    month = context["month"]
    board = scorecard_board(merger=merger, month=month)
    synergy = program_scorecard(merger=merger, month=month)
    realized = realized_list_params(merger=merger, closed_to=month_end(month))
    pipeline = reverse("tracker:pipeline")
    context.update(
        merger=merger,
        board=board,
        synergy=synergy,
        # Each realized figure opens the deals it sums: won cross-company, Day 1 to month end.
        program_realized_url=path_with(pipeline, **realized),
        segment_rows=[
            SynergyRow(line, path_with(pipeline, segment=line.key, **realized))
            for line in synergy.by_segment
        ],
        # A direction within one company is never synergy: its realized figure is none.
        direction_rows=[
            SynergyRow(
                line,
                path_with(pipeline, **{**realized, "direction": line.key})
                if is_cross_company(line.key)
                else None,
            )
            for line in synergy.by_direction
        ],
        heatmap=six_c_heatmap_chart(
            chart_id="scorecard-heatmap",
            segments=[row.name for row in board.rows],
            segment_ids=[row.segment_id for row in board.rows],
            scores=[[cell.score for cell in row.cells] for row in board.rows],
            missing=[["; ".join(cell.missing_data) for cell in row.cells] for row in board.rows],
            month=month,
        )
        if board.rows
        else None,
        c_labels=[str(label) for label in SixC.labels],
        can_recompute=allowed(request.user, Action.CHANGE, "scorecard") and not board.frozen,
        can_create_segments=allowed(request.user, Action.CREATE, "segment"),
    )
    if allowed(request.user, Action.EXPORT, "scorecard"):
        context["export_form"] = ExportForm(initial=export_form_initial())
    return render(request, "scorecards/scorecard.html", context)


@require_POST
@program_view("scorecard", Action.CHANGE, section=SECTION)
def scorecard_recompute(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    month = chosen_month(request.POST.get("month"), merger=merger, today=timezone.localdate())
    label = month_label(month)
    if month_is_frozen(merger_id=merger.pk, month=month):
        messages.error(
            request,
            _("The scores of %(month)s are frozen; they stay as they are.") % {"month": label},
        )
    elif scores_recompute_send(merger_id=merger.pk, month=month):
        messages.success(
            request,
            _("Recomputing the scores of %(month)s from current data: reload in a moment.")
            % {"month": label},
        )
    else:
        messages.error(
            request,
            _(
                "The task queue could not be reached, so the scores of %(month)s were not "
                "recomputed. Try again in a minute."
            )
            % {"month": label},
        )
    return redirect(url_with("scorecards:scorecard", month=f"{month:%Y-%m}"))


def _segment(request: HttpRequest, merger: Merger, pk: int) -> Segment:
    return get_program_object_or_404(request, Segment.objects.filter(merger=merger), pk=pk)


@require_GET
@program_view("scorecard", section=SECTION)
def segment_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    segment = _segment(request, merger, pk)
    context = _month_context(request, merger, request.GET.get("month"))
    card = segment_scorecard(segment=segment, month=context["month"])
    context.update(
        merger=merger,
        segment=segment,
        card=card,
        radar=six_c_radar_chart(
            chart_id="segment-radar",
            segment_id=segment.pk,
            segment=segment.name,
            scores=card.radar,
            previous=card.radar_previous,
            month=context["month"],
        )
        if card.radar
        else None,
    )
    return render(request, "scorecards/segment.html", context)


@require_http_methods(["GET", "POST"])
@program_view("scorecard", section=SECTION)
def segment_c_page(request: HttpRequest, pk: int, c: str, *, merger: Merger) -> HttpResponse:
    if c not in SixC.values:
        raise Http404
    segment = _segment(request, merger, pk)
    raw_month = request.POST.get("month") if request.method == "POST" else request.GET.get("month")
    context = _month_context(request, merger, raw_month)
    month = context["month"]
    form = AssessmentForm()
    if request.method == "POST":
        check_object_access(request, "assessment", segment, Action.CREATE)
        form = AssessmentForm(request.POST)
        if form.is_valid() and _assess(request, form, segment, month, c):
            return redirect(
                url_with("scorecards:segment_c", segment.pk, c, month=f"{month:%Y-%m}")
            )
    card = segment_scorecard(segment=segment, month=month, c=c)
    context.update(
        merger=merger,
        segment=segment,
        card=card,
        detail=card.cs[0],
        form=form,
        can_assess=allowed(request.user, Action.CREATE, "assessment", segment),
        segment_url=url_with("scorecards:segment", segment.pk, month=f"{month:%Y-%m}"),
        other_cs=[
            {
                "label": label,
                "url": url_with("scorecards:segment_c", segment.pk, value, month=f"{month:%Y-%m}"),
                "current": value == c,
            }
            for value, label in SixC.choices
        ],
    )
    return render(
        request, "scorecards/segment_c.html", context, status=400 if form.errors else 200
    )


def _assess(request: HttpRequest, form: AssessmentForm, segment: Segment, month, c: str) -> bool:
    try:
        assessment_create(
            actor=request.user,
            segment=segment,
            month=month,
            c=c,
            mode=form.cleaned_data["mode"],
            score=form.cleaned_data["score"],
            evidence=form.cleaned_data["evidence"],
        )
    except ValidationError as error:
        service_errors_on(form, error)
        return False
    messages.success(
        request,
        _("Assessment saved: the %(c)s score of %(segment)s is recomputed with it.")
        % {"c": SixC(c).label, "segment": segment.name},
    )
    return True
