"""Links from a page of one app to a page of a higher one, by a key the higher app registers.

A lower app's template must not name a higher app's URL: the higher app
registers `key -> URL name` in its AppConfig.ready, and templates write
`{{ links.key }}` (the context processor core.context_processors.program
supplies `links`), which is empty while no app has registered the key.
"""

from django.urls import reverse

_LINKS: dict[str, str] = {}


def register_link(key: str, url_name: str) -> None:
    _LINKS[key] = url_name


class Links:
    """Resolves a registered link on use, so that a page pays only for the links it shows."""

    def __getitem__(self, key: str) -> str:
        url_name = _LINKS.get(key)
        return reverse(url_name) if url_name else ""
