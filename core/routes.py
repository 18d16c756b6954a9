"""URL patterns several apps write the same way."""

from collections.abc import Callable

from django.urls import URLPattern, path


def record_paths(
    prefix: str, noun: str, create: Callable, update: Callable, delete: Callable | None = None
) -> list[URLPattern]:
    """`<prefix>new/`, `<prefix><pk>/edit/` and, where records may go, `<prefix><pk>/delete/`:
    the pages of one kind of setup record, named `<noun>_create`, `_update` and `_delete`."""
    routes = [("new/", "create", create), ("<int:pk>/edit/", "update", update)]
    if delete is not None:
        routes.append(("<int:pk>/delete/", "delete", delete))
    return [path(prefix + route, view, name=f"{noun}_{action}") for route, action, view in routes]


def import_paths(prefix: str, noun: str, page: Callable, template: Callable) -> list[URLPattern]:
    """`<prefix>import/`, the page that imports a file of one kind of setup data, and
    `<prefix>import/template.csv`, the file to fill in: named `<noun>_import` and `_template`."""
    return [
        path(f"{prefix}import/", page, name=f"{noun}_import"),
        path(f"{prefix}import/template.csv", template, name=f"{noun}_template"),
    ]
