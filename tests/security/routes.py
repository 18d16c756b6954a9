"""Every URL pattern of the project, read from the resolver rather than listed by hand."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    kwargs: frozenset[str]
    callback: Callable[..., Any]

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def methods(self) -> frozenset[str]:
        """The HTTP methods a DRF view answers (upper case); empty for plain Django views."""
        view_class = self.view_class
        if view_class is None or not hasattr(view_class, "http_method_names"):
            return frozenset()
        answered = set(view_class.http_method_names) - {"options", "head"}
        actions = getattr(self.callback, "actions", None)
        if actions:
            return frozenset(method.upper() for method in actions if method in answered)
        return frozenset(method.upper() for method in answered if hasattr(view_class, method))

    def action_for(self, method: str) -> str | None:
        """The viewset action a method runs (None for views that are not viewsets)."""
        actions = getattr(self.callback, "actions", None) or {}
        return actions.get(method.lower())

    @property
    def view_class(self) -> Any:
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)


def _kwargs(pattern: Any) -> set[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return set(converters)
    regex = getattr(pattern, "regex", None)
    return set(regex.groupindex) if regex is not None else set()


def _walk(
    patterns: list[Any], prefix: str, namespace: str, kwargs: set[str], top: str
) -> Iterator[tuple[str, Route]]:
    for entry in patterns:
        here = prefix + str(entry.pattern)
        found = kwargs | _kwargs(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry.url_patterns, here, inner, found, top or inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            route = Route(
                name=name or f"<unnamed {here}>",
                path=here,
                kwargs=frozenset(found),
                callback=entry.callback,
            )
            yield top, route


def project_routes() -> list[tuple[str, Route]]:
    """(top-level namespace, route) for every pattern, format-suffix twins left out.

    DRF's router repeats each route with a `.json`-style suffix; the twin has
    the same name and view as the route it mirrors, so checking one checks both.
    """
    return [
        (top, route)
        for top, route in _walk(get_resolver().url_patterns, "", "", set(), "")
        if "format" not in route.kwargs
    ]
