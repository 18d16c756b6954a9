"""Sections that apps higher up the dependency chain add to the pages of lower ones.

The home page and the account page show what apps above the one that draws
them know (opportunities on an account, say); a lower app must not import a
higher one, so the higher app registers a panel here in its AppConfig.ready,
the same way it registers its access rules and navigation.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.access import Action, User, allowed

HOME = "home"
# Above the home page's figures: what a program still needs before it is worked on.
HOME_TOP = "home_top"
ACCOUNT = "account"


@dataclass(frozen=True)
class Panel:
    template_name: str
    # Called with keyword arguments of the slot (merger, or account) and the user.
    get_context: Callable[..., dict[str, Any]]
    resource: str
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    template_name: str
    context: dict[str, Any]


_PANELS: dict[str, dict[str, Panel]] = {HOME: {}, HOME_TOP: {}, ACCOUNT: {}}


def register_panel(slot: str, panel: Panel) -> None:
    # Keyed by template so that registering twice replaces instead of repeating.
    _PANELS[slot][panel.template_name] = panel


def panels_for(slot: str, *, user: User, **kwargs: Any) -> list[RenderedPanel]:
    """The registered panels of a slot that the user may view, in order."""
    panels = sorted(_PANELS[slot].values(), key=lambda panel: panel.order)
    return [
        RenderedPanel(panel.template_name, panel.get_context(user=user, **kwargs))
        for panel in panels
        if allowed(user, Action.VIEW, panel.resource)
    ]


# Where a user lands instead of the program overview: an app may send a rep to
# their own home. Each hook returns a URL or None; the first URL wins.
_LANDINGS: list[Callable[..., str | None]] = []


def register_landing(landing: Callable[..., str | None]) -> None:
    """`landing(user=..., merger=...)` gives the URL the user's home is, or None."""
    if landing not in _LANDINGS:
        _LANDINGS.append(landing)


def landing_for(*, user: User, merger: Any) -> str | None:
    urls = (landing(user=user, merger=merger) for landing in _LANDINGS)
    return next((url for url in urls if url), None)
