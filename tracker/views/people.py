"""People pages: the program's members with their roles, teams and rep records; invitations.

An administrator without a program yet (the first sign-in of an installation)
creates the first sales-ops login here; after that sales ops create and invite
everyone else of their program.
"""

import logging
from smtplib import SMTPException

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Merger
from accounts.selectors.people import (
    Person,
    people_without_program,
    person_find,
    person_of,
    program_people,
    set_password_path,
)
from accounts.services.people import (
    membership_add,
    membership_remove,
    person_create,
    person_invite_send,
    person_update,
)
from core.access import Action, allowed
from core.people import person_name
from core.web import acted_then_back, program_view, service_errors_on
from tracker.selectors.org import led_teams_by_user, reps_by_user
from tracker.views.setup_forms import PersonAddForm, PersonEditForm, PersonForm

SECTION = "setup"
logger = logging.getLogger(__name__)


@program_view("user", needs_program=False, section=SECTION)
def people_page(request: HttpRequest, *, merger: Merger | None) -> HttpResponse:
    people = (
        program_people(merger=merger) if merger else people_without_program(actor=request.user)
    )
    reps = reps_by_user(merger=merger) if merger else {}
    led = led_teams_by_user(merger=merger) if merger else {}
    rows = [(person, reps.get(person.user.pk), led.get(person.user.pk, [])) for person in people]
    return render(
        request,
        "tracker/people.html",
        {
            "merger": merger,
            "rows": rows,
            "add_form": PersonAddForm(),
            "can_create": allowed(request.user, Action.CREATE, "user"),
            "can_import": merger is not None and allowed(request.user, Action.CREATE, "rep"),
        },
    )


def _person_or_404(request: HttpRequest, merger: Merger | None, pk: int) -> Person:
    person = person_of(actor=request.user, merger=merger, pk=pk)
    if person is None:
        raise Http404
    return person


def _link(request: HttpRequest, person: Person) -> str:
    return request.build_absolute_uri(set_password_path(user=person.user))


def _invite(request: HttpRequest, merger: Merger | None, person: Person) -> bool:
    """E-mails the link; a mail server that refuses it leaves the link on the page to pass on."""
    try:
        return person_invite_send(
            actor=request.user,
            person=person.user,
            link=_link(request, person),
            program=merger.name if merger else "",
        )
    except (SMTPException, OSError):
        logger.warning("invitation.not_sent user=%s", person.user.pk, exc_info=True)
        messages.error(
            request,
            _("The e-mail could not be sent; copy the link below and pass it on yourself."),
        )
        return False


@require_http_methods(["GET", "POST"])
@program_view("user", Action.CREATE, needs_program=False, section=SECTION)
def person_create_page(request: HttpRequest, *, merger: Merger | None) -> HttpResponse:
    initial = {"roles": [] if merger else ["sales_ops"]}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = person_create(
                actor=request.user,
                merger=merger,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=data["roles"],
                username=data["username"],
            )
        except ValidationError as error:
            service_errors_on(form, error)
        else:
            person = _person_or_404(request, merger, user.pk)
            sent = data["send_invitation"] and _invite(request, merger, person)
            messages.success(
                request,
                _("%(name)s can sign in once they have set their password%(sent)s.")
                % {
                    "name": user.get_full_name(),
                    "sent": _(": the link is on its way to %(email)s") % {"email": user.email}
                    if sent
                    else "",
                },
            )
            return redirect("tracker:person_invite", pk=user.pk)
    return render(
        request,
        "tracker/person_form.html",
        {"merger": merger, "form": form, "person": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@program_view("user", Action.CHANGE, needs_program=False, section=SECTION)
def person_update_page(request: HttpRequest, pk: int, *, merger: Merger | None) -> HttpResponse:
    person = _person_or_404(request, merger, pk)
    user = person.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": [role.value for role in person.roles],
        "is_active": user.is_active,
    }
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s saved.") % {"name": user.get_full_name()})
            return redirect("tracker:people")
    return render(
        request,
        "tracker/person_form.html",
        {
            "merger": merger,
            "form": form,
            "person": person,
            "can_remove": merger is not None
            and user.pk != request.user.pk
            and allowed(request.user, Action.DELETE, "user"),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@program_view("user", Action.CHANGE, needs_program=False, section=SECTION)
def person_invite_page(request: HttpRequest, pk: int, *, merger: Merger | None) -> HttpResponse:
    """The person's one-time set-password link, to pass on; POST e-mails it to them."""
    person = _person_or_404(request, merger, pk)
    if person.user.is_superuser and not request.user.is_superuser:
        raise Http404
    if request.method == "POST":
        if not person.user.email:
            messages.error(request, _("%(name)s has no e-mail address.") % {"name": person.user})
        elif _invite(request, merger, person):
            messages.success(
                request, _("The link is on its way to %(email)s.") % {"email": person.user.email}
            )
        return redirect("tracker:person_invite", pk=pk)
    return render(
        request,
        "tracker/person_invite.html",
        {
            "merger": merger,
            "person": person,
            "link": _link(request, person),
        },
    )


@require_POST
@program_view("user", Action.CHANGE, section=SECTION)
def person_add_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """Adds someone who has a login already (for another program, say) to this one."""
    form = PersonAddForm(request.POST)
    user = person_find(identifier=form.data.get("identifier", "")) if form.is_valid() else None
    if user is None:
        messages.error(request, _("Nobody has this username or e-mail: create their login."))
        return redirect("tracker:people")
    return acted_then_back(
        request,
        lambda: membership_add(actor=request.user, merger=merger, person=user),
        back="tracker:people",
        done=_("%(name)s is a member of %(program)s.")
        % {"name": person_name(user), "program": merger.name},
    )


@require_POST
@program_view("user", Action.DELETE, section=SECTION)
def person_remove_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    person = _person_or_404(request, merger, pk)
    try:
        membership_remove(actor=request.user, merger=merger, person=person.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("tracker:person_update", pk=pk)
    messages.success(
        request,
        _("%(name)s is no longer a member of %(program)s.")
        % {"name": person_name(person.user), "program": merger.name},
    )
    return redirect("tracker:people")
