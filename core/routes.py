"""URL patterns that several apps write the same way."""

from collections.abc import Callable

from django.urls import URLPattern, path


def record_paths(
    prefix: str,
    noun: str,
    create: Callable,
    update: Callable,
    delete: Callable | None = None,
) -> list[URLPattern]:
    """The add, edit and (where records may go) delete pages of one kind of setup record:
    `<prefix>new/`, `<prefix><pk>/edit/` and `<prefix><pk>/delete/`, named
    `<noun>_create`, `<noun>_update` and `<noun>_delete` and served by the views given in
    that order."""
    patterns = [
        path(f"{prefix}new/", create, name=f"{noun}_create"),
        path(f"{prefix}<int:pk>/edit/", update, name=f"{noun}_update"),
    ]
    if delete is not None:
        patterns.append(path(f"{prefix}<int:pk>/delete/", delete, name=f"{noun}_delete"))
    return patterns
