"""Operational events as one key=value line each, on the "crosssell.events" logger.

    event=import.succeeded job=12 merger=3 rows=4810 created=4800 updated=10 seconds=2.41

Every line starts with its event name, so that a log search finds all imports,
matching runs, match decisions, exports or permission denials at once. Values
that are not plain words are JSON-quoted: a name or a path people typed can
never add a line or a field of its own. The record also carries `event` and
`event_fields` for handlers that write JSON.
"""

import json
import logging
import re
from typing import Any

from core.access import roles_of

logger = logging.getLogger("crosssell.events")

_PLAIN = re.compile(r"^[A-Za-z0-9_.:/@+-]+$")


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}"
    if hasattr(value, "get_username"):  # a user: their username, never their name
        value = value.get_username() if value.is_authenticated else "anonymous"
    text = str(value)
    return text if _PLAIN.match(text) else json.dumps(text, ensure_ascii=False)


def event_line(event: str, fields: dict[str, Any]) -> str:
    pairs = (f"{key}={_text(value)}" for key, value in fields.items())
    return " ".join([f"event={event}", *pairs])


def event_log(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    if logger.isEnabledFor(level):
        logger.log(
            level,
            "%s",
            event_line(event, fields),
            extra={"event": event, "event_fields": fields},
        )


def access_denied_log(*, user: Any, action: str, resource: str, path: str, method: str) -> None:
    """A refusal by the role table or an object rule (403), for spotting probing and gaps."""
    roles = ",".join(sorted(roles_of(user))) or "-"
    event_log(
        "access.denied",
        level=logging.WARNING,
        user=user,
        role=roles,
        action=action,
        resource=resource,
        method=method,
        path=path,
    )
