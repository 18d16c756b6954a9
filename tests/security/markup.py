"""What a browser would run from a page: script elements, handler attributes, script URLs."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

JSON_SCRIPT = re.compile(
    r'<script\b[^>]*\btype="application/json"[^>]*>(.*?)</script>', re.DOTALL | re.IGNORECASE
)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


@dataclass
class Findings:
    inline_scripts: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    script_urls: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Findings()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.found.inline_scripts.append(self.get_starttag_text() or tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.handlers.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.script_urls.append(f"<{tag} {name}={value}>")


def scripts_a_browser_would_run(page: str) -> Findings:
    """Anything the CSP (script-src 'self') would block, or an injection would add."""
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector.found


def json_script_bodies(page: str) -> list[str]:
    return JSON_SCRIPT.findall(page)
