"""The API asks core.access like every page does: HTTP method -> action -> rule."""

from django.db.models import Model
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.access import Action, allowed
from core.events import access_denied_log

METHOD_ACTIONS: dict[str, Action] = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.CREATE,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


def action_for(request: Request, view: APIView) -> Action | None:
    # Extra routes can name their own action: reopening is a change, not a creation.
    overrides: dict[str, Action] = getattr(view, "access_actions", {})
    name = getattr(view, "action", None)
    if name in overrides:
        return overrides[name]
    return METHOD_ACTIONS.get(request.method or "")


class ProgramAccess(BasePermission):
    """Grants what the RULES table and the object rules grant on `view.access_resource`."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        action = action_for(request, view)
        granted = action is not None and allowed(request.user, action, view.access_resource)
        if not granted:
            _log_denial(request, view, action)
        return granted

    def has_object_permission(self, request: Request, view: APIView, obj: object) -> bool:
        if not isinstance(obj, Model):
            # The browsable API asks about a response's plain data to decide whether to
            # draw a form; rules are about records, and a write is checked on its record.
            return False
        action = action_for(request, view)
        granted = action is not None and allowed(request.user, action, view.access_resource, obj)
        if not granted:
            _log_denial(request, view, action)
        return granted


def _log_denial(request: Request, view: APIView, action: Action | None) -> None:
    # The browsable API asks about other methods to decide which forms to draw: no request.
    if request.method != request._request.method:
        return
    access_denied_log(
        user=request.user,
        action=action or request.method or "",
        resource=view.access_resource,
        path=request.path,
        method=request.method or "",
    )
