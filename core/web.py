"""Access control for pages: one check for class-based and function views.

Login first (anonymous users go to the login page), then the role table of
core.access (403 for a role without the right), then the program: pages
work on the user's current program, and objects of a program the user is not
a member of do not exist for them (404).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, NoReturn

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core.access import Action, Role, User, allowed, register_rules, roles_of
from core.events import access_denied_log
from core.links import register_link
from core.programs import current_merger, merger_ids_for

ROLE_LABELS: dict[Role, Promise] = {
    Role.REP: _("Rep"),
    Role.LEADER: _("Sales leader"),
    Role.EXECUTIVE: _("Executive"),
    Role.OPS: _("Sales ops"),
}

NO_PROGRAM_TEMPLATE = "no_program.html"


@dataclass(frozen=True)
class NavSection:
    key: str
    label: Promise
    url_name: str
    resource: str
    # Sections of several apps interleave: the order is the reading order of the work.
    order: int


_NAV_SECTIONS: dict[str, NavSection] = {}


def register_nav_section(section: NavSection) -> None:
    """An app adds its sections to the navigation in its AppConfig.ready."""
    _NAV_SECTIONS[section.key] = section


def register_app_access(
    *,
    rules: Mapping[tuple[str, Action], frozenset[Role]],
    nav_sections: Iterable[NavSection],
    links: Mapping[str, str],
) -> None:
    """An app's part of access and navigation, added in its AppConfig.ready: its role rules,
    its sections, and the pages of lower apps link to by key (templates: {{ links.key }})."""
    register_rules(rules)
    for section in nav_sections:
        register_nav_section(section)
    for key, url_name in links.items():
        register_link(key, url_name)


def nav_sections() -> list[NavSection]:
    return sorted(_NAV_SECTIONS.values(), key=lambda section: section.order)


def nav_sections_for(user: User) -> list[NavSection]:
    return [s for s in nav_sections() if allowed(user, Action.VIEW, s.resource)]


def role_labels_for(user: User) -> list[Promise]:
    roles = roles_of(user)
    return [label for role, label in ROLE_LABELS.items() if role in roles]


def check_access(request: HttpRequest, resource: str, action: Action = Action.VIEW) -> None:
    """Raises PermissionDenied unless the user's roles allow the action at all."""
    if not allowed(request.user, action, resource):
        _deny(request, action, resource)


def check_object_access(
    request: HttpRequest, resource: str, obj: Any, action: Action = Action.VIEW
) -> None:
    """Raises PermissionDenied unless the user may take the action on this object."""
    if not allowed(request.user, action, resource, obj):
        _deny(request, action, resource)


def _deny(request: HttpRequest, action: Action, resource: str) -> NoReturn:
    access_denied_log(
        user=request.user,
        action=action,
        resource=resource,
        path=request.path,
        method=request.method or "",
    )
    raise PermissionDenied


def get_program_object_or_404[M: Model](
    request: HttpRequest, queryset: QuerySet[M], *, merger_field: str = "merger_id", **lookup: Any
) -> M:
    """An object of one of the user's programs; any other program's is a 404."""
    scoped = queryset.filter(**{f"{merger_field}__in": merger_ids_for(request.user)})
    return get_object_or_404(scoped, **lookup)


def no_program_response(request: HttpRequest) -> HttpResponse:
    return render(request, NO_PROGRAM_TEMPLATE)


class ProgramAccessMixin:
    """For class-based views: login, role check, and `self.merger` set.

    `resource` and `action` name the rule of core.access.RULES; `section` is
    the navigation entry marked current (the layout reads it from the request,
    see core.context_processors); with `needs_program` off the view also
    runs for users without a program (self.merger is then None).
    """

    resource: str
    action: Action = Action.VIEW
    section: str = ""
    needs_program: bool = True
    merger: Model | None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_access(request, self.resource, self.action)
        request.active_section = self.section
        self.merger = current_merger(request)
        if self.merger is None and self.needs_program:
            return no_program_response(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("merger", self.merger)
        return context


def service_errors_on(form: Form, error: ValidationError) -> None:
    """A service's errors on the form's visible fields; the others' as the form's own."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.error_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, problems)


def form_saved[T](
    request: HttpRequest,
    form: Form,
    save: Callable[[dict[str, Any]], T],
    *,
    done: str | Callable[[T], str],
) -> bool:
    """Saves a bound form through its service: True once saved, with `done` said (given what
    the service returned when it is a function); False with what is wrong on the form, the
    form's checks' or the service's."""
    if not form.is_valid():
        return False
    try:
        saved = save(dict(form.cleaned_data))
    except ValidationError as error:
        service_errors_on(form, error)
        return False
    messages.success(request, done(saved) if callable(done) else done)
    return True


def acted_then_back(
    request: HttpRequest, act: Callable[[], Any], *, back: str, done: str
) -> HttpResponse:
    """Runs a service's action asked by a button and goes back to `back` (a URL name),
    saying `done`, or why the service refused."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(back)


def back_to_next(
    request: HttpRequest, target: str | None, *, default: str
) -> HttpResponseRedirect:
    """Back to `target`, the page a button was pressed on, when it is one of ours (never
    another site's); else to `default`, a URL or a URL name."""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if safe else resolve_url(default))


def csv_attachment(text: str, filename: str) -> HttpResponse:
    """A CSV file to download; `filename` is ours (never the user's words)."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def program_view(
    resource: str, action: Action = Action.VIEW, *, needs_program: bool = True, section: str = ""
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The same checks as ProgramAccessMixin for function views.

    The view receives the current program as `merger` keyword argument;
    `section` is the navigation entry marked current, as on the mixin.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_access(request, resource, action)
            request.active_section = section
            merger = current_merger(request)
            if merger is None and needs_program:
                return no_program_response(request)
            return view(request, *args, merger=merger, **kwargs)

        return wrapper

    return decorator
