"""One JSON object per log line, for log stores that index fields (LOG_FORMAT=json).

Events of core.events keep their fields as fields; any other record is
its message. The default text format already writes events as key=value.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if event:
            line["event"] = event
            line |= {key: value for key, value in record.event_fields.items() if key not in line}
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=_plain, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if hasattr(value, "get_username"):
        return value.get_username() if value.is_authenticated else "anonymous"
    return str(value)
