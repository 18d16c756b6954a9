"""Setup pages of the sales organisation: teams and their hierarchy, reps, certifications,
stages, and the import of teams and reps from files."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Merger
from core.access import Action, allowed
from core.web import (
    acted_then_back,
    check_access,
    csv_attachment,
    form_saved,
    get_program_object_or_404,
    program_view,
)
from tracker.models import Certification, Rep, Stage, Team
from tracker.selectors.org import certifications_by_rep, reps_of, stages_of, team_tree
from tracker.services.org import (
    certification_delete,
    certification_set,
    rep_create,
    rep_update,
    team_create,
    team_delete,
    team_update,
)
from tracker.services.org_import import org_import
from tracker.services.stages import (
    stage_create,
    stage_delete,
    stage_in_use,
    stage_update,
    stages_create_usual,
)
from tracker.views.setup_forms import (
    CertificationForm,
    OrgImportForm,
    RepForm,
    StageForm,
    TeamForm,
)

SECTION = "setup"
# A program of a thousand reps is a page of rows nobody reads; the rest are a page link away.
REPS_PAGE_SIZE = 100
# The list each form goes back to, by URL name, with the name its breadcrumb shows.
LISTS = {
    "tracker:teams": gettext_lazy("Teams"),
    "tracker:reps": gettext_lazy("Reps"),
    "tracker:stages": gettext_lazy("Stages"),
}


def _page(request: HttpRequest, template: str, merger: Merger, **context: Any) -> HttpResponse:
    form = context.get("form")
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        template,
        {"merger": merger, **context},
        status=status,
    )


def _form_page(
    request: HttpRequest,
    merger: Merger,
    form: ModelForm,
    save: Callable[[dict[str, Any]], Model],
    *,
    title: str,
    back: str,
    done: str,
) -> HttpResponse:
    """A form that saves through a service and goes back to its list, or shows what is wrong."""
    if request.method == "POST" and form_saved(request, form, save, done=done):
        return redirect(back)
    return _page(
        request,
        "tracker/setup_form.html",
        merger,
        form=form,
        title=title,
        back=back,
        back_label=LISTS[back],
    )


# Teams


@program_view("team", section=SECTION)
def teams_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return _page(
        request,
        "tracker/teams.html",
        merger,
        lines=team_tree(merger=merger),
        can_change=allowed(request.user, Action.CHANGE, "team"),
    )


@require_http_methods(["GET", "POST"])
@program_view("team", Action.CREATE, section=SECTION)
def team_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    form = TeamForm(request.POST or None, merger=merger)
    return _form_page(
        request,
        merger,
        form,
        lambda data: team_create(actor=request.user, merger=merger, **data),
        title=_("Add a team"),
        back="tracker:teams",
        done=_("Team added."),
    )


@require_http_methods(["GET", "POST"])
@program_view("team", Action.CHANGE, section=SECTION)
def team_update_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    team = get_program_object_or_404(request, Team.objects.select_related("merger"), pk=pk)
    form = TeamForm(request.POST or None, instance=Team.objects.get(pk=pk), merger=merger)
    return _form_page(
        request,
        merger,
        form,
        lambda data: team_update(actor=request.user, team=team, **data),
        title=_("Edit %(team)s") % {"team": team.name},
        back="tracker:teams",
        done=_("Team saved."),
    )


@require_POST
@program_view("team", Action.DELETE, section=SECTION)
def team_delete_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    team = get_program_object_or_404(request, Team.objects.all(), pk=pk)
    return acted_then_back(
        request,
        lambda: team_delete(actor=request.user, team=team),
        back="tracker:teams",
        done=_("%(team)s removed.") % {"team": team.name},
    )


# Reps


@program_view("rep", section=SECTION)
def reps_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return _page(
        request,
        "tracker/reps.html",
        merger,
        page_obj=Paginator(reps_of(merger=merger), REPS_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        can_change=allowed(request.user, Action.CHANGE, "rep"),
    )


@require_http_methods(["GET", "POST"])
@program_view("rep", Action.CREATE, section=SECTION)
def rep_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    initial = {"user": request.GET.get("user")} if request.GET.get("user", "").isdecimal() else {}
    form = RepForm(request.POST or None, initial=initial, merger=merger)
    return _form_page(
        request,
        merger,
        form,
        lambda data: rep_create(actor=request.user, merger=merger, **data),
        title=_("Add a rep"),
        back="tracker:reps",
        done=_("Rep added."),
    )


@require_http_methods(["GET", "POST"])
@program_view("rep", Action.CHANGE, section=SECTION)
def rep_update_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    rep = get_program_object_or_404(request, Rep.objects.select_related("merger", "user"), pk=pk)
    form = RepForm(request.POST or None, instance=Rep.objects.get(pk=pk), merger=merger)
    return _form_page(
        request,
        merger,
        form,
        lambda data: rep_update(actor=request.user, rep=rep, **data),
        title=_("Edit %(rep)s") % {"rep": rep},
        back="tracker:reps",
        done=_("Rep saved."),
    )


# Certifications


@require_http_methods(["GET", "POST"])
@program_view("certification", section=SECTION)
def certifications_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    can_change = allowed(request.user, Action.CREATE, "certification")
    form = CertificationForm(merger=merger) if can_change else None
    if request.method == "POST":
        check_access(request, "certification", Action.CREATE)
        form = CertificationForm(request.POST, merger=merger)
        save = lambda data: certification_set(actor=request.user, **data)  # noqa: E731
        if form_saved(request, form, save, done=_("Certification saved.")):
            return redirect("tracker:certifications")
    return _page(
        request,
        "tracker/certifications.html",
        merger,
        certified=certifications_by_rep(merger=merger),
        form=form,
        can_change=can_change,
    )


@require_POST
@program_view("certification", Action.DELETE, section=SECTION)
def certification_delete_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    certification = get_program_object_or_404(
        request, Certification.objects.select_related("rep"), merger_field="rep__merger_id", pk=pk
    )
    certification_delete(actor=request.user, certification=certification)
    messages.success(request, _("Certification removed."))
    return redirect("tracker:certifications")


# Stages


@require_http_methods(["GET", "POST"])
@program_view("stage", section=SECTION)
def stages_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    if request.method == "POST":
        check_access(request, "stage", Action.CREATE)
        return acted_then_back(
            request,
            lambda: stages_create_usual(actor=request.user, merger=merger),
            back="tracker:stages",
            done=_("The usual stages are in; rename or adjust them below."),
        )
    return _page(
        request,
        "tracker/stages.html",
        merger,
        stages=stages_of(merger=merger),
        can_change=allowed(request.user, Action.CHANGE, "stage"),
    )


@require_http_methods(["GET", "POST"])
@program_view("stage", Action.CREATE, section=SECTION)
def stage_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    last = stages_of(merger=merger).last()
    form = StageForm(request.POST or None, initial={"order": (last.order + 1) if last else 1})
    return _form_page(
        request,
        merger,
        form,
        lambda data: stage_create(actor=request.user, merger=merger, **data),
        title=_("Add a stage"),
        back="tracker:stages",
        done=_("Stage added."),
    )


@require_http_methods(["GET", "POST"])
@program_view("stage", Action.CHANGE, section=SECTION)
def stage_update_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    stage = get_program_object_or_404(request, Stage.objects.select_related("merger"), pk=pk)
    in_use = stage_in_use(stage=stage)
    form = StageForm(request.POST or None, instance=Stage.objects.get(pk=pk), in_use=in_use)
    return _form_page(
        request,
        merger,
        form,
        lambda data: stage_update(actor=request.user, stage=stage, **data),
        title=_("Edit %(stage)s") % {"stage": stage.name},
        back="tracker:stages",
        done=_("Stage saved."),
    )


@require_POST
@program_view("stage", Action.DELETE, section=SECTION)
def stage_delete_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    stage = get_program_object_or_404(request, Stage.objects.all(), pk=pk)
    return acted_then_back(
        request,
        lambda: stage_delete(actor=request.user, stage=stage),
        back="tracker:stages",
        done=_("%(stage)s removed.") % {"stage": stage.name},
    )


# Import of teams and reps


@require_http_methods(["GET", "POST"])
@program_view("rep", Action.CREATE, section=SECTION)
def org_import_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Teams and reps from files: "Check" shows what would change, "Import" saves it all."""
    result = None
    form = OrgImportForm()
    if request.method == "POST":
        form = OrgImportForm(request.POST, request.FILES)
        checking = request.POST.get("action") == "check"
        if form.is_valid():
            try:
                result = org_import(
                    actor=request.user,
                    merger=merger,
                    teams_file=form.cleaned_data.get("teams"),
                    reps_file=form.cleaned_data.get("reps"),
                    dry_run=checking,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if result.ok and not checking:
                    messages.success(request, _imported(result.plan))
                    return redirect("tracker:people")
    return render(
        request,
        "tracker/org_import.html",
        {"merger": merger, "form": form, "result": result},
        status=400 if (result and not result.ok) or form.errors else 200,
    )


def _imported(plan) -> str:
    return _(
        "Imported: %(people)d new people, %(teams)d new and %(changed_teams)d changed teams, "
        "%(reps)d new and %(changed_reps)d changed reps. New people set their password "
        "through their link below."
    ) % {
        "people": len(plan.new_people),
        "teams": len(plan.new_teams),
        "changed_teams": len(plan.changed_teams),
        "reps": len(plan.new_reps),
        "changed_reps": len(plan.changed_reps),
    }


TEMPLATES = {
    "teams": "team,reports_to,region,leader,leader_first_name,leader_last_name\r\n"
    "Europe,,EMEA,,,\r\n"
    "DACH,Europe,EMEA,,,\r\n",
    "reps": "email,first_name,last_name,team,company,motion,start_date,typical_core_deal\r\n",
}


@program_view("rep", Action.CREATE, section=SECTION)
def org_template_page(request: HttpRequest, kind: str, *, merger: Merger) -> HttpResponse:
    if kind not in TEMPLATES:
        raise Http404
    return csv_attachment(TEMPLATES[kind], f"{kind}-template.csv")
