from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.access import roles_of
from core.chart_locale import chart_locale
from core.links import Links
from core.programs import current_merger, merger_ids_for, programs_for
from core.web import nav_sections_for, role_labels_for


def charts(request: HttpRequest) -> dict[str, Any]:
    """Month names, separators and toolbar words for the charts, in the page's language."""
    return {"chart_locale": chart_locale()}


def program(request: HttpRequest) -> dict[str, Any]:
    """The user's roles, sections and programs, so that the layout shows only what they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "links": Links()}
    # Lazy: only pages that render the layout pay for its queries.
    return {
        "links": Links(),
        # Set by program_view or ProgramAccessMixin from the view's declared section.
        "active_section": getattr(request, "active_section", ""),
        "user_roles": frozenset(str(role) for role in roles_of(user)),
        "user_role_labels": SimpleLazyObject(lambda: role_labels_for(user)),
        "nav_sections": SimpleLazyObject(lambda: nav_sections_for(user)),
        "current_program": SimpleLazyObject(lambda: current_merger(request)),
        "user_programs": SimpleLazyObject(lambda: _switchable_programs(user)),
    }


def _switchable_programs(user: Any) -> list:
    # The switcher shows only for two or more programs; one needs no query.
    if len(merger_ids_for(user)) < 2:
        return []
    return list(programs_for(user=user))
